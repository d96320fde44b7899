/**
 * The soak: ONE gateway process serving a long, mixed, concurrent sequence of operations while
 * the demo Avara API plays scripted faults per user id and per attempt, then a full outage, a
 * recovery and a brownout. Every answer is checked against what its scenario demands (code,
 * data, upstream attempts); the run is bounded by operation counts and a time cap; nothing is
 * asserted on time. Used by `test/soak/soak.test.ts` and by `npm run soak` (bench/soak.ts).
 */
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AvaraUser } from '../../src/avara/types.js';
import { loadConfig, type Config } from '../../src/config.js';
import { DEMO_USERS } from '../../src/demo/seed.js';
import { startDemoAvara, type DemoFault, type FaultMatch } from '../../src/demo/server.js';
import { createLogger } from '../../src/logger.js';
import { createServer, type GatewayServer } from '../../src/server.js';

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

export interface PhaseReport {
  phase: string;
  operations: number;
  /** Operations whose answer matched their scenario. */
  matched: number;
  /** Attempts Avara received. */
  attempts: number;
  /** Operations answered with an error (as their scenario demanded or not). */
  failed: number;
  /** Operations refused before anything was sent. */
  refused: number;
  /** The circuit at the end of the phase. */
  circuit: string;
  heapMiB: number;
  /** Wall time of the phase, reported only (never asserted). */
  seconds?: number;
}

export interface SoakReport {
  phases: PhaseReport[];
  /** Every broken promise, as text; empty when the run passed. */
  problems: string[];
  /** Upstream attempts per brownout operation, and the budget's bound for it. */
  brownout: { attemptsPerOperation: number; bound: number; unbudgeted: number };
  /** Outage operations served before the circuit opened, and the share that failed unsent. */
  outage: { operationsBeforeOpen: number; failedFastShare: number };
  /** Lines logged at error level (bugs): must be none. */
  errorLines: number;
}

const GET_USER = `query ($userId: ID!) { user(userId: $userId) { userId firstName } }`;
const UPDATE_USER = `mutation ($userId: ID!, $firstName: String!) {
  updateUser(userId: $userId, input: { firstName: $firstName }) { userId firstName }
}`;

type Kind = 'read' | 'write';

/** What one operation must produce: its error code (none for success), data and attempts. */
interface Expectation {
  code?: string;
  /** `user`: the user asked for; `null`: `user: null`. */
  data: 'user' | 'null';
  attempts: number;
}

interface Scenario {
  name: string;
  weight: number;
  kind: Kind;
  /** Faults for this operation's own user id (path), scripted per attempt. */
  faults?: [DemoFault, FaultMatch?][];
  /** Looks up an id Avara does not know. */
  unknownUser?: boolean;
  expect: Expectation;
}

/** The mixed phase: a healthy majority and a failing minority, one user id per operation. */
const SCENARIOS: readonly Scenario[] = [
  { name: 'healthy read', weight: 44, kind: 'read', expect: { data: 'user', attempts: 1 } },
  { name: 'healthy write', weight: 12, kind: 'write', expect: { data: 'user', attempts: 1 } },
  {
    name: 'read 404',
    weight: 8,
    kind: 'read',
    unknownUser: true,
    expect: { data: 'null', attempts: 1 },
  },
  {
    name: 'read 403',
    weight: 6,
    kind: 'read',
    faults: [[{ status: 403 }, { times: Infinity }]],
    expect: { code: 'FORBIDDEN', data: 'null', attempts: 1 },
  },
  {
    name: 'read 503 then 200',
    weight: 6,
    kind: 'read',
    faults: [[{ status: 503 }]],
    expect: { data: 'user', attempts: 2 },
  },
  {
    name: 'slow read',
    weight: 6,
    kind: 'read',
    faults: [[{ delayMs: 80 }]],
    expect: { data: 'user', attempts: 1 },
  },
  {
    name: 'read reset, then 200',
    weight: 3,
    kind: 'read',
    faults: [[{ drop: true }]],
    expect: { data: 'user', attempts: 2 },
  },
  {
    name: 'PATCH 500',
    weight: 5,
    kind: 'write',
    faults: [[{ status: 500 }, { times: Infinity }]],
    expect: { code: 'UPSTREAM_ERROR', data: 'null', attempts: 1 },
  },
  {
    name: 'PATCH 502',
    weight: 4,
    kind: 'write',
    faults: [[{ status: 502 }, { times: Infinity }]],
    expect: { code: 'UPSTREAM_UNAVAILABLE', data: 'null', attempts: 1 },
  },
  {
    name: 'PATCH 503 x3',
    weight: 3,
    kind: 'write',
    faults: [[{ status: 503 }, { times: Infinity }]],
    expect: { code: 'UPSTREAM_UNAVAILABLE', data: 'null', attempts: 3 },
  },
  {
    name: 'PATCH reset',
    weight: 3,
    kind: 'write',
    faults: [[{ drop: true }]],
    expect: { code: 'UPSTREAM_UNAVAILABLE', data: 'null', attempts: 1 },
  },
];

/** The sequence: five failed attempts in a row, then healthy reads that must be served. */
const MINORITY_BURST: readonly string[] = ['PATCH 500', 'PATCH 502', 'PATCH 503 x3'];

interface Planned {
  scenario: Scenario;
  userId: string;
}

interface Outcome {
  code?: string;
  user: unknown;
}

/** mulberry32, for a scenario order that is shuffled yet the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const hexId = (prefix: string, n: number) =>
  `usr_${prefix}${n.toString(16).padStart(32 - prefix.length, '0')}`;

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
    const mixed = plan(shuffledScenarios(mixedOperations));
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

  function scenarioNamed(name: string): Scenario {
    const scenario = SCENARIOS.find((candidate) => candidate.name === name);
    if (!scenario) throw new Error(`no scenario ${name}`);
    return scenario;
  }

  function shuffledScenarios(count: number): Scenario[] {
    const total = SCENARIOS.reduce((sum, scenario) => sum + scenario.weight, 0);
    const list = Array.from({ length: count }, (_, i) => {
      let pick = ((i * total) / count) % total;
      return SCENARIOS.find((scenario) => (pick -= scenario.weight) < 0) ?? SCENARIOS[0];
    });
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
    return list;
  }

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

/** Runs every planned operation, `concurrency` at a time; outcomes in plan order. */
async function drive(
  planned: readonly Planned[],
  concurrency: number,
  run: (planned: Planned) => Promise<Outcome>,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(planned.length);
  let next = 0;
  const worker = async () => {
    while (next < planned.length) {
      const index = next++;
      outcomes[index] = await run(planned[index]);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}

let writes = 0;

async function operate(gateway: GatewayServer, { scenario, userId }: Planned): Promise<Outcome> {
  const body =
    scenario.kind === 'read'
      ? { query: GET_USER, variables: { userId } }
      : { query: UPDATE_USER, variables: { userId, firstName: `Soak${(writes += 1)}` } };
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as {
    data?: { user?: unknown; updateUser?: unknown } | null;
    errors?: { extensions?: { code?: string } }[];
  };
  const user = json.data
    ? scenario.kind === 'read'
      ? json.data.user
      : json.data.updateUser
    : null;
  return { code: json.errors?.[0]?.extensions?.code, user: user ?? null };
}

async function circuit(gateway: GatewayServer): Promise<string> {
  const response = await fetch(new URL('/health', gateway.url));
  return ((await response.json()) as { circuit: string }).circuit;
}

/**
 * The heap after a full collection, so that "flat" compares live memory, not garbage. The
 * collector is reached the documented V8 way, without needing `--expose-gc` on the command line.
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function heapMiB(): number {
  collectGarbage();
  return Math.round(process.memoryUsage().heapUsed / 1024 / 1024);
}

/** The report as a table, for `npm run soak` and a failing test's message. */
export function formatReport({
  phases,
  problems,
  brownout,
  outage,
  errorLines,
}: SoakReport): string {
  const header = [
    'phase',
    'operations',
    'as expected',
    'failed',
    'refused',
    'attempts',
    'circuit',
    'heap MiB',
    'seconds',
  ];
  const rows = phases.map((phase) => [
    phase.phase,
    String(phase.operations),
    String(phase.matched),
    String(phase.failed),
    String(phase.refused),
    String(phase.attempts),
    phase.circuit,
    String(phase.heapMiB),
    String(phase.seconds ?? ''),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(header),
    `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`,
    ...rows.map(line),
    '',
    `brownout: ${brownout.attemptsPerOperation.toFixed(3)} attempts per operation ` +
      `(budget bound ${brownout.bound.toFixed(3)}; without a budget ~${brownout.unbudgeted.toFixed(2)})`,
    `outage: ${outage.operationsBeforeOpen} operations before the circuit opened; ` +
      `${(outage.failedFastShare * 100).toFixed(1)}% failed fast, unsent`,
    `error lines logged: ${errorLines}`,
    problems.length === 0 ? 'every promise held' : `PROBLEMS:\n  ${problems.join('\n  ')}`,
  ].join('\n');
}
