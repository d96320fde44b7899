/**
 * The gateway's telemetry in one object: metrics (on by default) and tracing (on when an exporter
 * is configured), with the three places they hook in: each HTTP request, each GraphQL operation
 * (`telemetry-plugin.ts`) and each Avara attempt.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from '@opentelemetry/api';
import type { AvaraInstrumentation } from '../avara/instrumentation.js';
import type { Config } from '../config.js';
import { createMetrics, type CircuitState, type HttpAnswer, type Metrics } from './metrics.js';
import { startTracing, tracingSettingsOf, type Tracing } from './tracing.js';

export interface Telemetry {
  readonly metrics: Metrics | undefined;
  readonly tracing: Tracing | undefined;
  /** Per-attempt hooks for `createAvaraClient`; undefined when both are off. */
  readonly instrumentation: AvaraInstrumentation | undefined;
  /**
   * Observes one HTTP request until its response is finished or its connection closes: the
   * server span and the duration histogram. Call it first, for every request.
   */
  observeRequest(req: IncomingMessage, res: ServerResponse): void;
  /**
   * The trace context of the request whose headers these are (tracing on), for its GraphQL
   * context. Keyed by the headers object, so any HTTP layer that hands `req.headers` to its
   * context factory can find it without passing anything else through.
   */
  traceContextOf(headers: IncomingHttpHeaders): Context | undefined;
  /** `GET /metrics`, or undefined when metrics are off. */
  scrape(): Promise<HttpAnswer> | undefined;
  /** Writes `GET /metrics` on any Node response; false (nothing written) when metrics are off. */
  writeMetrics(res: ServerResponse): Promise<boolean>;
  /** Exports the spans still buffered. */
  close(): Promise<void>;
}

export interface TelemetryOptions {
  /** The circuit breaker's state, read at each scrape. */
  circuitState: () => CircuitState;
}

export async function createTelemetry(
  config: Config,
  { circuitState }: TelemetryOptions,
): Promise<Telemetry> {
  const metrics = config.metricsEnabled ? createMetrics({ circuitState }) : undefined;
  const tracing = await startTracing(tracingSettingsOf(config));

  const instrumentation: AvaraInstrumentation | undefined =
    metrics || tracing
      ? {
          startAttempt(start) {
            const started = performance.now();
            const span = tracing?.startClientSpan(start);
            return {
              headers: span?.headers,
              end(outcome) {
                span?.end(outcome);
                metrics?.observeAttempt(
                  start.method,
                  start.resendCount,
                  outcome,
                  (performance.now() - started) / 1000,
                );
              },
            };
          },
        }
      : undefined;

  const contexts = new WeakMap<IncomingHttpHeaders, Context>();

  return {
    metrics,
    tracing,
    instrumentation,
    observeRequest(req, res) {
      if (!metrics && !tracing) return;
      const started = performance.now();
      const method = req.method ?? 'GET';
      const span = tracing?.startServerSpan(method, pathOf(req.url), req.headers);
      // 'close' comes once per response, after 'finish' or when the connection broke first.
      res.once('close', () => {
        const aborted = !res.writableFinished;
        // No status was sent to a caller that left first: 499, nginx's "client closed request".
        const status = aborted && !res.headersSent ? CLIENT_CLOSED_REQUEST : res.statusCode;
        span?.end(res.headersSent ? res.statusCode : undefined, aborted);
        metrics?.observeServerRequest(method, status, (performance.now() - started) / 1000);
      });
      if (span) contexts.set(req.headers, span.context);
    },
    traceContextOf: (headers) => contexts.get(headers),
    scrape: () => metrics?.scrape(),
    async writeMetrics(res) {
      const answer = await metrics?.scrape();
      if (answer === undefined) return false;
      res.writeHead(answer.status, answer.headers).end(answer.body);
      return true;
    },
    close: async () => tracing?.shutdown(),
  };
}

const CLIENT_CLOSED_REQUEST = 499;

/** The path of a request target, without its query string. */
function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
