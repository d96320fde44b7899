/**
 * The HTTP transport to Avara: got over a bounded keep-alive pool, with its options built once.
 * Shared by the client and the benchmark's bare-got baseline, so both measure the same thing.
 *
 * `request` reads an answer with a byte counter: a body longer than `maxResponseBytes` (declared
 * by `content-length` or found while reading) is abandoned at once, never buffered, and got's
 * `timeout.request` runs until the answer's last byte (got cancels it on the response's `end`),
 * so a server dripping bytes cannot hold an attempt past its time.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { HttpAgent, HttpsAgent } from 'agentkeepalive';
import got, { type Got, type Method } from 'got';

export interface TransportOptions {
  /** Where the API is; paths are relative to `<baseUrl>/v1/viewer/`. */
  baseUrl: string;
  /** Time allowed for one attempt. @default 10000 */
  timeoutMs?: number;
  /** Sockets open to Avara at once, and kept open between requests. @default 64 */
  maxSockets?: number;
  /** @default 'avara-graphql-gateway' */
  userAgent?: string;
  /** The longest answer body read. @default 1048576 */
  maxResponseBytes?: number;
}

/** One complete answer, its body as the bytes received. */
export interface RawAnswer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface RequestOptions {
  method: Method;
  headers: Record<string, string>;
  json?: unknown;
  /** Time until the answer's last byte. */
  timeoutMs: number;
}

/** An answer whose body is longer than the transport reads. */
export class AnswerTooLargeError extends Error {
  override readonly name = 'AnswerTooLargeError';

  constructor(
    readonly statusCode: number,
    readonly headers: IncomingHttpHeaders,
    /** Body bytes received before the read was abandoned. */
    readonly bytesRead: number,
  ) {
    super(`Avara's answer is longer than the largest body read`);
  }
}

export interface Transport {
  http: Got;
  /**
   * Sends one request and reads its answer whole, up to `maxResponseBytes`.
   * @throws got's RequestError (no answer in time, connection failures), AnswerTooLargeError
   */
  request(path: string, options: RequestOptions): Promise<RawAnswer>;
  /** Closes pooled sockets. */
  close(): void;
}

export function createTransport({
  baseUrl,
  timeoutMs = 10_000,
  maxSockets = 64,
  userAgent = 'avara-graphql-gateway',
  maxResponseBytes = 1_048_576,
}: TransportOptions): Transport {
  // Free sockets are dropped before a typical server's 5 s keep-alive timeout, so a request is
  // never written to a socket the server is closing (an ECONNRESET that would fail a PATCH).
  // The working-socket timeout stays above got's own, which is the one that should fire.
  const agentOptions = {
    keepAlive: true,
    maxSockets,
    maxFreeSockets: maxSockets,
    freeSocketTimeout: 4_000,
    timeout: timeoutMs + 1_000,
  };
  const agent = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };

  // Only what this client uses: no retries (ours decide), no redirects (a credential must never
  // follow one), no decompression (small JSON), text bodies parsed by us.
  const http = got.extend({
    prefixUrl: `${baseUrl.replace(/\/+$/, '')}/v1/viewer/`,
    agent,
    timeout: { request: timeoutMs },
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    decompress: false,
    responseType: 'text',
    headers: { accept: 'application/json', 'user-agent': userAgent },
  });

  const request = (path: string, options: RequestOptions) =>
    new Promise<RawAnswer>((resolve, reject) => {
      const { method, headers, json, timeoutMs: requestTimeoutMs } = options;
      const stream = http.stream(path, {
        method,
        headers,
        json,
        timeout: { request: requestTimeoutMs },
      });
      let answer: Omit<RawAnswer, 'body'> | undefined;
      const chunks: Buffer[] = [];
      let bytesRead = 0;
      let settled = false;
      const abandon = () => {
        settled = true;
        stream.destroy();
        reject(new AnswerTooLargeError(answer?.statusCode ?? 0, answer?.headers ?? {}, bytesRead));
      };
      stream.once('response', ({ statusCode, headers: answerHeaders }: RawAnswer) => {
        answer = { statusCode, headers: answerHeaders };
        const declared = Number(answerHeaders['content-length']);
        if (declared > maxResponseBytes) abandon();
      });
      stream.on('data', (chunk: Buffer) => {
        if (settled) return;
        bytesRead += chunk.length;
        if (bytesRead > maxResponseBytes) abandon();
        else chunks.push(chunk);
      });
      stream.once('end', () => {
        if (settled) return;
        settled = true;
        const { statusCode = 0, headers: answerHeaders = {} } = answer ?? {};
        resolve({ statusCode, headers: answerHeaders, body: Buffer.concat(chunks, bytesRead) });
      });
      // `on`, not `once`: a second error after the first (or after abandoning) must find a listener.
      stream.on('error', (error) => {
        if (settled) return;
        settled = true;
        reject(error);
      });
    });

  return {
    http,
    request,
    close() {
      agent.http.destroy();
      agent.https.destroy();
    },
  };
}
