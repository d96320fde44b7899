/**
 * Promises that must hold under pressure, on one process: one caller's burst degrades that caller
 * first (AVARA_MAX_CONCURRENCY_PER_CREDENTIAL), and an operation's deadline bounds its waits in
 * the pool's queue, not only its attempts.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createAvaraClient } from '../../src/avara/client.js';
import type { AvaraError } from '../../src/avara/errors.js';
import { DEFAULT_RETRY_POLICY } from '../../src/avara/retry.js';
import { SEED_USER_ID } from '../../src/demo/seed.js';
import { startDemoAvara, type DemoAvara } from '../../src/demo/server.js';
import { startHarness, userPath, type Harness } from '../support/harness.js';

/** Ids of users the demo does not know (404, `null`), all under one path prefix to slow down. */
const burstIds = (n: number) =>
  Array.from({ length: n }, (_, i) => `usr_a${i.toString(16).padStart(31, '0')}`);

let harness: Harness | undefined;
let demo: DemoAvara | undefined;
afterEach(async () => {
  await harness?.close();
  await demo?.close();
  harness = demo = undefined;
});

describe('fair share per credential', () => {
  it("serves another caller at once while one caller's burst fills its own share", async () => {
    harness = await startHarness({
      avaraMaxConcurrency: 4,
      avaraMaxQueue: 4,
      avaraMaxConcurrencyPerCredential: 2,
    });
    const h = harness;
    h.demo.inject({ delayMs: 400 }, { pathPrefix: '/v1/viewer/users/usr_a', times: Infinity });
    const burst = `{ ${burstIds(20)
      .map((id, i) => `u${i}: user(userId: "${id}") { userId }`)
      .join(' ')} }`;

    let burstAnswered = false;
    const burstResponse = h
      .graphql({ query: burst }, { authorization: 'Bearer caller-a' })
      .then((response) => {
        burstAnswered = true;
        return response;
      });
    await h.demo.waitForRequests(2); // caller A's share is in flight
    const other = await h.graphql(
      { query: `{ user(userId: "${SEED_USER_ID}") { userId } }` },
      { authorization: 'Bearer caller-b' },
    );

    expect(other.body).toStrictEqual({ data: { user: { userId: SEED_USER_ID } } });
    expect(burstAnswered).toBe(false);
    const seen = h.demo.requests.find((request) => request.path === userPath(SEED_USER_ID));
    expect(seen?.headers.authorization).toBe('Bearer caller-b');

    // Caller A never had more than its share in flight: its lookups beyond its queue were refused.
    const { body } = await burstResponse;
    const codes = (body.errors ?? []).map(
      (error: { extensions: { code: string } }) => error.extensions.code,
    );
    expect(new Set(codes)).toStrictEqual(new Set(['UPSTREAM_UNAVAILABLE']));
    const burstCalls = h.demo.requests.filter((request) => request.path.includes('/usr_a'));
    expect(burstCalls.length + codes.length).toBe(20);
    expect(burstCalls.every((request) => request.headers.authorization === 'Bearer caller-a')).toBe(
      true,
    );
  });
});

describe('operation deadline', () => {
  it('ends a call waiting in the queue at its deadline, sending nothing', async () => {
    demo = await startDemoAvara();
    const client = createAvaraClient({
      baseUrl: demo.url,
      retry: DEFAULT_RETRY_POLICY,
      protection: { maxConcurrency: 1, maxQueue: 10 },
    });
    try {
      demo.inject({ delayMs: 1_000 }, { pathPrefix: userPath(SEED_USER_ID) });
      const call = { authorization: 'Bearer caller' };
      let holderDone = false;
      const holder = client.users
        .retrieve(SEED_USER_ID, { ...call, deadline: Date.now() + 10_000 })
        .finally(() => (holderDone = true));
      await demo.waitForRequests(1);

      const waiter = client.users.retrieve(burstIds(1)[0], { ...call, deadline: Date.now() + 100 });

      await expect(waiter).rejects.toEqual(
        expect.objectContaining({ kind: 'timeout', attempts: 0 }) as unknown as AvaraError,
      );
      expect(holderDone).toBe(false); // it gave up in the queue, not when the slot came free
      expect((await holder).userId).toBe(SEED_USER_ID);
      expect(demo.requests.map((request) => request.path)).toStrictEqual([userPath(SEED_USER_ID)]);
    } finally {
      client.close();
    }
  });
});
