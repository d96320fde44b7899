/**
 * The printed report: one plain-text table per section, every figure as "median (min–max)"
 * across rounds, and the targets with PASS or MISS.
 */
import type { BenchResults, LoadFigures, Ratios, Target } from './results.js';
import type { Summary } from './stats.js';

const MB = 1_000_000;
/** Above this share of the machine used by others, the run is flagged as not comparable. */
const FOREIGN_CPU_WARNING = 0.05;

type Row = readonly string[];

/** Columns padded to their widest cell: the first left-aligned, the rest right-aligned. */
function table(title: string, header: Row, rows: readonly Row[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) =>
    Math.max(...all.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: Row): string =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('   ')
      .trimEnd();
  return [title, ...all.map((row) => `  ${line(row)}`)].join('\n');
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

/** `median (min–max)`, or just the value when every round agreed or there was one. */
function spread(summary: Summary, digits: number): string {
  const { median, min, max } = summary;
  if (!Number.isFinite(median)) return 'n/a';
  if (fixed(min, digits) === fixed(max, digits)) return fixed(median, digits);
  return `${fixed(median, digits)} (${fixed(min, digits)}–${fixed(max, digits)})`;
}

function percent(summary: Summary): Summary {
  const scale = (value: number): number => value * 100;
  return {
    median: scale(summary.median),
    min: scale(summary.min),
    max: scale(summary.max),
    values: summary.values.map(scale),
  };
}

function signedPercent(ratio: number): string {
  return `${ratio >= 0 ? '+' : ''}${fixed(ratio * 100, 1)}%`;
}

function megabytes(bytes: number): string {
  return `${fixed(bytes / MB, 1)} MB`;
}

function failures(count: number): string {
  return count === 0 ? '0' : `${count} INVALID`;
}

function loadRow(name: string, figures: LoadFigures): Row {
  return [
    name,
    spread(figures.rps, 0),
    spread(figures.p50, 3),
    spread(figures.p99, 3),
    spread(figures.cpuMicrosPerOp, 0),
    failures(figures.failures),
  ];
}

const LOAD_HEADER: Row = ['', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/op', 'failed'];

function ratioRow(name: string, ratios: Ratios): Row {
  return [
    name,
    spread(ratios.rpsVsDirect, 2),
    spread(ratios.rpsVsConstant, 2),
    spread(ratios.cpuVsConstant, 2),
    spread(ratios.cpuVsConstantPlusGot, 2),
  ];
}

function verdict(pass: boolean, valid: boolean): Target['verdict'] {
  if (!valid) return 'INVALID';
  return pass ? 'PASS' : 'MISS';
}

/** The targets, each decided on medians across rounds of this one run. */
export function evaluateTargets(results: Omit<BenchResults, 'targets'>): Target[] {
  const { gateway, constant, got, ratios, openLoop, memory, entities, peer, versusPeer } = results;
  const peerValid = gateway.updateUser.failures === 0 && peer.updateUser.failures === 0;
  const cpuRatio = ratios.updateUser.cpuVsConstantPlusGot.median;
  const cpuValid =
    gateway.updateUser.failures === 0 &&
    constant.updateUser.failures === 0 &&
    got.patch.failures === 0;
  const openValid = openLoop.gateway.failures === 0 && openLoop.direct.failures === 0;
  const p50Limit = openLoop.direct.p50.median + 2;
  const p99Limit = openLoop.direct.p99.median + 25;
  const entitiesValid = entities.failures === 0 && entities.gotFailures === 0;
  return [
    {
      name: 'gateway CPU per updateUser',
      limit: '≤ 1.2 × (constant build + bare got PATCH)',
      measured: `${fixed(cpuRatio, 2)} × (${fixed(gateway.updateUser.cpuMicrosPerOp.median, 0)} µs vs ${fixed(constant.updateUser.cpuMicrosPerOp.median, 0)} + ${fixed(got.patch.cpuMicrosPerCall.median, 0)} µs)`,
      verdict: verdict(cpuRatio <= 1.2, cpuValid),
    },
    {
      name: 'updateUser req/s vs the lean peer',
      limit: '≥ 1.0 × (aim 1.1)',
      measured: `${fixed(versusPeer.updateUser.rps.median, 2)} × (${fixed(gateway.updateUser.rps.median, 0)} vs ${fixed(peer.updateUser.rps.median, 0)} req/s)`,
      verdict: verdict(versusPeer.updateUser.rps.median >= 1, peerValid),
    },
    {
      name: 'updateUser p99 at 10 connections vs the lean peer',
      limit: `≤ peer's ${fixed(peer.updateUser.p99.median, 3)} ms`,
      measured: `${fixed(gateway.updateUser.p99.median, 3)} ms`,
      verdict: verdict(gateway.updateUser.p99.median <= peer.updateUser.p99.median, peerValid),
    },
    {
      name: 'open loop 500/s p50',
      limit: `≤ direct + 2 ms = ${fixed(p50Limit, 3)} ms`,
      measured: `${fixed(openLoop.gateway.p50.median, 3)} ms`,
      verdict: verdict(openLoop.gateway.p50.median <= p50Limit, openValid),
    },
    {
      name: 'open loop 500/s p99',
      limit: `≤ direct + 25 ms = ${fixed(p99Limit, 3)} ms`,
      measured: `${fixed(openLoop.gateway.p99.median, 3)} ms`,
      verdict: verdict(openLoop.gateway.p99.median <= p99Limit, openValid),
    },
    {
      name: 'memory idle',
      limit: '≤ 100 MB',
      measured: megabytes(memory.idleBytes),
      verdict: verdict(memory.idleBytes <= 100 * MB, true),
    },
    {
      name: 'memory peak under load',
      limit: '≤ 180 MB',
      measured: megabytes(memory.peakBytes),
      verdict: verdict(memory.peakBytes <= 180 * MB, true),
    },
    {
      name: 'memory 10k → 100k operations',
      limit: 'within ±10%',
      measured: `${signedPercent(memory.growth)} under load (${signedPercent(memory.settledGrowth)} settled)`,
      verdict: verdict(Math.abs(memory.growth) <= 0.1, memory.failures === 0),
    },
    {
      name: '_entities 100 representations',
      limit: '≤ 1.2 × 50 parallel bare got GETs',
      measured: `${fixed(entities.ratio.median, 2)} × (${fixed(entities.wallMs.median, 2)} vs ${fixed(entities.gotParallelMs.median, 2)} ms)`,
      verdict: verdict(entities.ratio.median <= 1.2, entitiesValid),
    },
    {
      name: '_entities upstream GETs',
      limit: 'exactly 50',
      measured: String(entities.upstreamGets),
      verdict: verdict(entities.upstreamGets === 50, true),
    },
  ];
}

export function formatReport(results: BenchResults, resultsFile: string): string {
  const { machine, settings, upstream, constant, got, gateway, ratios, openLoop } = results;
  const { peer, versusPeer } = results;
  const { entities, memory, gatewayLog, targets } = results;
  const rounds = `${settings.rounds} interleaved rounds`;
  const sections = [
    `Avara GraphQL gateway benchmark: ${rounds}, ${settings.connections} connections, ` +
      `${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s per closed-loop run; ` +
      `figures are median (min–max) across rounds`,
    `machine: Node ${machine.node}, ${machine.cpuModel}, ${machine.cpus} CPUs ` +
      `(${machine.availableCpus} available), ${machine.platform} ${machine.kernel}\n` +
      `pinning: ${machine.pinning}\n` +
      `other work on the machine: load average ${fixed(machine.loadAverage, 2)} before the run; ` +
      `processes outside the benchmark used ${spread(percent(machine.foreignCpuShare), 1)}% ` +
      `of the CPU during the rounds` +
      (machine.foreignCpuShare.median > FOREIGN_CPU_WARNING
        ? '\nWARNING: the machine was not quiet; these figures are skewed and not comparable'
        : ''),
    table('Upstream direct (demo Avara API; CPU is the demo’s)', LOAD_HEADER, [
      loadRow('PATCH /v1/viewer/users/{id}', upstream.patch),
      loadRow('GET   /v1/viewer/users/{id}', upstream.get),
    ]),
    table('Constant-resolver build (Apollo’s ceiling: same server, no upstream)', LOAD_HEADER, [
      loadRow('updateUser', constant.updateUser),
      loadRow('user', constant.user),
    ]),
    table(
      'Bare got call, gateway options, 10 in flight',
      ['', 'CPU µs/call', 'calls/s', 'failed'],
      [
        [
          'PATCH',
          spread(got.patch.cpuMicrosPerCall, 0),
          spread(got.patch.rps, 0),
          failures(got.patch.failures),
        ],
        [
          'GET',
          spread(got.get.cpuMicrosPerCall, 0),
          spread(got.get.rps, 0),
          failures(got.get.failures),
        ],
      ],
    ),
    table('Gateway (node dist/index.js, NODE_ENV=production, LOG_LEVEL=info)', LOAD_HEADER, [
      loadRow('updateUser', gateway.updateUser),
      loadRow('user', gateway.user),
    ]),
    table(
      'Lean peer (Apollo Server 5 behind bare node:http, fetch to Avara, nothing else)',
      LOAD_HEADER,
      [loadRow('updateUser', peer.updateUser), loadRow('user', peer.user)],
    ),
    table(
      'Gateway vs the lean peer (per round, run back to back)',
      ['', 'req/s ÷ peer', 'CPU/op ÷ peer'],
      [
        ['updateUser', spread(versusPeer.updateUser.rps, 2), spread(versusPeer.updateUser.cpu, 2)],
        ['user', spread(versusPeer.user.rps, 2), spread(versusPeer.user.cpu, 2)],
      ],
    ),
    table(
      'Gateway ratios (per round; updateUser vs PATCH, user vs GET)',
      ['', 'req/s ÷ direct', 'req/s ÷ constant', 'CPU ÷ constant', 'CPU ÷ (constant + got)'],
      [ratioRow('updateUser', ratios.updateUser), ratioRow('user', ratios.user)],
    ),
    table(
      `Open loop at ${settings.openLoopRate} ops/s for ${settings.openLoopSeconds} s, from intended send time`,
      ['', 'p50 ms', 'p99 ms', 'max ms', 'generator lag p99 ms', 'failed'],
      [
        ['gateway updateUser', ...openLoopCells(openLoop.gateway)],
        ['direct PATCH', ...openLoopCells(openLoop.direct)],
      ],
    ),
    table(
      `_entities: 1 request of ${settings.entityIds * 2} representations over ${settings.entityIds} ids (median of ${settings.entityRequests})`,
      ['', 'wall ms', 'upstream GETs', `${settings.entityIds} parallel got ms`, 'ratio', 'failed'],
      [
        [
          'gateway',
          spread(entities.wallMs, 2),
          `${entities.upstreamGets} (${entities.distinctIds} distinct, ${entities.upstreamRequests} in all)`,
          spread(entities.gotParallelMs, 2),
          spread(entities.ratio, 2),
          failures(entities.failures + entities.gotFailures),
        ],
      ],
    ),
    table(
      'Gateway resident memory (VmRSS; at N ops: median of the last 3 s under load / one sample 2 s after)',
      [
        '',
        'idle (10 ops)',
        'peak under load',
        'at 10k ops',
        'at 100k ops',
        'growth',
        'VmHWM',
        'failed',
      ],
      [
        [
          'gateway',
          megabytes(memory.idleBytes),
          megabytes(memory.peakBytes),
          `${megabytes(memory.at10kBytes)} / ${megabytes(memory.at10kSettledBytes)}`,
          `${megabytes(memory.at100kBytes)} / ${megabytes(memory.at100kSettledBytes)}`,
          `${signedPercent(memory.growth)} / ${signedPercent(memory.settledGrowth)}`,
          megabytes(memory.highWaterBytes),
          failures(memory.failures),
        ],
      ],
    ),
    table(
      'Targets (same run)',
      ['', 'target', 'measured', ''],
      targets.map((target) => [target.name, target.limit, target.measured, target.verdict]),
    ),
    `gateway log: ${gatewayLog.warnings} warning and ${gatewayLog.errors} error lines` +
      (gatewayLog.last === undefined ? '' : `; last: ${gatewayLog.last.slice(0, 300)}`),
    `took ${fixed(results.durationSeconds, 0)} s; JSON: ${resultsFile}`,
  ];
  return `${sections.join('\n\n')}\n`;
}

function openLoopCells(figures: BenchResults['openLoop']['gateway']): string[] {
  return [
    spread(figures.p50, 3),
    spread(figures.p99, 3),
    spread(figures.max, 3),
    spread(figures.sendLagP99, 3),
    failures(figures.failures),
  ];
}
