/** Rounds → figures: each figure's median and spread across rounds, ratios taken per round. */
import type { UpstreamCount } from './entities.js';
import type { GotBaselineResult, LoadResult, OpenLoopResult } from './protocol.js';
import type {
  BenchResults,
  GotFigures,
  LoadFigures,
  OpenLoopFigures,
  PeerRatios,
  Ratios,
} from './results.js';
import type { Round } from './scenarios.js';
import { median, summarize } from './stats.js';

export function cpuMicrosPerOp(run: LoadResult): number {
  return run.serverCpuSeconds === null || run.requests === 0
    ? Number.NaN
    : (run.serverCpuSeconds * 1e6) / run.requests;
}

function failuresOf(run: LoadResult): number {
  return run.non2xx + run.errors + run.mismatches;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function loadFigures(runs: readonly LoadResult[]): LoadFigures {
  return {
    rps: summarize(runs.map((run) => run.rps)),
    p50: summarize(runs.map((run) => run.p50)),
    p99: summarize(runs.map((run) => run.p99)),
    cpuMicrosPerOp: summarize(runs.map(cpuMicrosPerOp)),
    failures: sum(runs.map(failuresOf)),
    requests: sum(runs.map((run) => run.requests)),
  };
}

function gotFigures(runs: readonly GotBaselineResult[]): GotFigures {
  return {
    cpuMicrosPerCall: summarize(runs.map((run) => run.cpuMicrosPerCall)),
    rps: summarize(runs.map((run) => run.rps)),
    failures: sum(runs.map((run) => run.failures)),
  };
}

function openLoopFigures(runs: readonly OpenLoopResult[]): OpenLoopFigures {
  return {
    p50: summarize(runs.map((run) => run.p50)),
    p99: summarize(runs.map((run) => run.p99)),
    max: summarize(runs.map((run) => run.max)),
    sendLagP99: summarize(runs.map((run) => run.sendLagP99)),
    failures: sum(runs.map((run) => run.failures)),
    intended: sum(runs.map((run) => run.intended)),
  };
}

/** One round's gateway run against that same round's baselines. */
interface RatioInputs {
  gateway: LoadResult;
  direct: LoadResult;
  constant: LoadResult;
  got: GotBaselineResult;
}

function ratios(rounds: readonly RatioInputs[]): Ratios {
  const per = (ratio: (round: RatioInputs) => number) => summarize(rounds.map(ratio));
  return {
    rpsVsDirect: per(({ gateway, direct }) => gateway.rps / direct.rps),
    rpsVsConstant: per(({ gateway, constant }) => gateway.rps / constant.rps),
    cpuVsConstant: per(
      ({ gateway, constant }) => cpuMicrosPerOp(gateway) / cpuMicrosPerOp(constant),
    ),
    cpuVsConstantPlusGot: per(
      ({ gateway, constant, got }) =>
        cpuMicrosPerOp(gateway) / (cpuMicrosPerOp(constant) + got.cpuMicrosPerCall),
    ),
  };
}

/** The gateway over the lean peer, per round (same load, run back to back). */
function peerRatios(rounds: readonly { gateway: LoadResult; peer: LoadResult }[]): PeerRatios {
  return {
    rps: summarize(rounds.map(({ gateway, peer }) => gateway.rps / peer.rps)),
    cpu: summarize(
      rounds.map(({ gateway, peer }) => cpuMicrosPerOp(gateway) / cpuMicrosPerOp(peer)),
    ),
  };
}

/** `_entities`: per round the median of its timed requests, and its ratio to got's batches. */
function entityFigures(
  rounds: readonly { wallMs: number[]; failures: number; got: GotBaselineResult }[],
) {
  const wall = rounds.map((round) => median(round.wallMs));
  const got = rounds.map((round) => median(round.got.batchMs ?? []));
  return {
    wallMs: summarize(wall),
    failures: sum(rounds.map((round) => round.failures)),
    gotParallelMs: summarize(got),
    gotFailures: sum(rounds.map((round) => round.got.failures)),
    ratio: summarize(wall.map((ms, index) => ms / (got[index] ?? Number.NaN))),
  };
}

/** What a run measured outside the rounds. */
export interface RunFacts extends Pick<
  BenchResults,
  'startedAt' | 'durationSeconds' | 'machine' | 'settings' | 'memory' | 'gatewayLog'
> {
  upstreamCount: UpstreamCount;
}

/** Every figure but the targets. */
export function summarizeRun(
  rounds: readonly Round[],
  { upstreamCount, ...facts }: RunFacts,
): Omit<BenchResults, 'targets'> {
  const all = <T>(pick: (round: Round) => T): T[] => rounds.map(pick);
  return {
    ...facts,
    upstream: {
      patch: loadFigures(all((r) => r.direct.patch)),
      get: loadFigures(all((r) => r.direct.get)),
    },
    constant: {
      updateUser: loadFigures(all((r) => r.constant.updateUser)),
      user: loadFigures(all((r) => r.constant.user)),
    },
    got: {
      patch: gotFigures(all((r) => r.got.patch)),
      get: gotFigures(all((r) => r.got.get)),
    },
    gateway: {
      updateUser: loadFigures(all((r) => r.gateway.updateUser)),
      user: loadFigures(all((r) => r.gateway.user)),
    },
    peer: {
      updateUser: loadFigures(all((r) => r.peer.updateUser)),
      user: loadFigures(all((r) => r.peer.user)),
    },
    versusPeer: {
      updateUser: peerRatios(
        all((r) => ({ gateway: r.gateway.updateUser, peer: r.peer.updateUser })),
      ),
      user: peerRatios(all((r) => ({ gateway: r.gateway.user, peer: r.peer.user }))),
    },
    ratios: {
      updateUser: ratios(
        all((r) => ({
          gateway: r.gateway.updateUser,
          direct: r.direct.patch,
          constant: r.constant.updateUser,
          got: r.got.patch,
        })),
      ),
      user: ratios(
        all((r) => ({
          gateway: r.gateway.user,
          direct: r.direct.get,
          constant: r.constant.user,
          got: r.got.get,
        })),
      ),
    },
    openLoop: {
      gateway: openLoopFigures(all((r) => r.openLoop.gateway)),
      direct: openLoopFigures(all((r) => r.openLoop.direct)),
    },
    entities: {
      ...entityFigures(all((r) => r.entities)),
      upstreamGets: upstreamCount.userGets,
      distinctIds: upstreamCount.distinctIds,
      upstreamRequests: upstreamCount.total,
    },
  };
}
