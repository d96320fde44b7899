/**
 * The few HTTP chores every demo answer shares: reading a capped body, minting request ids and
 * writing JSON. Kept allocation-light because the demo API is the benchmark's upstream.
 */
import { randomFillSync } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';

/** Larger bodies are answered 413, like an API gateway in front of the real service would. */
export const MAX_BODY_BYTES = 1024 * 1024;

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** What a route answers; the server turns it into bytes. */
export interface DemoResponse {
  status: number;
  /** Serialised as JSON; absent means an empty body. */
  body?: unknown;
  /** Extra headers, e.g. `allow` on a 405. */
  headers?: Readonly<Record<string, string>>;
}

/** `{ message }`, the error body shape the real API uses. */
export function errorResponse(status: number, message: string): DemoResponse {
  return { status, body: { message } };
}

/** The reason phrase of a status (`Bad Gateway`), for default error bodies. */
export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

export interface RequestBody {
  /** The body as text; empty when it was too large (it is drained, not kept). */
  text: string;
  tooLarge: boolean;
}

/**
 * Reads the whole body. A body over the cap is still drained, so the client sees the 413 instead
 * of a reset connection mid-upload. Resolves `undefined` when the client goes away first.
 */
export function readRequestBody(
  request: IncomingMessage,
  maxBytes = MAX_BODY_BYTES,
): Promise<RequestBody | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    request.on('end', () => {
      const tooLarge = size > maxBytes;
      resolve({ text: tooLarge ? '' : Buffer.concat(chunks, size).toString('utf8'), tooLarge });
    });
    request.on('error', () => resolve(undefined));
    request.on('close', () => {
      if (!request.complete) resolve(undefined);
    });
  });
}

/** The parsed body, or `undefined` when there is none or it is not JSON. */
export function parseJsonBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

// Request ids come from a refilled pool of random bytes: one syscall per 512 responses.
const idPool = Buffer.alloc(4096);
let idPoolOffset = idPool.length;

/** `req_` followed by 16 random hex characters, like the real API's `x-request-id`. */
export function newRequestId(): string {
  if (idPoolOffset === idPool.length) {
    randomFillSync(idPool);
    idPoolOffset = 0;
  }
  const id = idPool.toString('hex', idPoolOffset, idPoolOffset + 8);
  idPoolOffset += 8;
  return `req_${id}`;
}

/**
 * Writes one complete answer. `extraHeaders` (lower-cased) are applied last, so a fault can
 * override even `content-type` or `x-request-id`.
 */
export function writeResponse(
  response: ServerResponse,
  status: number,
  text: string | Buffer,
  extraHeaders?: Readonly<Record<string, string>>,
): void {
  response.writeHead(status, responseHeaders(status, Buffer.byteLength(text), extraHeaders));
  response.end(text);
}

/** The headers of an answer of `length` body bytes (`undefined`: chunked, no length given). */
export function responseHeaders(
  status: number,
  length: number | undefined,
  extraHeaders?: Readonly<Record<string, string>>,
): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {
    'content-type': JSON_CONTENT_TYPE,
    'x-request-id': newRequestId(),
  };
  // 204 and 304 must not carry a body length (RFC 9110 §8.6); Node drops their body anyway.
  if (status !== 204 && status !== 304 && length !== undefined) headers['content-length'] = length;
  if (extraHeaders !== undefined) {
    for (const [name, value] of Object.entries(extraHeaders)) headers[name.toLowerCase()] = value;
  }
  return headers;
}

/** Writes a route's answer as JSON; a fault's `extraHeaders` win over the route's own. */
export function writeJson(
  response: ServerResponse,
  { status, body, headers }: DemoResponse,
  extraHeaders?: Readonly<Record<string, string>>,
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  const merged = headers === undefined ? extraHeaders : { ...headers, ...extraHeaders };
  writeResponse(response, status, text, merged);
}
