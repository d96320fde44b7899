/**
 * What stands between the gateway and a struggling Avara: the bulkhead (AVARA_MAX_CONCURRENCY,
 * AVARA_MAX_QUEUE), the per-operation deadline (OPERATION_DEADLINE_MS) and the circuit breaker
 * (AVARA_BREAKER_THRESHOLD, AVARA_BREAKER_HALF_OPEN_MS). A request they refuse is answered
 * UPSTREAM_UNAVAILABLE and never reaches Avara.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Config } from '../../src/config.js';
import { DEMO_USERS, SEED_USER_ID } from '../../src/demo/seed.js';
import type { DemoFault } from '../../src/demo/server.js';
import { expectUpstreamCalls, startHarness, userPath, type Harness } from '../support/harness.js';

const GET_USER = `query ($userId: ID!) { user(userId: $userId) { userId } }`;
const UPDATE_USER = `mutation ($userId: ID!) {
  updateUser(userId: $userId, input: { firstName: "Sara" }) { userId firstName }
}`;
const [FIRST, SECOND, THIRD] = DEMO_USERS.map((user) => user.userId);

/** What a request refused before reaching Avara looks like: no `upstream`, nothing answered. */
const REFUSED = { code: 'UPSTREAM_UNAVAILABLE', requestId: expect.any(String) };

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(overrides: Partial<Config>): Promise<Harness> {
  harness = await startHarness(overrides);
  return harness;
}

const getUser = (h: Harness, userId: string) =>
  h.graphql({ query: GET_USER, variables: { userId } });
const updateUser = (h: Harness, userId: string) =>
  h.graphql({ query: UPDATE_USER, variables: { userId } });

async function circuitOf(h: Harness): Promise<string> {
  const health = await fetch(new URL('/health', h.gateway.url));
  expect(health.status).toBe(200);
  return ((await health.json()) as { circuit: string }).circuit;
}

describe('upstream protection', () => {
  describe('bulkhead', () => {
    it('refuses a request at once when every slot is busy and the queue is full', async () => {
      const h = await start({ avaraMaxConcurrency: 1, avaraMaxQueue: 0 });
      h.demo.inject({ delayMs: 1_000 }, { method: 'GET', pathPrefix: userPath(FIRST) });

      const slow = getUser(h, FIRST);
      let slowAnswered = false;
      void slow.then(() => (slowAnswered = true));
      await h.demo.waitForRequests(1);
      const refused = await getUser(h, SECOND);

      // Refused while the first still holds the only slot: it did not wait for it.
      expect(slowAnswered).toBe(false);
      expect(refused.body.data.user).toBeNull();
      expect(refused.body.errors[0].extensions).toStrictEqual(REFUSED);
      expectUpstreamCalls(h.demo, [{ method: 'GET', path: userPath(FIRST) }]);

      expect((await slow).body.data.user.userId).toBe(FIRST);
      const third = await getUser(h, SECOND);
      expect(third.body).toStrictEqual({ data: { user: { userId: SECOND } } });
      expectUpstreamCalls(h.demo, [
        { method: 'GET', path: userPath(FIRST) },
        { method: 'GET', path: userPath(SECOND) },
      ]);
    });

    describe('queue', () => {
      // One operation's lookups reach the bulkhead together, before any can finish: with one
      // slot, the first runs and the rest queue, so the queue's bound is met deterministically.
      const lookups = (userIds: readonly string[]) =>
        `{ ${userIds.map((id, i) => `u${i}: user(userId: "${id}") { userId }`).join(' ')} }`;

      it('serves lookups that fit in the slots and the queue', async () => {
        const h = await start({ avaraMaxConcurrency: 1, avaraMaxQueue: 1 });

        const response = await h.graphql({ query: lookups([FIRST, SECOND]) });

        expect(response.body).toStrictEqual({
          data: { u0: { userId: FIRST }, u1: { userId: SECOND } },
        });
        expect(h.demo.requests).toHaveLength(2);
      });

      it('refuses the one lookup beyond the queue, and serves the others', async () => {
        const h = await start({ avaraMaxConcurrency: 1, avaraMaxQueue: 1 });

        const response = await h.graphql({ query: lookups([FIRST, SECOND, THIRD]) });

        expect(response.body.errors).toHaveLength(1);
        const [error] = response.body.errors;
        expect(error.extensions).toStrictEqual(REFUSED);
        const refusedAlias: string = error.path[0];
        const servedPaths = Object.entries(response.body.data as Record<string, unknown>)
          .filter(([alias]) => alias !== refusedAlias)
          .map(([, user]) => userPath((user as { userId: string }).userId));
        expect(response.body.data[refusedAlias]).toBeNull();
        expect(servedPaths).toHaveLength(2);
        expect(h.demo.requests.map((request) => request.path).sort()).toStrictEqual(
          servedPaths.sort(),
        );
      });
    });
  });

  describe('operation deadline', () => {
    it.each([
      ['user', getUser, 'GET'],
      ['updateUser', updateUser, 'PATCH'],
    ] as const)(
      'ends %s with UPSTREAM_TIMEOUT at the deadline, though one attempt may take longer, and tries no more',
      async (_operation, run, method) => {
        const h = await start({ operationDeadlineMs: 300, avaraTimeoutMs: 10_000 });
        h.demo.inject({ delayMs: 2_000 }, { times: Infinity });

        const response = await run(h, SEED_USER_ID);

        expect(response.body.errors[0].extensions).toStrictEqual({
          code: 'UPSTREAM_TIMEOUT',
          requestId: expect.any(String),
        });
        expectUpstreamCalls(h.demo, [
          { method, path: userPath(SEED_USER_ID), body: { firstName: 'Sara' } },
        ]);
      },
    );

    it.each<[string, Partial<Config>, DemoFault]>([
      [
        'a backoff',
        { avaraRetryBaseDelayMs: 1_000, avaraRetryMaxDelayMs: 8_000 },
        { status: 503, headers: { 'x-request-id': 'req_503' } },
      ],
      [
        'a Retry-After',
        {},
        { status: 503, headers: { 'x-request-id': 'req_503', 'retry-after-ms': '1000' } },
      ],
    ])(
      'reports a 503 at once when %s would outlast the deadline, though the retry would succeed',
      async (_wait, overrides, fault) => {
        const h = await start({ operationDeadlineMs: 300, ...overrides });
        h.demo.inject(fault); // once: a retry would be answered normally

        const response = await getUser(h, SEED_USER_ID);

        expect(response.body.errors[0].extensions).toStrictEqual({
          code: 'UPSTREAM_UNAVAILABLE',
          requestId: expect.any(String),
          upstream: { status: 503, requestId: 'req_503' },
        });
        expectUpstreamCalls(h.demo, [{ method: 'GET', path: userPath(SEED_USER_ID) }]);
      },
    );

    it('retries a 503 when the backoff fits in the time left', async () => {
      const h = await start({
        operationDeadlineMs: 300,
        avaraRetryBaseDelayMs: 50,
        avaraRetryMaxDelayMs: 8_000,
      });
      h.demo.inject({ status: 503 });

      const response = await getUser(h, SEED_USER_ID);

      expect(response.body).toStrictEqual({ data: { user: { userId: SEED_USER_ID } } });
      expectUpstreamCalls(h.demo, [
        { method: 'GET', path: userPath(SEED_USER_ID) },
        { method: 'GET', path: userPath(SEED_USER_ID) },
      ]);
    });
  });

  describe('circuit breaker', () => {
    const HALF_OPEN_MS = 200;
    const BREAKER: Partial<Config> = {
      avaraBreakerThreshold: 2,
      avaraBreakerHalfOpenMs: HALF_OPEN_MS,
      avaraMaxRetries: 0,
    };

    /** Two failing reads: the threshold. */
    async function openCircuit(h: Harness): Promise<void> {
      h.demo.inject({ status: 500 }, { times: 2 });
      for (let i = 0; i < 2; i++) {
        const failed = await getUser(h, SEED_USER_ID);
        expect(failed.body.errors[0].extensions.code).toBe('UPSTREAM_ERROR');
      }
      expect(await circuitOf(h)).toBe('open');
    }

    /**
     * The breaker's clock. cockatiel decides, at the next call, whether the half-open time has
     * passed since the circuit opened; nothing is emitted before then that a test could await,
     * so this one wait is real time: the half-open time and a little slack for timer rounding.
     */
    const waitOutHalfOpen = () => sleep(HALF_OPEN_MS + 20);

    it.each<[string, DemoFault, Partial<Config>]>([
      ['500 answers', { status: 500 }, {}],
      ['503 answers', { status: 503 }, {}],
      ['dropped connections', { drop: true }, {}],
      ['timeouts', { delayMs: 1_000 }, { avaraTimeoutMs: 200 }],
    ])(
      'opens after AVARA_BREAKER_THRESHOLD consecutive %s, not before',
      async (_case, fault, overrides) => {
        // A long half-open time: nothing here may be taken for a probe, however slow the machine.
        const h = await start({ ...BREAKER, avaraBreakerHalfOpenMs: 600_000, ...overrides });
        h.demo.inject(fault, { times: 2 });

        await getUser(h, SEED_USER_ID);
        expect(await circuitOf(h)).toBe('closed');
        await getUser(h, SEED_USER_ID);
        expect(await circuitOf(h)).toBe('open');

        expect(h.demo.requests).toHaveLength(2);
      },
    );

    it('fails reads and writes fast while open, sending nothing upstream', async () => {
      const h = await start({ ...BREAKER, avaraBreakerHalfOpenMs: 600_000 });
      await openCircuit(h);
      h.demo.reset();

      const read = await getUser(h, SECOND);
      const write = await updateUser(h, SECOND);

      expect(read.body.errors[0].extensions).toStrictEqual(REFUSED);
      expect(write.body.errors[0].extensions).toStrictEqual(REFUSED);
      expectUpstreamCalls(h.demo, []);
      expect(await circuitOf(h)).toBe('open');
    });

    it('counts only consecutive failures: an answer in between starts the count again', async () => {
      const h = await start({ ...BREAKER, avaraBreakerHalfOpenMs: 600_000 });

      for (const fault of [{ status: 500 }, undefined, { status: 500 }]) {
        if (fault) h.demo.inject(fault);
        await getUser(h, SEED_USER_ID);
      }

      expect(await circuitOf(h)).toBe('closed');
      expect(h.demo.requests).toHaveLength(3);
    });

    it('never opens on 4xx answers: they are about the request, not a failing Avara', async () => {
      const h = await start({ ...BREAKER, avaraBreakerHalfOpenMs: 600_000 });
      const statuses = [404, 400, 401, 403, 409, 422, 429];
      for (const status of statuses) {
        h.demo.inject({ status });
        await getUser(h, SEED_USER_ID);
        h.demo.inject({ status });
        await updateUser(h, SEED_USER_ID);
      }
      expect(await circuitOf(h)).toBe('closed');

      const after = await getUser(h, SECOND);

      expect(after.body).toStrictEqual({ data: { user: { userId: SECOND } } });
      expect(h.demo.requests).toHaveLength(statuses.length * 2 + 1);
    });

    it('lets one probe through after the half-open time, and closes when it succeeds', async () => {
      const h = await start(BREAKER);
      await openCircuit(h);
      await waitOutHalfOpen();
      // cockatiel moves on only when a call comes: until the probe, the circuit reads open.
      expect(await circuitOf(h)).toBe('open');
      h.demo.reset();

      const probe = await getUser(h, SEED_USER_ID);
      expect(probe.body).toStrictEqual({ data: { user: { userId: SEED_USER_ID } } });
      expect(await circuitOf(h)).toBe('closed');

      const later = await Promise.all([getUser(h, SECOND), updateUser(h, THIRD)]);
      expect(later.map((response) => response.body.errors)).toStrictEqual([undefined, undefined]);
      expect(h.demo.requests).toHaveLength(3);
    });

    it('holds other calls while the probe is out, and refuses them when it fails', async () => {
      const h = await start(BREAKER);
      await openCircuit(h);
      await waitOutHalfOpen();
      h.demo.reset();
      // The probe answers 500, late enough for another call to arrive while it is out.
      h.demo.inject({ delayMs: 500, status: 500 });

      const probe = getUser(h, SEED_USER_ID);
      await h.demo.waitForRequests(1);
      expect(await circuitOf(h)).toBe('half-open');
      const during = await getUser(h, SECOND);

      expect(during.body.errors[0].extensions).toStrictEqual(REFUSED);
      expect((await probe).body.errors[0].extensions.code).toBe('UPSTREAM_ERROR');
      expect(await circuitOf(h)).toBe('open');
      // Only the probe reached Avara; the call made during it never did.
      expectUpstreamCalls(h.demo, [{ method: 'GET', path: userPath(SEED_USER_ID) }]);
    });
  });
});
