/**
 * What metrics and tracing cost per operation: the production gateway three times over, as
 * separate processes on CPU 0 against the same demo API: metrics off (`METRICS_ENABLED=false`),
 * the default (metrics on, tracing off, so no SDK loaded), and tracing on, exporting every span
 * to a local OTLP sink (a stand-in collector on CPU 1) with the default sampler and batching.
 * Each round runs `updateUser` closed-loop on all three, in a rotating order so drift on a shared
 * machine falls on each alike; a cost is the per-round ratio of CPU µs per operation.
 */
import { SETTINGS } from './scenarios.js';
import { runTool, startService, type Pinning, type Service } from './processes.js';
import { isLoadResult, type LoadResult, type LoadSpec } from './protocol.js';
import { BENCH_API_KEY, expectSuccess, updateUserRequest } from './requests.js';
import { summarize, type Summary } from './stats.js';
import { cpuMicrosPerOp } from './summary.js';

const START_TIMEOUT_MS = 20_000;
const TOOL_TIMEOUT_MS = 60_000;
/**
 * Rounds of the three variants: more than the main benchmark's, because the costs measured are a
 * few percent and a shared machine's run-to-run spread is larger.
 */
export const TELEMETRY_ROUNDS = 12;
/** Short runs, alternated often: bursts of other work then fall on every variant alike. */
const WARMUP_SECONDS = 1;
const DURATION_SECONDS = 2;
/** The contract of issue 11: metrics on by default cost at most this share of CPU per operation. */
export const METRICS_COST_TARGET = 0.03;

const VARIANTS = ['metricsOff', 'default', 'tracing'] as const;
type Variant = (typeof VARIANTS)[number];

const LABELS: Record<Variant, string> = {
  metricsOff: 'metrics off, tracing off',
  default: 'default: metrics on, tracing off',
  tracing: 'metrics on, tracing on (OTLP/protobuf to a local sink)',
};

export interface TelemetryCost {
  /** CPU µs per `updateUser`, and req/s, per variant. */
  variants: Record<Variant, { cpuMicrosPerOp: Summary; rps: Summary; failures: number }>;
  /** Per round: default ÷ metrics off − 1. */
  metricsShare: Summary;
  /** Per round: tracing on ÷ default − 1. */
  tracingShare: Summary;
  /** What the sink received. */
  exported: { exports: number; bytes: number };
  /** CPU µs of the metric calls of one operation alone (`metrics-micro.ts`), free of noise. */
  metricsRecordingMicrosPerOp: number;
}

export interface TelemetryCostOptions {
  pinning: Pinning;
  demoUrl: string;
  rounds: number;
  progress: (message: string) => void;
}

function gatewayUrlOf(line: string): string | undefined {
  if (!line.includes('GraphQL gateway ready')) return undefined;
  try {
    const { url } = JSON.parse(line) as { url?: unknown };
    return typeof url === 'string' ? url.replace('//localhost:', '//127.0.0.1:') : undefined;
  } catch {
    return undefined;
  }
}

function startGateway(
  pinning: Pinning,
  name: string,
  env: Record<string, string>,
): Promise<Service> {
  return startService({
    name,
    args: ['dist/index.js'],
    cpu: 0,
    pinning,
    env: {
      NODE_ENV: 'production',
      AVARA_API_KEY: BENCH_API_KEY,
      PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    timeoutMs: START_TIMEOUT_MS,
    readyUrl: gatewayUrlOf,
  });
}

async function load(pinning: Pinning, name: string, gateway: Service): Promise<LoadResult> {
  const spec: LoadSpec = {
    ...updateUserRequest(gateway.url),
    connections: SETTINGS.connections,
    warmupSeconds: WARMUP_SECONDS,
    durationSeconds: DURATION_SECONDS,
    serverPid: gateway.pid,
  };
  const result = await runTool({
    name: `load ${name}`,
    args: ['--import', 'tsx', 'bench/load.ts', JSON.stringify(spec)],
    cpu: 1,
    pinning,
    timeoutMs: TOOL_TIMEOUT_MS,
  });
  if (!isLoadResult(result)) throw new Error(`load ${name}: unexpected result`);
  return result;
}

export async function measureTelemetryCost({
  pinning,
  demoUrl,
  rounds,
  progress,
}: TelemetryCostOptions): Promise<TelemetryCost> {
  progress('telemetry cost: starting the OTLP sink and three gateways');
  const sink = await startService({
    name: 'otlp sink',
    args: ['--import', 'tsx', 'bench/otlp-sink.ts'],
    cpu: 1,
    pinning,
    timeoutMs: START_TIMEOUT_MS,
    readyUrl: (line) => /listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1],
  });
  const base = { AVARA_BASE_URL: demoUrl };
  const gateways: Record<Variant, Service> = {
    metricsOff: await startGateway(pinning, 'gateway, metrics off', {
      ...base,
      METRICS_ENABLED: 'false',
    }),
    default: await startGateway(pinning, 'gateway, default', base),
    tracing: await startGateway(pinning, 'gateway, tracing on', {
      ...base,
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      OTEL_SERVICE_NAME: 'avara-graphql-gateway-bench',
    }),
  };
  try {
    for (const variant of VARIANTS) {
      await expectSuccess(`${variant} updateUser`, updateUserRequest(gateways[variant].url));
    }
    const runs: Record<Variant, LoadResult[]> = { metricsOff: [], default: [], tracing: [] };
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < VARIANTS.length; i++) {
        const variant = VARIANTS[(round + i) % VARIANTS.length] as Variant;
        progress(`telemetry cost round ${round + 1}/${rounds}: ${LABELS[variant]}`);
        runs[variant].push(await load(pinning, variant, gateways[variant]));
      }
    }
    const cpu = (variant: Variant, round: number) =>
      cpuMicrosPerOp(runs[variant][round] as LoadResult);
    const perRound = (ratio: (round: number) => number) =>
      summarize(Array.from({ length: rounds }, (_, round) => ratio(round)));
    const exported = (await (await fetch(`${sink.url}/stats`)).json()) as TelemetryCost['exported'];
    progress('telemetry cost: the metric calls of one operation alone');
    const micro = await runTool({
      name: 'metrics micro',
      args: ['--import', 'tsx', 'bench/metrics-micro.ts'],
      cpu: 0,
      pinning,
      timeoutMs: TOOL_TIMEOUT_MS,
    });
    const metricsRecordingMicrosPerOp =
      typeof micro === 'object' && micro !== null && 'cpuMicrosPerOp' in micro
        ? Number(micro.cpuMicrosPerOp)
        : Number.NaN;
    return {
      variants: Object.fromEntries(
        VARIANTS.map((variant) => [
          variant,
          {
            cpuMicrosPerOp: summarize(runs[variant].map(cpuMicrosPerOp)),
            rps: summarize(runs[variant].map((run) => run.rps)),
            failures: runs[variant].reduce(
              (sum, run) => sum + run.non2xx + run.errors + run.mismatches,
              0,
            ),
          },
        ]),
      ) as TelemetryCost['variants'],
      metricsShare: perRound((round) => cpu('default', round) / cpu('metricsOff', round) - 1),
      tracingShare: perRound((round) => cpu('tracing', round) / cpu('default', round) - 1),
      exported,
      metricsRecordingMicrosPerOp,
    };
  } finally {
    await Promise.all([...Object.values(gateways), sink].map((service) => service.stop()));
  }
}

const fixed = (value: number, digits: number) =>
  Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
const spread = ({ median, min, max }: Summary, digits: number) =>
  `${fixed(median, digits)} (${fixed(min, digits)}–${fixed(max, digits)})`;
const percent = ({ median, min, max, values }: Summary): Summary => ({
  median: median * 100,
  min: min * 100,
  max: max * 100,
  values: values.map((value) => value * 100),
});

export function formatTelemetryCost(cost: TelemetryCost): string {
  const rows = VARIANTS.map((variant) => {
    const { cpuMicrosPerOp, rps, failures } = cost.variants[variant];
    return `  ${LABELS[variant].padEnd(56)} ${spread(cpuMicrosPerOp, 0).padEnd(18)} ${spread(rps, 0).padEnd(20)} ${failures}`;
  });
  const metrics = cost.metricsShare.median;
  const verdict = metrics <= METRICS_COST_TARGET ? '✔' : '✘';
  return [
    '',
    'Telemetry cost, gateway updateUser (median (min–max) across rounds)',
    `  ${''.padEnd(56)} ${'CPU µs/op'.padEnd(18)} ${'req/s'.padEnd(20)} failed`,
    ...rows,
    `  metrics: ${spread(percent(cost.metricsShare), 1)}% CPU per operation ` +
      `(target ≤ ${METRICS_COST_TARGET * 100}%) ${verdict}`,
    `  the metric calls of one operation alone: ${fixed(cost.metricsRecordingMicrosPerOp, 2)} µs ` +
      `(${fixed((cost.metricsRecordingMicrosPerOp / cost.variants.metricsOff.cpuMicrosPerOp.median) * 100, 2)}% of an operation)`,
    `  tracing: ${spread(percent(cost.tracingShare), 1)}% CPU per operation on top of the default, ` +
      `${cost.exported.exports} exports, ${(cost.exported.bytes / 1e6).toFixed(1)} MB to the sink`,
    '',
  ].join('\n');
}
