/**
 * The transport's own cost: `node --import tsx bench/got-baseline.ts <demoUrl> <patch|get|entities>`
 * makes the gateway's upstream calls with nothing around them (no GraphQL, no protection, no
 * parsing) through got with the gateway's options, and prints a `GotBaselineResult`.
 * - `patch`, `get`: calls with 10 in flight; CPU per call over the measured calls only.
 * - `entities`: batches of 50 parallel GETs of distinct synthetic users, wall time per batch:
 *   what the gateway's 100-representation `_entities` request should cost at best.
 */
import { SEED_USER_ID } from '../src/demo/seed.js';
import {
  assertLoopback,
  isGotBaselineMode,
  type GotBaselineMode,
  type GotBaselineResult,
} from './protocol.js';
import { BENCH_API_KEY, listSyntheticUserIds, PATCH_INPUT } from './requests.js';
import { createTransport } from '../src/avara/transport.js';

const IN_FLIGHT = 10;
const WARMUP_CALLS = 1_000;
const MEASURED_CALLS = 3_000;
const ENTITY_IDS = 50;
const WARMUP_BATCHES = 20;
const MEASURED_BATCHES = 20;

const [demoUrl, mode] = process.argv.slice(2);
if (demoUrl === undefined || !isGotBaselineMode(mode)) {
  process.stderr.write('usage: got-baseline.ts <demoUrl> <patch|get|entities>\n');
  process.exit(2);
}
assertLoopback(demoUrl);

// The gateway's own transport with config's defaults (AVARA_TIMEOUT_MS, AVARA_MAX_CONCURRENCY).
const transport = createTransport({ baseUrl: demoUrl });
// What the gateway sends on every call: its credential and a request id as long as a UUID.
const headers = {
  authorization: `Bearer ${BENCH_API_KEY}`,
  'x-request-id': '00000000-0000-4000-8000-000000000000',
};

/** One upstream call as the client makes it; true for a 2xx. */
async function call(method: 'GET' | 'PATCH', userId: string): Promise<boolean> {
  const response = await transport.http(`users/${userId}`, {
    method,
    headers,
    ...(method === 'PATCH' && { json: PATCH_INPUT }),
  });
  return response.statusCode >= 200 && response.statusCode < 300;
}

/** `count` calls, `IN_FLIGHT` at a time; returns the failures. */
async function callMany(method: 'GET' | 'PATCH', count: number): Promise<number> {
  let started = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    while (started < count) {
      started++;
      if (!(await call(method, SEED_USER_ID))) failures++;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return failures;
}

function measure<T>(
  work: () => Promise<T>,
): Promise<{ value: T; seconds: number; cpuMicros: number }> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  return work().then((value) => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const { user, system } = process.cpuUsage(cpu);
    return { value, seconds, cpuMicros: user + system };
  });
}

async function runCalls(
  method: 'GET' | 'PATCH',
  baseline: GotBaselineMode,
): Promise<GotBaselineResult> {
  await callMany(method, WARMUP_CALLS);
  const {
    value: failures,
    seconds,
    cpuMicros,
  } = await measure(() => callMany(method, MEASURED_CALLS));
  return {
    mode: baseline,
    calls: MEASURED_CALLS,
    seconds,
    cpuMicrosPerCall: cpuMicros / MEASURED_CALLS,
    rps: MEASURED_CALLS / seconds,
    failures,
  };
}

async function runEntities(): Promise<GotBaselineResult> {
  const userIds = await listSyntheticUserIds(demoUrl as string, ENTITY_IDS);
  const batch = async (): Promise<{ ms: number; failures: number }> => {
    const started = process.hrtime.bigint();
    const results = await Promise.all(userIds.map((userId) => call('GET', userId)));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { ms, failures: results.filter((ok) => !ok).length };
  };
  for (let i = 0; i < WARMUP_BATCHES; i++) await batch();
  const {
    value: batches,
    seconds,
    cpuMicros,
  } = await measure(async () => {
    const done: { ms: number; failures: number }[] = [];
    for (let i = 0; i < MEASURED_BATCHES; i++) done.push(await batch());
    return done;
  });
  const calls = MEASURED_BATCHES * userIds.length;
  return {
    mode: 'entities',
    calls,
    seconds,
    cpuMicrosPerCall: cpuMicros / calls,
    rps: calls / seconds,
    failures: batches.reduce((sum, { failures }) => sum + failures, 0),
    batchMs: batches.map(({ ms }) => ms),
  };
}

const result =
  mode === 'entities'
    ? await runEntities()
    : await runCalls(mode === 'patch' ? 'PATCH' : 'GET', mode);
transport.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
