/**
 * Reads a request body into memory, never past `limitBytes`: a declared `content-length` over the
 * limit is refused before a byte is read, and a body that grows past it stops being read. Each
 * chunk is copied into one growing buffer as it arrives: a chunked body sent one byte per chunk
 * would otherwise keep one Buffer object (about a hundred bytes) per byte until the body ended.
 */
import type { IncomingMessage } from 'node:http';
import { HttpRefusal } from './refusal.js';

function tooLarge(limitBytes: number): HttpRefusal {
  return new HttpRefusal(
    413,
    'PAYLOAD_TOO_LARGE',
    `Request body larger than ${limitBytes} bytes`,
    true,
  );
}

const INITIAL_BUFFER_BYTES = 16_384;

/** Bodies whose reading started before their request's turn (pipelined behind another). */
const startedEarly = new WeakMap<IncomingMessage, Promise<Buffer>>();

/**
 * Starts reading a body now, for `readBody` to return later. A request queued behind another on
 * its connection is otherwise not read: Node keeps every chunk it parses for it, one Buffer object
 * per chunk (7.6 MB per connection for a 99 kB body sent one byte per chunk). Read now, it costs
 * its size.
 */
export function startReadingBody(req: IncomingMessage, limitBytes: number): void {
  if (startedEarly.has(req)) return;
  const reading = readBody(req, limitBytes);
  // Handled when the request's turn comes; a request whose connection closed never gets one.
  reading.catch(() => undefined);
  startedEarly.set(req, reading);
}

export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const early = startedEarly.get(req);
  if (early !== undefined) return early;
  const declared = Number(req.headers['content-length']);
  if (declared > limitBytes) return Promise.reject(tooLarge(limitBytes));
  return new Promise((resolve, reject) => {
    // Grown by doubling as bytes arrive, never allocated ahead of them past the first 16 kB.
    let body = Buffer.allocUnsafe(Math.min(limitBytes, INITIAL_BUFFER_BYTES));
    let size = 0;
    const onData = (chunk: Buffer): void => {
      const needed = size + chunk.length;
      if (needed > limitBytes) {
        stop();
        req.pause();
        reject(tooLarge(limitBytes));
        return;
      }
      if (needed > body.length) {
        const grown = Buffer.allocUnsafe(Math.min(limitBytes, Math.max(needed, body.length * 2)));
        body.copy(grown, 0, 0, size);
        body = grown;
      }
      chunk.copy(body, size);
      size = needed;
    };
    const onEnd = (): void => {
      stop();
      resolve(body.subarray(0, size));
    };
    const onError = (error: Error): void => {
      stop();
      reject(error);
    };
    // The client hung up, or the server's request timeout closed the connection, mid-body.
    const onClose = (): void => onError(new Error('the request closed before its body ended'));
    const stop = (): void => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/**
 * The JSON of a body, or `undefined` for a body Apollo Server should see as missing (empty, or not
 * declared as JSON: Apollo then answers its own 400). A body that claims JSON and is not is a 400.
 */
export function parseJsonBody(body: Buffer, contentType: string | undefined): unknown {
  if (body.length === 0 || contentType === undefined || !isJsonMediaType(contentType)) {
    return undefined;
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpRefusal(400, 'BAD_REQUEST', 'Request body is not valid JSON');
  }
}

/** `application/json` or `application/graphql-response+json`, with any parameters. */
export function isJsonMediaType(contentType: string): boolean {
  const semicolon = contentType.indexOf(';');
  const essence = (semicolon === -1 ? contentType : contentType.slice(0, semicolon))
    .trim()
    .toLowerCase();
  return essence === 'application/json' || essence.endsWith('+json');
}
