/**
 * One operation's list fields read Avara's pages at most `AVARA_LOOKUP_CONCURRENCY` at a time, as
 * its user lookups do. Before, 100 aliased `users` fields (within every limit) sent 100 GETs at
 * once: one 5 kB request took every socket the process shares with all other callers (64) and
 * filled its queue.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { makeUsers } from '../support/fixtures.js';
import { splitPath, startHarness, type Harness } from '../support/harness.js';

const LOOKUP_CONCURRENCY = 8;
const FIELDS = 100;
/** Each page is answered a little later, as a real upstream does, so that reads overlap. */
const UPSTREAM_LATENCY_MS = 10;

const [user] = makeUsers(1);

/** A fake Avara that answers every users page and records how many were in flight at once. */
function startCountingUpstream() {
  const seen = { paths: [] as string[], inFlight: 0, peak: 0 };
  const server: Server = createHttpServer((request, response) => {
    seen.paths.push(request.url ?? '');
    seen.inFlight++;
    seen.peak = Math.max(seen.peak, seen.inFlight);
    setTimeout(() => {
      seen.inFlight--;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ users: [user], hasMore: false }));
    }, UPSTREAM_LATENCY_MS);
  });
  return new Promise<{ server: Server; url: string; seen: typeof seen }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, seen });
    });
  });
}

describe('list page reads of one operation', () => {
  let upstream: Awaited<ReturnType<typeof startCountingUpstream>>;
  let harness: Harness;

  beforeAll(async () => {
    upstream = await startCountingUpstream();
    harness = await startHarness({
      avaraBaseUrl: upstream.url,
      lookupConcurrency: LOOKUP_CONCURRENCY,
    });
  });
  afterAll(async () => {
    await harness.close();
    await new Promise((resolve) => upstream.server.close(resolve));
  });

  it(`runs at most ${LOOKUP_CONCURRENCY} at once, and every field is still answered`, async () => {
    const fields = Array.from(
      { length: FIELDS },
      (_, index) => `u${index}: users(first: 100) { nodes { userId } }`,
    );
    // One field unaliased: 99 aliases, within the alias limit; 100 lookups, within the budget.
    fields[0] = 'users(first: 100) { nodes { userId } }';
    const response = await harness.graphql({ query: `{ ${fields.join('\n')} }` });

    expect(response.body.errors).toBeUndefined();
    expect(Object.values(response.body.data)).toEqual(
      Array.from({ length: FIELDS }, () => ({ nodes: [{ userId: user?.userId }] })),
    );
    expect(upstream.seen.paths.map((path) => splitPath(path))).toEqual(
      Array.from({ length: FIELDS }, () => ({
        path: '/v1/viewer/users',
        query: [['limit', '100']],
      })),
    );
    expect(upstream.seen.peak).toBeLessThanOrEqual(LOOKUP_CONCURRENCY);
  });
});
