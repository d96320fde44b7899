/**
 * What stands between the gateway and a struggling Avara: the bulkhead (AVARA_MAX_CONCURRENCY,
 * AVARA_MAX_QUEUE), the per-operation deadline (OPERATION_DEADLINE_MS) and the circuit breaker
 * (AVARA_BREAKER_FAILURE_RATIO, AVARA_BREAKER_MIN_ATTEMPTS, AVARA_BREAKER_WINDOW_MS,
 * AVARA_BREAKER_HALF_OPEN_MS). A request they refuse is answered
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

  describe('retry budget', () => {
    it('reports a failure at once, with its usual code, once retries pass the budget', async () => {
      // Half a retry per first attempt, no reserve, a window longer than the test.
      const h = await start({
        avaraRetryBudgetRatio: 0.5,
        avaraRetryBudgetMinPerSecond: 0,
        avaraRetryBudgetWindowMs: 600_000,
      });
      h.demo.inject({ status: 503, headers: { 'x-request-id': 'req_503' } }, { times: Infinity });
      const attemptsOf = async () => {
        h.demo.reset();
        h.demo.inject({ status: 503, headers: { 'x-request-id': 'req_503' } }, { times: Infinity });
        const response = await getUser(h, SEED_USER_ID);
        expect(response.body.errors[0].extensions).toStrictEqual({
          code: 'UPSTREAM_UNAVAILABLE',
          requestId: expect.any(String),
          upstream: { status: 503, requestId: 'req_503' },
        });
        return h.demo.requests.length;
      };

      // 1 first attempt earns half a retry: none. 2 earn one. 3 earn 1.5: still one in total.
      expect([await attemptsOf(), await attemptsOf(), await attemptsOf()]).toStrictEqual([1, 2, 1]);
      const health = (await (await fetch(new URL('/health', h.gateway.url))).json()) as unknown;
      expect(health).toStrictEqual({
        status: 'ok',
        circuit: 'closed',
        retryBudget: { remaining: 0.333 },
      });
    });
  });

  describe('circuit breaker', () => {
    const HALF_OPEN_MS = 200;
    /** A small window volume, so a test can reach it: 4 attempts, half of them failed. */
    const BREAKER: Partial<Config> = {
      avaraBreakerMinAttempts: 4,
      avaraBreakerFailureRatio: 0.5,
      avaraBreakerWindowMs: 600_000,
      avaraBreakerHalfOpenMs: HALF_OPEN_MS,
      avaraMaxRetries: 0,
    };
    /** A long half-open time: nothing may be taken for a probe, however slow the machine. */
    const STAYS_OPEN: Partial<Config> = { ...BREAKER, avaraBreakerHalfOpenMs: 600_000 };

    /** Two answered reads and two failing ones: the volume, at the ratio. */
    async function openCircuit(h: Harness): Promise<void> {
      for (const fault of [undefined, { status: 500 }, undefined, { status: 500 }]) {
        if (fault) h.demo.inject(fault);
        await getUser(h, SEED_USER_ID);
      }
      expect(await circuitOf(h)).toBe('open');
    }

    /**
     * The breaker's clock. Nothing is emitted when the open time is over that a test could await,
     * so this one wait is real time: the half-open time and a little slack for timer rounding.
     */
    const waitOutHalfOpen = () => sleep(HALF_OPEN_MS + 20);

    it.each<[string, DemoFault, Partial<Config>]>([
      ['500 answers', { status: 500 }, {}],
      ['503 answers', { status: 503 }, {}],
      ['dropped connections', { drop: true }, {}],
      ['timeouts', { delayMs: 1_000 }, { avaraTimeoutMs: 200 }],
    ])(
      'opens when half of AVARA_BREAKER_MIN_ATTEMPTS attempts are %s, not before the volume',
      async (_case, fault, overrides) => {
        const h = await start({ ...STAYS_OPEN, ...overrides });

        for (const failing of [true, true, false]) {
          if (failing) h.demo.inject(fault);
          await getUser(h, SEED_USER_ID);
          // Below the volume, even two failures of three leave it closed.
          expect(await circuitOf(h)).toBe('closed');
        }
        h.demo.inject(fault);
        await getUser(h, SEED_USER_ID); // the 4th attempt: 3 of 4 failed
        expect(await circuitOf(h)).toBe('open');

        expect(h.demo.requests).toHaveLength(4);
      },
    );

    it('never opens while only a minority of attempts fails, however long the run', async () => {
      const h = await start(STAYS_OPEN);

      // One attempt in three fails, round after round: never half.
      for (let round = 0; round < 6; round++) {
        for (let i = 0; i < 2; i++) {
          const response = await getUser(h, SECOND);
          expect(response.body).toStrictEqual({ data: { user: { userId: SECOND } } });
        }
        h.demo.inject({ status: 503 });
        const failed = await getUser(h, SEED_USER_ID);
        expect(failed.body.errors[0].extensions.code).toBe('UPSTREAM_UNAVAILABLE');
      }

      expect(await circuitOf(h)).toBe('closed');
      expect(h.demo.requests).toHaveLength(18);
    });

    it('fails reads and writes fast while open, sending nothing upstream', async () => {
      const h = await start(STAYS_OPEN);
      await openCircuit(h);
      h.demo.reset();

      const read = await getUser(h, SECOND);
      const write = await updateUser(h, SECOND);

      expect(read.body.errors[0].extensions).toStrictEqual(REFUSED);
      expect(write.body.errors[0].extensions).toStrictEqual(REFUSED);
      expectUpstreamCalls(h.demo, []);
      expect(await circuitOf(h)).toBe('open');
    });

    it('reports the last answer when the open circuit refuses a retry, and logs only what was sent', async () => {
      const h = await start({ ...STAYS_OPEN, avaraMaxRetries: 2 });
      // Three answered reads, then a 503 that makes 2 failures of 4: the retry meets an open circuit.
      for (let i = 0; i < 2; i++) await getUser(h, SECOND);
      h.demo.inject({ status: 500 });
      await updateUser(h, SECOND); // a PATCH 500 is not retried: 1 failed attempt of 3
      h.demo.reset();
      h.demo.inject({ status: 503, headers: { 'x-request-id': 'req_503' } });

      const response = await updateUser(h, SEED_USER_ID);

      expect(response.body.errors[0].extensions).toStrictEqual({
        code: 'UPSTREAM_UNAVAILABLE',
        requestId: expect.any(String),
        upstream: { status: 503, requestId: 'req_503' },
      });
      expectUpstreamCalls(h.demo, [
        { method: 'PATCH', path: userPath(SEED_USER_ID), body: { firstName: 'Sara' } },
      ]);
      const line = h.logs
        .map((text) => JSON.parse(text) as { msg: string; requestId: string; upstream: unknown })
        .find(
          (entry) =>
            entry.msg === 'operation' &&
            entry.requestId === response.body.errors[0].extensions.requestId,
        );
      expect(line?.upstream).toStrictEqual([
        {
          method: 'PATCH',
          status: 503,
          failure: 'status',
          attempts: 1,
          durationMs: expect.any(Number),
        },
      ]);

      // Refused before anything was sent: the log says no attempt, not one.
      const refused = await getUser(h, SECOND);
      const refusedLine = h.logs
        .map((text) => JSON.parse(text) as { msg: string; requestId: string; upstream: unknown })
        .find(
          (entry) =>
            entry.msg === 'operation' &&
            entry.requestId === refused.body.errors[0].extensions.requestId,
        );
      expect(refusedLine?.upstream).toStrictEqual([
        { method: 'GET', failure: 'refused', attempts: 0, durationMs: expect.any(Number) },
      ]);
    });

    it('never opens on 4xx answers: they are about the request, not a failing Avara', async () => {
      const h = await start(STAYS_OPEN);
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
      expect(await circuitOf(h)).toBe('half-open');
      h.demo.reset();

      const probe = await getUser(h, SEED_USER_ID);
      expect(probe.body).toStrictEqual({ data: { user: { userId: SEED_USER_ID } } });
      expect(await circuitOf(h)).toBe('closed');

      const later = await Promise.all([getUser(h, SECOND), updateUser(h, THIRD)]);
      expect(later.map((response) => response.body.errors)).toStrictEqual([undefined, undefined]);
      expect(h.demo.requests).toHaveLength(3);
    });

    it('refuses other calls at once while the probe is out, without waiting for it', async () => {
      const h = await start(BREAKER);
      await openCircuit(h);
      await waitOutHalfOpen();
      h.demo.reset();
      // The probe is slow (and then fails): other calls arrive while it is out.
      h.demo.inject({ delayMs: 1_000, status: 500 });

      let probeAnswered = false;
      const probe = getUser(h, SEED_USER_ID).then((response) => {
        probeAnswered = true;
        return response;
      });
      await h.demo.waitForRequests(1);
      expect(await circuitOf(h)).toBe('half-open');
      const during = await Promise.all([getUser(h, SECOND), updateUser(h, THIRD)]);

      // Answered before the probe: they did not queue behind it.
      expect(probeAnswered).toBe(false);
      for (const response of during)
        expect(response.body.errors[0].extensions).toStrictEqual(REFUSED);
      expect((await probe).body.errors[0].extensions.code).toBe('UPSTREAM_ERROR');
      expect(await circuitOf(h)).toBe('open');
      // Only the probe reached Avara; the calls made during it never did.
      expectUpstreamCalls(h.demo, [{ method: 'GET', path: userPath(SEED_USER_ID) }]);
    });
  });
});
