/**
 * The federation fan-out scenario: one `_entities` request of many representations, timed end to
 * end one at a time, and the upstream GETs it causes, counted by a demo API that records.
 */
import http from 'node:http';
import type { RequestSpec } from './protocol.js';
import { isSuccess } from './requests.js';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One request's wall time (ms), and whether every representation resolved to a user. */
function timeOnce(
  spec: RequestSpec,
  representations: number,
): Promise<{ ms: number; ok: boolean }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const request = http.request(
      spec.url,
      { method: spec.method, headers: spec.headers, agent },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          resolve({
            ms,
            ok:
              isSuccess(response.statusCode ?? 0, body, spec.graphql) &&
              resolvedEntities(body) === representations,
          });
        });
        response.on('error', () => resolve({ ms: Number.NaN, ok: false }));
      },
    );
    request.on('error', () => resolve({ ms: Number.NaN, ok: false }));
    request.end(spec.body);
  });
}

/** How many `_entities` came back as users (non-null, with a userId). */
function resolvedEntities(body: string): number {
  try {
    const parsed: unknown = JSON.parse(body);
    const entities =
      typeof parsed === 'object' &&
      parsed !== null &&
      'data' in parsed &&
      typeof parsed.data === 'object' &&
      parsed.data !== null &&
      '_entities' in parsed.data &&
      Array.isArray(parsed.data._entities)
        ? (parsed.data._entities as unknown[])
        : [];
    return entities.filter(
      (entity) => typeof entity === 'object' && entity !== null && 'userId' in entity,
    ).length;
  } catch {
    return 0;
  }
}

/** `warmup` untimed requests, then `count` timed ones, strictly one after another. */
export async function timeSequentially(
  spec: RequestSpec,
  representations: number,
  { warmup, count }: { warmup: number; count: number },
): Promise<{ wallMs: number[]; failures: number }> {
  for (let i = 0; i < warmup; i++) await timeOnce(spec, representations);
  const wallMs: number[] = [];
  let failures = 0;
  for (let i = 0; i < count; i++) {
    const { ms, ok } = await timeOnce(spec, representations);
    if (ok) wallMs.push(ms);
    else failures++;
  }
  return { wallMs, failures };
}

export interface UpstreamCount {
  /** GETs of one user, `/v1/viewer/users/{id}`. */
  userGets: number;
  distinctIds: number;
  /** Every API request of any kind. */
  total: number;
}

/** Sends one request through a gateway whose upstream records, and counts what reached it. */
export async function countUpstreamCalls(
  recordingDemoUrl: string,
  spec: RequestSpec,
  representations: number,
): Promise<UpstreamCount> {
  await fetch(`${recordingDemoUrl}/__demo/reset`, { method: 'POST' });
  const { ok } = await timeOnce(spec, representations);
  if (!ok) throw new Error('the _entities request for the upstream count failed');
  const recorded: unknown = await (await fetch(`${recordingDemoUrl}/__demo/requests`)).json();
  if (!Array.isArray(recorded)) throw new Error('GET /__demo/requests did not answer a list');
  const userGetPaths = recorded
    .filter(
      (request): request is { method: string; path: string } =>
        typeof request === 'object' &&
        request !== null &&
        'method' in request &&
        'path' in request &&
        typeof request.path === 'string',
    )
    .filter(({ method, path }) => method === 'GET' && /^\/v1\/viewer\/users\/[^/?]+$/.test(path))
    .map(({ path }) => path);
  await fetch(`${recordingDemoUrl}/__demo/reset`, { method: 'POST' });
  return {
    userGets: userGetPaths.length,
    distinctIds: new Set(userGetPaths).size,
    total: recorded.length,
  };
}

export function closeEntitiesAgent(): void {
  agent.destroy();
}
