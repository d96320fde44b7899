/**
 * Reads a request body into memory, never past `limitBytes`: a declared `content-length` over the
 * limit is refused before a byte is read, and a body that grows past it stops being read.
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

export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limitBytes) return Promise.reject(tooLarge(limitBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limitBytes) {
        stop();
        req.pause();
        reject(tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      stop();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
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
