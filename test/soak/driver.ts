/**
 * The soak: ONE gateway process serving a long, mixed, concurrent sequence of operations while
 * the demo Avara API plays scripted faults per user id and per attempt, then a full outage, a
 * recovery and a brownout. Every answer is checked against what its scenario demands (code,
 * data, upstream attempts); the run is bounded by operation counts and a time cap; nothing is
 * asserted on time. Used by `test/soak/soak.test.ts` and by `npm run soak` (bench/soak.ts).
 */
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AvaraUser } from '../../src/avara/types.js';
import { loadConfig, type Config } from '../../src/config.js';
import { DEMO_USERS } from '../../src/demo/seed.js';
import { startDemoAvara } from '../../src/demo/server.js';
import { createLogger } from '../../src/logger.js';
import { createServer } from '../../src/server.js';
import { heapMiB, type PhaseReport, type SoakReport } from './report.js';
import {
  MINORITY_BURST,
  SCENARIOS,
  hexId,
  scenarioNamed,
  seeded,
  shuffledScenarios,
  type Scenario,
} from './scenarios.js';
import { circuit, drive, operate, type Outcome, type Planned } from './traffic.js';

export { formatReport, type PhaseReport, type SoakReport } from './report.js';

export interface SoakOptions {
  /** Operations of the mixed phase. */
  mixedOperations: number;
  outageOperations: number;
  brownoutOperations: number;
  /** Operations in flight at once. */
  concurrency: number;
  /** Share of brownout GETs answered 503. @default 0.3 */
  brownoutRate?: number;
  /** Seeds the scenario order and the brownout's draws. @default 8 */
  seed?: number;
  /** Gives up recovering after this long: the run's time bound. @default 30000 */
  recoveryTimeoutMs?: number;
  /** On top of the defaults (the contract's numbers). */
  config?: Partial<Config>;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const {
    mixedOperations,
    outageOperations,
    brownoutOperations,
    concurrency,
    brownoutRate = 0.3,
    seed = 8,
    recoveryTimeoutMs = 30_000,
  } = options;
  const random = seeded(seed);

  // One known user per operation that needs its own path, so faults and attempts are per op.
  const userCount = mixedOperations + outageOperations + brownoutOperations + 64;
  const template = DEMO_USERS[0] as AvaraUser;
  const users: AvaraUser[] = Array.from({ length: userCount }, (_, n) => ({
    ...template,
    userId: hexId('5', n),
    email: `soak.${n}@example.org`,
  }));
  let nextUser = 0;
  const takeUser = () => users[nextUser++].userId;
  let nextUnknown = 0;
  const takeUnknown = () => hexId('d', nextUnknown++);

  const demo = await startDemoAvara({ users });
  let errorLines = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (/"level":(50|60)/.test(chunk.toString('utf8'))) errorLines += 1;
      done();
    },
  });
  const config: Config = {
    ...loadConfig({}),
    port: 0,
    avaraBaseUrl: demo.url,
    avaraApiKey: 'soak-gateway-key',
    avaraTimeoutMs: 2_000,
    avaraRetryBaseDelayMs: 1,
    avaraRetryMaxDelayMs: 5,
    logLevel: 'warn',
    ...options.config,
  };
  const gateway = await createServer(config, { logger: createLogger(config.logLevel, sink) });

  const phases: PhaseReport[] = [];
  let phaseStarted = Date.now();
  const pushPhase = (phase: PhaseReport) => {
    phases.push({ ...phase, seconds: Math.round((Date.now() - phaseStarted) / 100) / 10 });
    phaseStarted = Date.now();
  };
  const problems: string[] = [];
  const brownout: SoakReport['brownout'] = { attemptsPerOperation: 0, bound: 0, unbudgeted: 0 };
  let outageSummary: SoakReport['outage'] = { operationsBeforeOpen: -1, failedFastShare: 0 };

  try {
    const run = (planned: Planned) => operate(gateway, planned);

    // Warm-up and the minority burst: healthy traffic, then 5 failed attempts in a row.
    demo.reset();
    const warmup = plan(Array.from({ length: 64 }, () => SCENARIOS[0]));
    const burst = plan(MINORITY_BURST.map((name) => scenarioNamed(name)));
    const after = plan(Array.from({ length: 20 }, () => SCENARIOS[0]));
    const warmupResults = await drive(warmup, concurrency, run);
    const burstResults: Outcome[] = [];
    for (const planned of [...burst, ...after]) burstResults.push(await run(planned));
    pushPhase(
      await report(
        'warm-up, minority burst',
        [...warmup, ...burst, ...after],
        [...warmupResults, ...burstResults],
      ),
    );

    // Mixed: the scenarios shuffled, at full concurrency.
    demo.reset();
    const mixed = plan(shuffledScenarios(mixedOperations, random));
    pushPhase(await report('mixed', mixed, await drive(mixed, concurrency, run)));

    // Full outage: every request answered 503.
    demo.reset();
    demo.inject({ status: 503 }, { times: Infinity });
    const outage = plan(Array.from({ length: outageOperations }, () => SCENARIOS[0]));
    const outageStarted = Date.now();
    const outageResults = await drive(outage, concurrency, run);
    const outageMs = Date.now() - outageStarted;
    const outageSent = sentPerOperation(outage);
    const outagePhase = summarize(
      'outage',
      outage,
      outageResults,
      (_planned, outcome) => outcome.code === 'UPSTREAM_UNAVAILABLE' && outcome.user === null,
    );
    pushPhase({ ...outagePhase, circuit: await circuit(gateway), heapMiB: heapMiB() });
    // Once the circuit has opened (the first operation refused unsent), only the operations
    // already in flight and one probe per open period may still reach Avara.
    const opened = outageSent.indexOf(0);
    if (opened === -1) problems.push('outage: the circuit never opened');
    else {
      const reachedAfterOpen = outageSent.slice(opened + concurrency).filter((sent) => sent > 0);
      const probes = 1 + Math.ceil(outageMs / config.avaraBreakerHalfOpenMs);
      if (reachedAfterOpen.length > probes) {
        problems.push(
          `outage: ${reachedAfterOpen.length} operations reached Avara after the circuit opened (at most ${probes} probes)`,
        );
      }
      outageSummary = {
        operationsBeforeOpen: opened,
        failedFastShare: outageSent.filter((sent) => sent === 0).length / outage.length,
      };
    }

    // Recovery: Avara is back; operations are refused until the probe closes the circuit.
    demo.reset();
    const recoveryUser = takeUser();
    const recoveryStarted = Date.now();
    let refusedWhileOpen = 0;
    let served = 0;
    let recoveryOperations = 0;
    while (served < 20 && Date.now() - recoveryStarted < recoveryTimeoutMs) {
      recoveryOperations += 1;
      const outcome = await run({ scenario: SCENARIOS[0], userId: recoveryUser });
      if (outcome.code === undefined) served += 1;
      else {
        if (served > 0) problems.push('recovery: an operation failed after service came back');
        refusedWhileOpen += 1;
        await sleep(20); // pacing while the circuit is open, not a wait for a result
      }
    }
    const recoveryCircuit = await circuit(gateway);
    pushPhase({
      phase: 'recovery',
      operations: recoveryOperations,
      matched: served,
      attempts: demo.requests.length,
      failed: refusedWhileOpen,
      refused: refusedWhileOpen,
      circuit: recoveryCircuit,
      heapMiB: heapMiB(),
    });
    if (served < 20 || recoveryCircuit !== 'closed') {
      problems.push(`recovery: service did not come back (${served} served, ${recoveryCircuit})`);
    }

    // Brownout: a random 30% of GETs answered 503.
    demo.reset();
    demo.inject(
      { status: 503 },
      { method: 'GET', probability: brownoutRate, seed, times: Infinity },
    );
    const brownoutPlan = plan(Array.from({ length: brownoutOperations }, () => SCENARIOS[0]));
    const brownoutStarted = Date.now();
    const brownoutResults = await drive(brownoutPlan, concurrency, run);
    const brownoutSeconds = (Date.now() - brownoutStarted) / 1000;
    const brownoutPhase = summarize(
      'brownout',
      brownoutPlan,
      brownoutResults,
      (planned, outcome, sent) =>
        sent >= 1 &&
        sent <= 1 + config.avaraMaxRetries &&
        (outcome.code === undefined
          ? (outcome.user as { userId?: string } | null)?.userId === planned.userId
          : outcome.code === 'UPSTREAM_UNAVAILABLE'),
    );
    pushPhase({ ...brownoutPhase, circuit: await circuit(gateway), heapMiB: heapMiB() });
    const attemptsPerOperation = brownoutPhase.attempts / brownoutOperations;
    // The budget's bound: its ratio, its reserve over the phase's windows, and what the window
    // still held from before the phase (at most the ratio of one window of earlier traffic).
    const windowSeconds = config.avaraRetryBudgetWindowMs / 1000;
    const reserve = config.avaraRetryBudgetMinPerSecond * (brownoutSeconds + windowSeconds);
    const carried = config.avaraRetryBudgetRatio * recoveryOperations;
    const bound = 1 + config.avaraRetryBudgetRatio + (reserve + carried) / brownoutOperations;
    const unbudgeted = 1 + brownoutRate + brownoutRate ** 2;
    Object.assign(brownout, { attemptsPerOperation, bound, unbudgeted });
    if (attemptsPerOperation > bound) {
      problems.push(
        `brownout: ${attemptsPerOperation.toFixed(3)} attempts per operation > ${bound.toFixed(3)}`,
      );
    }
    if (brownoutPhase.refused > 0) {
      problems.push(
        `brownout: ${brownoutPhase.refused} operations refused while only a minority failed`,
      );
    }

    // Memory: flat from the first phase to the last.
    const heaps = phases.map((phase) => phase.heapMiB);
    if (Math.max(...heaps) - heaps[0] > 64) {
      problems.push(`memory grew from ${heaps[0]} MiB to ${Math.max(...heaps)} MiB`);
    }
    if (errorLines > 0) problems.push(`${errorLines} error lines logged`);
    for (const phase of phases) {
      if (phase.matched < phase.operations && phase.phase !== 'recovery') {
        problems.push(
          `${phase.phase}: ${phase.operations - phase.matched} answers did not match their scenario`,
        );
      }
    }
  } finally {
    await gateway.close();
    await demo.close();
  }
  return { phases, problems, brownout, outage: outageSummary, errorLines };

  /** One user id per operation, and its scripted faults. */
  function plan(scenarios: readonly Scenario[]): Planned[] {
    return scenarios.map((scenario) => {
      const userId = scenario.unknownUser ? takeUnknown() : takeUser();
      for (const [fault, match] of scenario.faults ?? []) {
        demo.inject(fault, { ...match, pathPrefix: `/v1/viewer/users/${userId}` });
      }
      return { scenario, userId };
    });
  }

  /** Attempts Avara received for each planned operation's own user id, in plan order. */
  function sentPerOperation(planned: readonly Planned[]): number[] {
    const perPath = new Map<string, number>();
    for (const request of demo.requests)
      perPath.set(request.path, (perPath.get(request.path) ?? 0) + 1);
    return planned.map((op) => perPath.get(`/v1/viewer/users/${op.userId}`) ?? 0);
  }

  function summarize(
    phase: string,
    planned: readonly Planned[],
    outcomes: readonly Outcome[],
    matches: (planned: Planned, outcome: Outcome, attempts: number) => boolean,
  ): Omit<PhaseReport, 'circuit' | 'heapMiB'> {
    const sentOf = sentPerOperation(planned);
    let matched = 0;
    let refused = 0;
    let failed = 0;
    planned.forEach((op, index) => {
      const outcome = outcomes[index];
      const sent = sentOf[index];
      if (outcome.code !== undefined) failed += 1;
      if (sent === 0) refused += 1;
      if (matches(op, outcome, sent)) matched += 1;
      else if (problems.length < 20) {
        problems.push(
          `${phase}: ${op.scenario.name} for ${op.userId} answered ${outcome.code ?? 'OK'} after ${sent} attempts`,
        );
      }
    });
    return {
      phase,
      operations: planned.length,
      matched,
      attempts: demo.requests.length,
      failed,
      refused,
    };
  }

  async function report(
    phase: string,
    planned: readonly Planned[],
    outcomes: readonly Outcome[],
  ): Promise<PhaseReport> {
    const summary = summarize(phase, planned, outcomes, (op, outcome, sent) => {
      const { code, data, attempts } = op.scenario.expect;
      if (outcome.code !== code || sent !== attempts) return false;
      if (data === 'null') return outcome.user === null;
      return (outcome.user as { userId?: string } | null)?.userId === op.userId;
    });
    return { ...summary, circuit: await circuit(gateway), heapMiB: heapMiB() };
  }
}
