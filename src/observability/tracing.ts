/**
 * Tracing as the rest of the gateway sees it. The OpenTelemetry SDK is behind a dynamic import:
 * when no exporter is configured it is never loaded, so tracing off costs nothing but an
 * `undefined` check per request. Contexts are passed explicitly (request → operation → Avara
 * call), never through AsyncLocalStorage: no global provider, no context manager, so several
 * servers in one process keep their traces apart.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Context } from '@opentelemetry/api';
import type { AttemptEnd, AttemptStart } from '../avara/instrumentation.js';
import type { Config, OtlpProtocol, TracesSampler } from '../config.js';

export interface TracingSettings {
  /** The full OTLP/HTTP traces URL. */
  url: string;
  protocol: OtlpProtocol;
  serviceName: string;
  sampler: TracesSampler;
  samplerRatio: number;
  scheduledDelayMs: number;
  /** Where Avara is: `server.address`, `server.port` and `url.full` of client spans. */
  avaraBaseUrl: string | undefined;
}

/** The ids a log line carries to join the trace: the operation span's. */
export interface TraceIds {
  trace_id: string;
  span_id: string;
}

export interface ServerSpan {
  /** Parent of the operation span. */
  readonly context: Context;
  /** `status` is undefined when none was sent (the caller left first). */
  end(status: number | undefined, aborted: boolean): void;
}

export interface OperationSpan {
  /** Parent of every Avara attempt's client span. */
  readonly context: Context;
  readonly ids: TraceIds;
  /** Once the operation is known: the span is renamed `query GetUser`. */
  resolved(type: string, name: string | undefined): void;
  /** `code` is `OK` or the first error's code. */
  end(code: string): void;
}

export interface ClientSpan {
  /** The `traceparent` (and `tracestate`) that make Avara's spans children of this one. */
  readonly headers: Readonly<Record<string, string>>;
  end(outcome: AttemptEnd): void;
}

export interface Tracing {
  /** Continues a valid W3C `traceparent` in `headers`, else starts a trace. */
  startServerSpan(method: string, path: string, headers: IncomingHttpHeaders): ServerSpan;
  startOperationSpan(parent: Context | undefined): OperationSpan;
  startClientSpan(attempt: AttemptStart): ClientSpan;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

/**
 * Tracing is on when an exporter is configured: an OTLP endpoint, with neither
 * `OTEL_SDK_DISABLED=true` nor `OTEL_TRACES_EXPORTER=none`.
 */
export function tracingSettingsOf(config: Config): TracingSettings | undefined {
  if (config.otelSdkDisabled || config.otelTracesExporter === 'none') return undefined;
  const url =
    config.otelExporterOtlpTracesEndpoint ??
    (config.otelExporterOtlpEndpoint === undefined
      ? undefined
      : `${config.otelExporterOtlpEndpoint}/v1/traces`);
  if (url === undefined) return undefined;
  return {
    url,
    protocol: config.otelExporterOtlpTracesProtocol ?? config.otelExporterOtlpProtocol,
    serviceName: config.otelServiceName,
    sampler: config.otelTracesSampler,
    samplerRatio: config.otelTracesSamplerArg,
    scheduledDelayMs: config.otelBspScheduleDelayMs,
    avaraBaseUrl: config.avaraBaseUrl,
  };
}

/** Loads the SDK only when tracing is on. */
export async function startTracing(
  settings: TracingSettings | undefined,
): Promise<Tracing | undefined> {
  if (settings === undefined) return undefined;
  const { createOtelTracing } = await import('./otel.js');
  return createOtelTracing(settings);
}
