/**
 * The Prometheus metrics of one gateway (the contract's "Observability" table) plus prom-client's
 * process and Node.js runtime metrics. One registry per server, so servers started side by side
 * (the tests) never mix their counts. Label values come from `labels.ts` only.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AttemptEnd } from '../avara/instrumentation.js';
import type { AvaraMethod } from '../avara/retry.js';
import { methodLabel, operationCodeLabel, operationTypeLabel, statusLabel } from './labels.js';

/** OpenTelemetry's recommended buckets for HTTP durations, in seconds. */
const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/** The contract's gauge values. */
const CIRCUIT_STATES = { closed: 0, 'half-open': 1, open: 2 } as const;
export type CircuitState = keyof typeof CIRCUIT_STATES;

/** What any HTTP layer writes back for `GET /metrics`. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Metrics {
  observeServerRequest(method: string, status: number, seconds: number): void;
  observeAttempt(method: AvaraMethod, resendCount: number, end: AttemptEnd, seconds: number): void;
  /** One finished GraphQL operation: its type (if resolved) and `OK` or its first error code. */
  countOperation(type: string | undefined, code: unknown): void;
  /** The Prometheus text exposition of every metric. */
  scrape(): Promise<HttpAnswer>;
}

export interface MetricsOptions {
  /** Read at scrape time. */
  circuitState: () => CircuitState;
}

export function createMetrics({ circuitState }: MetricsOptions): Metrics {
  const registry = new Registry();
  const registers = [registry];
  // Resident memory, heap, event-loop lag, GC durations, handles… as every Node service has them.
  collectDefaultMetrics({ register: registry });

  const serverDuration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP requests served, from the first byte read to the last byte written.',
    labelNames: ['http_request_method', 'http_response_status_code'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const clientDuration = new Histogram({
    name: 'http_client_request_duration_seconds',
    help: 'Duration of each attempt sent to Avara; no status code (and an error_type) when there was no answer.',
    labelNames: ['http_request_method', 'http_response_status_code', 'error_type'] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const operations = new Counter({
    name: 'avara_gateway_operations_total',
    help: 'GraphQL operations finished, by type and by OK or the first error code.',
    labelNames: ['operation_type', 'code'] as const,
    registers,
  });
  const retries = new Counter({
    name: 'avara_gateway_upstream_retries_total',
    help: 'Attempts to Avara that repeated an earlier attempt of the same call.',
    labelNames: ['http_request_method'] as const,
    registers,
  });
  new Gauge({
    name: 'avara_gateway_circuit_state',
    help: 'The Avara circuit breaker: 0 closed, 1 half-open, 2 open.',
    registers,
    collect() {
      this.set(CIRCUIT_STATES[circuitState()]);
    },
  });

  // Series every dashboard expects from the start, so rate() and increase() see them at zero.
  for (const type of ['query', 'mutation']) operations.labels(type, 'OK');
  for (const method of ['GET', 'PATCH', 'POST']) retries.labels(method);

  return {
    observeServerRequest(method, status, seconds) {
      serverDuration.observe(
        {
          http_request_method: methodLabel(method),
          http_response_status_code: statusLabel(status),
        },
        seconds,
      );
    },
    observeAttempt(method, resendCount, end, seconds) {
      const labels =
        'status' in end
          ? { http_request_method: method, http_response_status_code: statusLabel(end.status) }
          : { http_request_method: method, error_type: end.failure };
      clientDuration.observe(labels, seconds);
      if (resendCount > 0) retries.inc({ http_request_method: method });
    },
    countOperation(type, code) {
      operations.inc({ operation_type: operationTypeLabel(type), code: operationCodeLabel(code) });
    },
    async scrape() {
      return {
        status: 200,
        headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
        body: await registry.metrics(),
      };
    },
  };
}
