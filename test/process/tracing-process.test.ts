/**
 * Tracing configured the way an operator does it, by the standard OTEL_* variables, in a real
 * process: off costs nothing (no OpenTelemetry package is even loaded), on exports to a collector.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { postGraphQL } from '../support/harness.js';
import { startGateway, stopAllGateways } from '../support/child.js';
import { SPAN_KIND, startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROBE_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

interface ProbeResult {
  status: number;
  avaraCalls: number;
  packages: string[];
}

/** Runs `test/support/telemetry-probe.ts` with only PATH, HOME and `env`. */
async function probe(env: Record<string, string>): Promise<ProbeResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'test/support/telemetry-probe.ts'],
    {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      timeout: 15_000,
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ProbeResult;
}

describe('tracing in a real process', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(() => receiver.close());
  afterEach(stopAllGateways);

  it.each<[string, Record<string, string>]>([
    ['no exporter is configured', {}],
    [
      'OTEL_SDK_DISABLED=true',
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_SDK_DISABLED: 'true' },
    ],
    [
      'OTEL_TRACES_EXPORTER=none',
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_TRACES_EXPORTER: 'none' },
    ],
  ])('loads no OpenTelemetry SDK package when %s', async (_case, env) => {
    const result = await probe(env);

    expect(result).toMatchObject({ status: 200, avaraCalls: 1 });
    // Only the API may be there: a no-op facade that prom-client's process CPU metric requires.
    // The SDK (its core, resources, tracer provider and exporters) is not loaded.
    expect(result.packages.filter((name) => name !== '@opentelemetry/api')).toStrictEqual([]);
  });

  it('loads the SDK and only the chosen protocol exporter when an endpoint is set, and exports the trace', async () => {
    const result = await probe({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_SERVICE_NAME: 'users-subgraph-probe',
      // Read by the SDK itself, as the README says: a vendor collector's key.
      OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=probe-key-123',
    });

    expect(result).toMatchObject({ status: 200, avaraCalls: 1 });
    expect(result.packages).toEqual(
      expect.arrayContaining([
        '@opentelemetry/api',
        '@opentelemetry/core',
        '@opentelemetry/exporter-trace-otlp-proto',
        '@opentelemetry/resources',
        '@opentelemetry/sdk-trace',
      ]),
    );
    expect(result.packages).not.toContain('@opentelemetry/exporter-trace-otlp-http');
    // The process exported on close, before it printed: nothing to wait for.
    const spans = receiver.spans.filter((span) => span.traceId === PROBE_TRACE_ID);
    expect(spans.map((span) => span.kind).sort()).toStrictEqual([
      SPAN_KIND.INTERNAL,
      SPAN_KIND.SERVER,
      SPAN_KIND.CLIENT,
    ]);
    expect(spans[0]?.resource['service.name']).toBe('users-subgraph-probe');
    expect(receiver.headers.map((headers) => headers['x-collector-key'])).toContain(
      'probe-key-123',
    );
  });

  it('exports over http/json from `npm start` configured by the OTEL_* variables alone', async () => {
    const gateway = await startGateway({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'users-subgraph',
      OTEL_BSP_SCHEDULE_DELAY: '10',
    });
    const traceId = 'a'.repeat(31) + 'b';

    const response = await postGraphQL(
      gateway.url,
      { query: '{ user(userId: "usr_1234567890abcdef1234567890abcdef") { userId } }' },
      { traceparent: `00-${traceId}-${'c'.repeat(16)}-01` },
    );

    expect(response.body.errors).toBeUndefined();
    const spans = await receiver.waitFor((all) =>
      all.some((span) => span.traceId === traceId && span.kind === SPAN_KIND.SERVER),
    );
    const trace = spans.filter((span) => span.traceId === traceId);
    expect(trace).toHaveLength(3);
    expect(trace.every((span) => span.contentType.startsWith('application/json'))).toBe(true);
    expect(trace[0]?.resource['service.name']).toBe('users-subgraph');
    const operationLine = gateway.process.logs.find((line) => line.msg === 'operation');
    expect(operationLine).toMatchObject({
      trace_id: traceId,
      span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
  });
});
