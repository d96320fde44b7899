/**
 * The OpenTelemetry SDK behind `Tracing`: a tracer provider of this server's own (never the
 * global one), batch export over OTLP/HTTP in protobuf or JSON, W3C Trace Context in and out.
 * Loaded by `startTracing` only when tracing is on. Attribute names follow the semantic
 * conventions (HTTP server and client spans, GraphQL server spans); no span carries a header
 * value, a variable, a query string or a body.
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  defaultTextMapGetter,
  defaultTextMapSetter,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace';
import type { AttemptEnd } from '../avara/instrumentation.js';
import { codeForAvaraError } from '../graphql/errors.js';
import { methodLabel } from './labels.js';
import type { Tracing, TracingSettings } from './tracing.js';

/** Routes a server span names; any other path is not recorded (it is the caller's text). */
const ROUTES: ReadonlySet<string> = new Set(['/graphql', '/health', '/metrics']);

/**
 * How long a stop waits for the last export. A collector that accepts and never answers would
 * otherwise hold the shutdown for the exporter's own 10 s timeout; its spans are lost instead.
 */
const SHUTDOWN_EXPORT_MS = 2_000;

/** The longest operation name put in a span name; graphql-js bounds names only by the document. */
const MAX_NAME_LENGTH = 100;

export async function createOtelTracing(settings: TracingSettings): Promise<Tracing> {
  const exporter = await createExporter(settings);
  const provider = new TracerProvider({
    resource: defaultResource()
      .merge(detectResources({ detectors: [envDetector] }))
      .merge(resourceFromAttributes({ 'service.name': settings.serviceName })),
    sampler: createSampler(settings),
    spanProcessors: [
      new BatchSpanProcessor({ exporter, scheduledDelayMillis: settings.scheduledDelayMs }),
    ],
    // Bounds what any attribute can cost, whatever reaches it.
    spanLimits: { attributeValueLengthLimit: 512 },
  });
  const tracer = provider.getTracer('avara-graphql-gateway');
  const propagator = new W3CTraceContextPropagator();
  const avara = settings.avaraBaseUrl === undefined ? undefined : new URL(settings.avaraBaseUrl);
  const avaraAttributes: Attributes = avara
    ? {
        'server.address': avara.hostname,
        'server.port': Number(avara.port) || (avara.protocol === 'https:' ? 443 : 80),
      }
    : {};

  return {
    startServerSpan(method, path, headers) {
      const parent = propagator.extract(ROOT_CONTEXT, headersOf(headers), defaultTextMapGetter);
      const route = ROUTES.has(path) ? path : undefined;
      const requestMethod = otelMethod(method);
      const span = tracer.startSpan(
        route ? `${requestMethod} ${route}` : requestMethod,
        {
          kind: SpanKind.SERVER,
          attributes: {
            'http.request.method': requestMethod,
            'url.scheme': 'http',
            ...(route && { 'url.path': route, 'http.route': route }),
          },
        },
        parent,
      );
      return {
        context: trace.setSpan(parent, span),
        end(status, aborted) {
          if (status !== undefined) span.setAttribute('http.response.status_code', status);
          // A server span is an error for a 5xx only: a 4xx is the client's mistake.
          if (aborted) fail(span, 'aborted');
          else if (status !== undefined && status >= 500) fail(span, String(status));
          span.end();
        },
      };
    },

    startOperationSpan(parent) {
      const span = tracer.startSpan('GraphQL operation', { kind: SpanKind.INTERNAL }, parent);
      const { traceId, spanId } = span.spanContext();
      return {
        context: trace.setSpan(parent ?? ROOT_CONTEXT, span),
        ids: { trace_id: traceId, span_id: spanId },
        resolved(type, name) {
          span.setAttribute('graphql.operation.type', type);
          if (name === undefined) {
            span.updateName(type);
          } else {
            span.setAttribute('graphql.operation.name', name);
            span.updateName(`${type} ${name.slice(0, MAX_NAME_LENGTH)}`);
          }
        },
        end(code) {
          if (code !== 'OK') fail(span, code);
          span.end();
        },
      };
    },

    startClientSpan({ method, path, resendCount, traceContext }) {
      const span = tracer.startSpan(
        method,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'http.request.method': method,
            'http.request.resend_count': resendCount,
            ...avaraAttributes,
            ...(avara && { 'url.full': `${avara.origin}${avaraPath(avara, path)}` }),
          },
        },
        traceContext,
      );
      const headers: Record<string, string> = {};
      propagator.inject(trace.setSpan(ROOT_CONTEXT, span), headers, defaultTextMapSetter);
      return {
        headers,
        end(outcome: AttemptEnd) {
          if ('status' in outcome) {
            span.setAttribute('http.response.status_code', outcome.status);
            if (outcome.status >= 400) {
              fail(span, codeForAvaraError({ kind: 'status', status: outcome.status }));
            }
          } else {
            fail(span, failureCode(outcome.failure));
          }
          span.end();
        },
      };
    },

    async shutdown() {
      let timer: NodeJS.Timeout | undefined;
      const givenUp = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, SHUTDOWN_EXPORT_MS).unref();
      });
      await Promise.race([provider.shutdown().catch(() => undefined), givenUp]);
      clearTimeout(timer);
    },
  };
}

async function createExporter({ protocol, url }: TracingSettings): Promise<SpanExporter> {
  // Only the chosen protocol's exporter is loaded.
  const { OTLPTraceExporter } =
    protocol === 'http/json'
      ? await import('@opentelemetry/exporter-trace-otlp-http')
      : await import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter({ url });
}

function createSampler({ sampler, samplerRatio }: TracingSettings): Sampler {
  const root = (kind: 'always_on' | 'always_off' | 'traceidratio'): Sampler => {
    switch (kind) {
      case 'always_on':
        return new AlwaysOnSampler();
      case 'always_off':
        return new AlwaysOffSampler();
      case 'traceidratio':
        return new TraceIdRatioBasedSampler(samplerRatio);
    }
  };
  switch (sampler) {
    case 'always_on':
    case 'always_off':
    case 'traceidratio':
      return root(sampler);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: root('always_on') });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: root('always_off') });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: root('traceidratio') });
  }
}

/** Marks a span failed; `errorType` is a closed code, never a message. */
function fail(span: Span, errorType: string): void {
  span.setAttribute('error.type', errorType);
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
}

function failureCode(failure: 'timeout' | 'refused' | 'lost' | 'internal'): string {
  if (failure === 'internal') return 'INTERNAL_SERVER_ERROR';
  return codeForAvaraError({ kind: failure === 'timeout' ? 'timeout' : 'connection' });
}

/** The semantic conventions' `_OTHER` for a method outside the known set. */
function otelMethod(method: string): string {
  const known = methodLabel(method);
  return known === 'OTHER' ? '_OTHER' : known;
}

/** The attempt's URL path, without its query string (which may carry filters of personal data). */
function avaraPath(base: URL, path: string): string {
  const query = path.indexOf('?');
  const prefix = base.pathname.replace(/\/+$/, '');
  return `${prefix}/v1/viewer/${query === -1 ? path : path.slice(0, query)}`;
}

/** Only the two headers the propagator reads, so nothing else can be looked at. */
function headersOf(headers: IncomingHttpHeaders): Record<string, string | string[] | undefined> {
  return { traceparent: headers.traceparent, tracestate: headers.tracestate };
}
