/**
 * HTTP/1.1 pipelining, as an attacker uses it: many requests written on one connection before any
 * answer is read. Node parses them all at once, so without the edge's rule one connection ran every
 * pipelined operation concurrently (50 upstream calls in flight from one socket, past
 * `MAX_CONNECTIONS`), and queued their answers in memory where the write timeout never saw them.
 * Every wait is on an event (an upstream request recorded, an answer, a socket's close).
 */
import { describe, expect, it } from '@jest/globals';
import { useHarness, userPath } from '../support/harness.js';
import { openSocket, postHead } from '../support/raw-http.js';

const HELD_USER = `usr_${'a'.repeat(32)}`;
const SECOND_USER = `usr_${'b'.repeat(32)}`;
const BARRIER_USER = `usr_${'c'.repeat(32)}`;

function userRequest(userId: string, extraHeaders = ''): string {
  const body = JSON.stringify({ query: `{ user(userId: "${userId}") { userId } }` });
  return postHead(body, extraHeaders) + body;
}

describe('pipelined requests on one connection', () => {
  // A held upstream call must outlive the test's barrier: no attempt timeout, no drain wait.
  const harness = useHarness({ avaraTimeoutMs: 60_000, shutdownGraceMs: 0 });

  it('runs them one at a time: the second is not sent upstream while the first is in flight', async () => {
    const { demo, gateway, graphql } = harness();
    demo.inject({ delayMs: 60_000 }, { pathPrefix: userPath(HELD_USER) });
    const client = await openSocket(gateway.port);
    client.socket.write(userRequest(HELD_USER) + userRequest(SECOND_USER));
    await demo.waitForRequests(1);

    // Another connection's whole operation is the barrier: had the second pipelined request
    // started, it would have reached Avara long before this one did.
    const barrier = await graphql({ query: `{ user(userId: "${BARRIER_USER}") { userId } }` });

    expect(barrier.status).toBe(200);
    expect(demo.requests.map(({ path }) => path)).toStrictEqual([
      userPath(HELD_USER),
      userPath(BARRIER_USER),
    ]);
    client.socket.destroy();
    await client.closed;
  });

  it('closes a connection that queues more than 8 requests behind a running one', async () => {
    const { demo, gateway, logs } = harness();
    demo.inject({ delayMs: 60_000 }, { pathPrefix: userPath(HELD_USER) });
    const client = await openSocket(gateway.port);
    // Bodiless requests are parsed without limit: each would be held in memory, unanswered.
    client.socket.write(
      userRequest(HELD_USER) + 'GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n'.repeat(40),
    );
    const received = await client.closed;

    expect(received).toBe('');
    expect(logs.join('')).toContain('closed a connection that pipelined too many requests');
    expect(demo.requests.map(({ path }) => path)).toStrictEqual([userPath(HELD_USER)]);
  });

  it('still answers every pipelined request, in order', async () => {
    const { demo, gateway } = harness();
    const ids = ['pipe-1', 'pipe-2', 'pipe-3'];
    const client = await openSocket(gateway.port);
    client.socket.write(
      ids
        .map((id, index) =>
          userRequest(
            [HELD_USER, SECOND_USER, BARRIER_USER][index] as string,
            `x-request-id: ${id}\r\n${index === ids.length - 1 ? 'connection: close\r\n' : ''}`,
          ),
        )
        .join(''),
    );
    const received = await client.closed;

    expect([...received.matchAll(/x-request-id: (\S+)/g)].map(([, id]) => id)).toStrictEqual(ids);
    expect(demo.requests.map(({ headers }) => headers['x-request-id'])).toStrictEqual(ids);
  });
});
