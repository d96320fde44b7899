/**
 * An OTLP/HTTP traces receiver on loopback, as a collector would be: it decodes what the
 * gateway's exporter sends, as protobuf (with its own copy of the OTLP schema, through
 * protobufjs, so the exporter's encoder is checked against an independent decoder) or as JSON,
 * and lets a test await the spans it expects instead of sleeping.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';

/** The part of opentelemetry-proto's trace service request a test reads (field numbers as there). */
const OTLP_TRACE_PROTO = `
syntax = "proto3";
package otlp;
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
message Resource { repeated KeyValue attributes = 1; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
message InstrumentationScope { string name = 1; string version = 2; }
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string trace_state = 3;
  bytes parent_span_id = 4;
  string name = 5;
  int32 kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  Status status = 15;
  fixed32 flags = 16;
}
message Status { string message = 2; int32 code = 3; }
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    bytes bytes_value = 7;
  }
}
`;
const ExportTraceServiceRequest = protobuf
  .parse(OTLP_TRACE_PROTO, { keepCase: false })
  .root.lookupType('otlp.ExportTraceServiceRequest');

export const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3 } as const;
export const STATUS_CODE = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export type AttributeValue = string | number | boolean;

/** One span as received, ids in lowercase hex ('' for no parent). */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, AttributeValue>;
  status: { code: number; message: string };
  /** The resource's attributes (`service.name` …). */
  resource: Record<string, AttributeValue>;
  /** How it arrived. */
  contentType: string;
}

export interface OtlpReceiver {
  /** `http://127.0.0.1:PORT`: an `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly url: string;
  readonly spans: readonly ReceivedSpan[];
  /** Resolves with the spans once `ready(spans)` holds, checked on every export received. */
  waitFor(ready: (spans: readonly ReceivedSpan[]) => boolean): Promise<readonly ReceivedSpan[]>;
  /** Paths the exporter posted to. */
  readonly paths: readonly string[];
  /** The headers of each export. */
  readonly headers: readonly http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

interface KeyValue {
  key: string;
  value?: {
    stringValue?: string;
    boolValue?: boolean;
    intValue?: number | string;
    doubleValue?: number;
  };
}

interface WireSpan {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  attributes?: KeyValue[];
  status?: { code?: number; message?: string };
}

interface WireRequest {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: { spans?: WireSpan[] }[];
  }[];
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const paths: string[] = [];
  const headers: http.IncomingHttpHeaders[] = [];
  const waiters = new Set<() => void>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      paths.push(req.url ?? '');
      headers.push(req.headers);
      const contentType = req.headers['content-type'] ?? '';
      const body = Buffer.concat(chunks);
      try {
        spans.push(...decode(body, contentType));
      } catch (error) {
        res.writeHead(400).end(String(error));
        return;
      }
      const isJson = contentType.startsWith('application/json');
      res.writeHead(200, {
        'content-type': isJson ? 'application/json' : 'application/x-protobuf',
      });
      res.end(isJson ? '{}' : '');
      for (const wake of [...waiters]) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    paths,
    headers,
    waitFor(ready) {
      return new Promise((resolve) => {
        const check = () => {
          if (!ready(spans)) return;
          waiters.delete(check);
          resolve(spans);
        };
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function decode(body: Buffer, contentType: string): ReceivedSpan[] {
  let request: WireRequest;
  let hex: (id: string | undefined) => string;
  if (contentType.startsWith('application/json')) {
    request = JSON.parse(body.toString('utf8')) as WireRequest;
    hex = (id) => (id ?? '').toLowerCase();
  } else if (contentType.startsWith('application/x-protobuf')) {
    const message = ExportTraceServiceRequest.decode(body);
    request = ExportTraceServiceRequest.toObject(message, {
      longs: Number,
      bytes: String, // base64
      defaults: false,
    }) as WireRequest;
    hex = (id) => Buffer.from(id ?? '', 'base64').toString('hex');
  } else {
    throw new Error(`unexpected content-type ${contentType}`);
  }
  return (request.resourceSpans ?? []).flatMap(({ resource, scopeSpans }) =>
    (scopeSpans ?? []).flatMap(({ spans = [] }) =>
      spans.map((span) => ({
        traceId: hex(span.traceId),
        spanId: hex(span.spanId),
        parentSpanId: hex(span.parentSpanId),
        name: span.name,
        kind: span.kind ?? 0,
        attributes: attributesOf(span.attributes),
        status: { code: span.status?.code ?? 0, message: span.status?.message ?? '' },
        resource: attributesOf(resource?.attributes),
        contentType,
      })),
    ),
  );
}

function attributesOf(list: KeyValue[] | undefined): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = {};
  for (const { key, value = {} } of list ?? []) {
    if (value.stringValue !== undefined) attributes[key] = value.stringValue;
    else if (value.boolValue !== undefined) attributes[key] = value.boolValue;
    else if (value.intValue !== undefined) attributes[key] = Number(value.intValue);
    else if (value.doubleValue !== undefined) attributes[key] = value.doubleValue;
  }
  return attributes;
}
