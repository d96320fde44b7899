/**
 * The gateway's upstream transport rebuilt for the bare-got baseline: the same keep-alive pool
 * and got options as `createAvaraClient` builds them (src/avara/client.ts, "agentOptions" and
 * `got.extend`), with config's defaults (AVARA_TIMEOUT_MS 10000, AVARA_MAX_CONCURRENCY 64).
 * A copy until the client exports a factory for it; keep the two in step.
 */
import { HttpAgent, HttpsAgent } from 'agentkeepalive';
import got, { type Got } from 'got';

export interface Transport {
  /** got with the gateway's options; paths are relative to `/v1/viewer/`. */
  http: Got;
  close(): void;
}

export interface TransportOptions {
  /** @default 10000 (AVARA_TIMEOUT_MS) */
  timeoutMs?: number;
  /** @default 64 (AVARA_MAX_CONCURRENCY) */
  maxSockets?: number;
  /** @default 'avara-graphql-gateway' */
  userAgent?: string;
}

export function createGatewayTransport(baseUrl: string, options: TransportOptions = {}): Transport {
  const { timeoutMs = 10_000, maxSockets = 64, userAgent = 'avara-graphql-gateway' } = options;
  const agentOptions = {
    keepAlive: true,
    maxSockets,
    maxFreeSockets: maxSockets,
    freeSocketTimeout: 4_000,
    timeout: timeoutMs + 1_000,
  };
  const agent = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };
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
