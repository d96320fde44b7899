/**
 * Answers that test how the gateway reads a body: a huge one, generated while it is written and
 * paced by the socket (so the demo itself never holds it), and a dripping one, a byte at a time.
 * Both stop as soon as the reader hangs up, and say how many body bytes they got out.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { responseHeaders } from './http.js';

const CHUNK = Buffer.alloc(64 * 1024, 0x20); // spaces: trailing JSON whitespace

/** Body bytes the demo's slow answers wrote, for tests that bound what a reader took in. */
export interface BodyCounter {
  bytesWritten: number;
}

/** `text` (a JSON answer) padded with spaces to `bytes` bytes. */
export async function writePaddedBody(
  response: ServerResponse,
  options: {
    status: number;
    text: string;
    bytes: number;
    declareLength: boolean;
    headers?: Readonly<Record<string, string>>;
    signal: AbortSignal;
    counter: BodyCounter;
  },
): Promise<void> {
  const { status, text, bytes, declareLength, headers, signal, counter } = options;
  const head = Buffer.from(text);
  const total = Math.max(bytes, head.length);
  response.writeHead(status, responseHeaders(status, declareLength ? total : undefined, headers));
  let written = 0;
  const write = async (chunk: Buffer): Promise<boolean> => {
    if (response.destroyed || signal.aborted) return false;
    const flushed = response.write(chunk);
    written += chunk.length;
    counter.bytesWritten += chunk.length;
    // Paced by the reader: wait for the socket to drain (or to close) before the next chunk.
    if (!flushed) {
      await Promise.race([once(response, 'drain'), once(response, 'close')]);
    }
    return !response.destroyed;
  };
  if (!(await write(head))) return;
  while (written < total) {
    const size = Math.min(CHUNK.length, total - written);
    if (!(await write(size === CHUNK.length ? CHUNK : CHUNK.subarray(0, size)))) return;
  }
  response.end();
}

/** `text` written one byte every `dripMs`, its length declared up front. */
export async function writeDrippingBody(
  response: ServerResponse,
  options: {
    status: number;
    text: string;
    dripMs: number;
    headers?: Readonly<Record<string, string>>;
    signal: AbortSignal;
    counter: BodyCounter;
  },
): Promise<void> {
  const { status, text, dripMs, headers, signal, counter } = options;
  const body = Buffer.from(text);
  response.writeHead(status, responseHeaders(status, body.length, headers));
  for (let index = 0; index < body.length; index++) {
    if (response.destroyed) return;
    response.write(body.subarray(index, index + 1));
    counter.bytesWritten += 1;
    const waited = await sleep(dripMs, true, { signal }).catch(() => false);
    if (!waited) return;
  }
  response.end();
}
