/**
 * Every upstream failure mode, for both operations, under concurrent load, ends with the process
 * serving /health and every answer carrying the right code.
 *
 * Each mode has users of its own (one for `user`, one for `updateUser`) and its fault is pinned to
 * their paths for every request (`times: Infinity`), so that modes cannot steal each other's
 * faults however the concurrent requests interleave: the outcome of each is deterministic.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_USERS } from '../../src/demo/seed.js';
import type { DemoFault } from '../../src/demo/server.js';
import type { GatewayErrorCode } from '../../src/graphql/errors.js';
import { startHarness, userPath, type GraphQLResponse, type Harness } from '../support/harness.js';

const FIELDS = 'userId suffix2 clinicRole clinicRoleLabel';
const operations = {
  user: {
    method: 'GET',
    query: `query ($userId: ID!) { user(userId: $userId) { ${FIELDS} } }`,
  },
  updateUser: {
    method: 'PATCH',
    query: `mutation ($userId: ID!) {
      updateUser(userId: $userId, input: { suffix2: "PhD" }) { ${FIELDS} }
    }`,
  },
} as const;
type Operation = keyof typeof operations;
const OPERATIONS = Object.keys(operations) as Operation[];

/** Requests per mode and operation, all in flight together. */
const CONCURRENCY = 5;
/**
 * Short, yet well above the event-loop stalls of 180 operations parsed, run and answered in this
 * one process (up to ~200 ms measured): at 300 ms an answer Avara had already sent was
 * sometimes timed out before it could be read, and the read retried.
 */
const ATTEMPT_TIMEOUT_MS = 1_000;
const UNKNOWN_ROLE = 'Chief Imaging Wizard';

/** How one operation must end, and how many upstream attempts each request makes. */
type Outcome =
  | { attempts: number; code: GatewayErrorCode; upstreamStatus?: number }
  | { attempts: number; served: 'null' | 'known role' | 'unknown role' };

const failsWith = (code: GatewayErrorCode, attempts: number, upstreamStatus?: number): Outcome => ({
  code,
  attempts,
  upstreamStatus,
});
const served = (what: 'null' | 'known role' | 'unknown role'): Outcome => ({
  served: what,
  attempts: 1,
});

interface Mode {
  name: string;
  /** `undefined`: Avara answers normally. */
  fault: DemoFault | undefined;
  /** Whether the mode's users exist upstream (a fault with a status answers either way). */
  users: 'seeded' | 'unknown';
  outcomes: Record<Operation, Outcome>;
}

/** Retries: a GET up to AVARA_MAX_RETRIES (2) times; a PATCH only where it cannot have applied. */
const statusMode = (
  status: number,
  code: GatewayErrorCode,
  getAttempts: number,
  patchAttempts: number,
): Mode => ({
  name: `status ${status}`,
  fault: { status, headers: { 'x-request-id': `req_${status}` } },
  users: 'unknown',
  outcomes: {
    user: failsWith(code, getAttempts, status),
    updateUser: failsWith(code, patchAttempts, status),
  },
});

const MODES: Mode[] = [
  statusMode(400, 'BAD_USER_INPUT', 1, 1),
  statusMode(401, 'UNAUTHENTICATED', 1, 1),
  statusMode(403, 'FORBIDDEN', 1, 1),
  {
    ...statusMode(404, 'NOT_FOUND', 1, 1),
    outcomes: { user: served('null'), updateUser: failsWith('NOT_FOUND', 1, 404) },
  },
  statusMode(409, 'CONFLICT', 3, 1),
  statusMode(422, 'BAD_USER_INPUT', 1, 1),
  statusMode(429, 'RATE_LIMITED', 3, 3),
  statusMode(500, 'UPSTREAM_ERROR', 3, 1),
  statusMode(502, 'UPSTREAM_UNAVAILABLE', 3, 1),
  statusMode(503, 'UPSTREAM_UNAVAILABLE', 3, 3),
  statusMode(504, 'UPSTREAM_UNAVAILABLE', 3, 1),
  {
    name: 'no answer within AVARA_TIMEOUT_MS',
    fault: { delayMs: ATTEMPT_TIMEOUT_MS * 2 },
    users: 'unknown',
    outcomes: {
      user: failsWith('UPSTREAM_TIMEOUT', 3),
      updateUser: failsWith('UPSTREAM_TIMEOUT', 1),
    },
  },
  {
    name: 'a dropped connection',
    fault: { drop: true },
    users: 'unknown',
    outcomes: {
      user: failsWith('UPSTREAM_UNAVAILABLE', 3),
      updateUser: failsWith('UPSTREAM_UNAVAILABLE', 1),
    },
  },
  {
    name: 'malformed JSON',
    fault: { status: 200, rawBody: '{"userId": "usr_', headers: { 'x-request-id': 'req_json' } },
    users: 'unknown',
    outcomes: {
      user: failsWith('UPSTREAM_ERROR', 1, 200),
      updateUser: failsWith('UPSTREAM_ERROR', 1, 200),
    },
  },
  {
    name: 'JSON of the wrong shape',
    fault: {
      status: 200,
      body: { id: 1, name: 'not a user' },
      headers: { 'x-request-id': 'req_shape' },
    },
    users: 'unknown',
    outcomes: {
      user: failsWith('UPSTREAM_ERROR', 1, 200),
      updateUser: failsWith('UPSTREAM_ERROR', 1, 200),
    },
  },
  {
    name: 'a user Avara does not know (its own 404)',
    fault: undefined,
    users: 'unknown',
    outcomes: { user: served('null'), updateUser: failsWith('NOT_FOUND', 1, 404) },
  },
  {
    name: 'an unknown clinicRole',
    fault: { clinicRole: UNKNOWN_ROLE },
    users: 'seeded',
    outcomes: { user: served('unknown role'), updateUser: served('unknown role') },
  },
  {
    name: 'no fault',
    fault: undefined,
    users: 'seeded',
    outcomes: { user: served('known role'), updateUser: served('known role') },
  },
];

/** The users of each mode and operation: seeded ones in turn, else ids Avara does not know. */
const seeded = DEMO_USERS.map((user) => user.userId);
const userIds = new Map<string, string>();
MODES.forEach((mode, index) => {
  for (const operation of OPERATIONS) {
    const key = `${mode.name}/${operation}`;
    const unknown = `usr_${String(index).padStart(2, '0')}${operation === 'user' ? 'a' : 'b'}${'e'.repeat(29)}`;
    const userId = mode.users === 'seeded' ? seeded.shift() : unknown;
    if (userId === undefined) throw new Error('more seeded-user modes than the seed has users');
    userIds.set(key, userId);
  }
});
const userIdOf = (mode: Mode, operation: Operation) => userIds.get(`${mode.name}/${operation}`)!;

function expectedBody(mode: Mode, operation: Operation): unknown {
  const outcome = mode.outcomes[operation];
  const userId = userIdOf(mode, operation);
  if ('code' in outcome) {
    return {
      // `user` is nullable; `updateUser` is not, so its error nulls the whole data.
      data: operation === 'user' ? { user: null } : null,
      errors: [
        {
          message: expect.any(String),
          locations: expect.any(Array),
          path: [operation],
          extensions: {
            code: outcome.code,
            requestId: expect.any(String),
            ...(outcome.upstreamStatus !== undefined && {
              upstream: {
                status: outcome.upstreamStatus,
                // The fault's own id proves the answer came from this mode's fault.
                requestId: mode.fault?.headers?.['x-request-id'] ?? expect.any(String),
              },
            }),
          },
        },
      ],
    };
  }
  if (outcome.served === 'null') return { data: { [operation]: null } };
  const seededUser = DEMO_USERS.find((user) => user.userId === userId)!;
  return {
    data: {
      [operation]: {
        userId,
        suffix2: operation === 'updateUser' ? 'PhD' : (seededUser.suffix2 ?? null),
        ...(outcome.served === 'unknown role'
          ? { clinicRole: null, clinicRoleLabel: UNKNOWN_ROLE }
          : { clinicRole: expect.any(String), clinicRoleLabel: seededUser.clinicRole }),
      },
    },
  };
}

let harness: Harness;
const answers = new Map<string, GraphQLResponse[]>();

beforeAll(async () => {
  // The breaker stays off (the harness default), so that the failing modes cannot turn the
  // healthy ones into fail-fast refusals; retries wait 1-5 ms.
  harness = await startHarness({ avaraTimeoutMs: ATTEMPT_TIMEOUT_MS });
  for (const mode of MODES) {
    if (mode.fault === undefined) continue;
    for (const operation of OPERATIONS) {
      harness.demo.inject(mode.fault, {
        method: operations[operation].method,
        pathPrefix: userPath(userIdOf(mode, operation)),
        times: Infinity,
      });
    }
  }

  // 18 modes x 2 operations x 5 = 180 operations at once, one lookup each: within the bulkhead's
  // default 64 slots + 256 queue places, so none is refused for load.
  const all = MODES.flatMap((mode) =>
    OPERATIONS.map(async (operation) => {
      const requests = Array.from({ length: CONCURRENCY }, () =>
        harness.graphql({
          query: operations[operation].query,
          variables: { userId: userIdOf(mode, operation) },
        }),
      );
      answers.set(`${mode.name}/${operation}`, await Promise.all(requests));
    }),
  );
  await Promise.all(all);
  // The slowest mode takes three attempt timeouts; a loaded machine may add as much again.
}, 60_000);
afterAll(() => harness.close());

describe('fault injection under concurrent load', () => {
  describe.each(MODES)('with $name', (mode) => {
    it.each(OPERATIONS)('answers every %s with the right outcome', (operation) => {
      const responses = answers.get(`${mode.name}/${operation}`)!;

      expect(responses).toHaveLength(CONCURRENCY);
      for (const response of responses) {
        expect(response.status).toBe(200);
        expect(response.body).toStrictEqual(expectedBody(mode, operation));
      }
    });

    it.each(OPERATIONS)(
      'sent each %s the attempts its retry policy allows, and no more',
      (operation) => {
        const path = userPath(userIdOf(mode, operation));
        const sent = harness.demo.requests.filter((request) => request.path === path);

        expect(sent).toHaveLength(CONCURRENCY * mode.outcomes[operation].attempts);
        expect(sent.every((request) => request.method === operations[operation].method)).toBe(true);
      },
    );
  });

  describe('afterwards', () => {
    it('logged no unexpected error', () => {
      expect(harness.logs.join('')).not.toContain('unexpected error');
    });

    it('serves /health with the circuit closed', async () => {
      const health = await fetch(new URL('/health', harness.gateway.url));

      expect(health.status).toBe(200);
      expect(await health.json()).toStrictEqual({
        status: 'ok',
        circuit: 'closed',
        retryBudget: { remaining: 1 },
      });
    });

    it('still serves a normal query', async () => {
      // A user no mode touched, so no fault of theirs applies.
      const used = new Set(userIds.values());
      const user = DEMO_USERS.find((candidate) => !used.has(candidate.userId))!;
      const before = harness.demo.requests.length;

      const response = await harness.graphql({
        query: operations.user.query,
        variables: { userId: user.userId },
      });

      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.user).toMatchObject({
        userId: user.userId,
        clinicRoleLabel: user.clinicRole,
      });
      expect(harness.demo.requests.slice(before).map((r) => r.path)).toStrictEqual([
        userPath(user.userId),
      ]);
    });
  });
});
