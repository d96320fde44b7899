/**
 * The HTTP transport to Avara: got over a bounded keep-alive pool, with its options built once.
 * Shared by the client and the benchmark's bare-got baseline, so both measure the same thing.
 */
import { HttpAgent, HttpsAgent } from 'agentkeepalive';
import got, { type Got } from 'got';

export interface TransportOptions {
  /** Where the API is; paths are relative to `<baseUrl>/v1/viewer/`. */
  baseUrl: string;
  /** Time allowed for one attempt. @default 10000 */
  timeoutMs?: number;
  /** Sockets open to Avara at once, and kept open between requests. @default 64 */
  maxSockets?: number;
  /** @default 'avara-graphql-gateway' */
  userAgent?: string;
}

export interface Transport {
  http: Got;
  /** Closes pooled sockets. */
  close(): void;
}

export function createTransport({
  baseUrl,
  timeoutMs = 10_000,
  maxSockets = 64,
  userAgent = 'avara-graphql-gateway',
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

  return {
    http,
    close() {
      agent.http.destroy();
      agent.https.destroy();
    },
  };
}
