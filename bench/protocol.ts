/**
 * What the orchestrator and its tool processes (`load.ts`, `open-loop.ts`, `got-baseline.ts`)
 * say to each other: a spec on argv, one JSON result line on stdout. Checked on both sides,
 * so a tool that printed something else fails loudly instead of becoming a wrong number.
 */

export type HttpMethod = 'GET' | 'POST' | 'PATCH';

/** One HTTP request, sent again and again. */
export interface RequestSpec {
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  body?: string;
  /** A 200 whose body has GraphQL `errors` counts as a failure. */
  graphql: boolean;
}

/** `load.ts`: closed loop through autocannon. */
export interface LoadSpec extends RequestSpec {
  connections: number;
  /** A run whose results are thrown away, to warm the JIT and the keep-alive pools. */
  warmupSeconds: number;
  /** The measured run: `durationSeconds`, or exactly `amount` requests when set. */
  durationSeconds: number;
  amount?: number;
  /** A server whose CPU time (`/proc/<pid>/stat`) is read around the measured run only. */
  serverPid?: number;
}

export interface LoadResult {
  /** Responses received in the measured run. */
  requests: number;
  seconds: number;
  rps: number;
  /** Milliseconds, from autocannon's per-response timer (not its integer-ms histogram). */
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** GraphQL answers with `errors`. */
  mismatches: number;
  /** CPU seconds `serverPid` used during the measured run. */
  serverCpuSeconds: number | null;
}

/** `open-loop.ts`: a fixed arrival rate, latency measured from each request's intended send time. */
export interface OpenLoopSpec extends RequestSpec {
  ratePerSecond: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface OpenLoopResult {
  intended: number;
  completed: number;
  failures: number;
  /** Milliseconds from intended send time to the response's end. */
  p50: number;
  p99: number;
  max: number;
  /** How late the generator itself sent (ms): its own share of the latencies above. */
  sendLagP99: number;
}

export type GotBaselineMode = 'patch' | 'get' | 'entities';

export interface GotBaselineResult {
  mode: GotBaselineMode;
  calls: number;
  seconds: number;
  cpuMicrosPerCall: number;
  rps: number;
  failures: number;
  /** `entities` only: wall time of each measured batch (ms). */
  batchMs?: number[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasNumbers(value: Record<string, unknown>, keys: readonly string[]): boolean {
  return keys.every((key) => typeof value[key] === 'number');
}

export function isLoadResult(value: unknown): value is LoadResult {
  return (
    isRecord(value) &&
    hasNumbers(value, ['requests', 'seconds', 'rps', 'p50', 'p99', 'max', 'non2xx', 'errors']) &&
    typeof value.mismatches === 'number' &&
    (value.serverCpuSeconds === null || typeof value.serverCpuSeconds === 'number')
  );
}

export function isOpenLoopResult(value: unknown): value is OpenLoopResult {
  return (
    isRecord(value) &&
    hasNumbers(value, ['intended', 'completed', 'failures', 'p50', 'p99', 'max', 'sendLagP99'])
  );
}

export function isGotBaselineResult(value: unknown): value is GotBaselineResult {
  return (
    isRecord(value) &&
    typeof value.mode === 'string' &&
    hasNumbers(value, ['calls', 'seconds', 'cpuMicrosPerCall', 'rps', 'failures']) &&
    (value.batchMs === undefined ||
      (Array.isArray(value.batchMs) && value.batchMs.every((ms) => typeof ms === 'number')))
  );
}

function isRequestSpec(value: Record<string, unknown>): boolean {
  return (
    typeof value.url === 'string' &&
    (value.method === 'GET' || value.method === 'POST' || value.method === 'PATCH') &&
    isRecord(value.headers) &&
    Object.values(value.headers).every((header) => typeof header === 'string') &&
    (value.body === undefined || typeof value.body === 'string') &&
    typeof value.graphql === 'boolean'
  );
}

export function isLoadSpec(value: unknown): value is LoadSpec {
  return (
    isRecord(value) &&
    isRequestSpec(value) &&
    hasNumbers(value, ['connections', 'warmupSeconds', 'durationSeconds']) &&
    (value.amount === undefined || typeof value.amount === 'number') &&
    (value.serverPid === undefined || typeof value.serverPid === 'number')
  );
}

export function isOpenLoopSpec(value: unknown): value is OpenLoopSpec {
  return (
    isRecord(value) &&
    isRequestSpec(value) &&
    hasNumbers(value, ['ratePerSecond', 'warmupSeconds', 'durationSeconds'])
  );
}

export function isGotBaselineMode(value: unknown): value is GotBaselineMode {
  return value === 'patch' || value === 'get' || value === 'entities';
}

/** Reads a tool's spec from `argv[2]`, or exits naming what was expected. */
export function readSpec<T>(guard: (value: unknown) => value is T, usage: string): T {
  const raw = process.argv[2];
  let parsed: unknown;
  try {
    parsed = raw === undefined ? undefined : JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (!guard(parsed)) {
    process.stderr.write(`usage: ${usage}\n`);
    process.exit(2);
  }
  return parsed;
}

/** Only loopback targets: the benchmark must never load anything else. */
export function assertLoopback(url: string): void {
  const { hostname } = new URL(url);
  if (hostname !== '127.0.0.1' && hostname !== '[::1]' && hostname !== 'localhost') {
    throw new Error(`refusing a non-loopback target: ${hostname}`);
  }
}
