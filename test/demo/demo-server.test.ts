import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { avaraUserSchema, USER_ID_PATTERN } from '../../src/avara/types.js';
import type { AvaraUser } from '../../src/avara/types.js';
import { DEMO_API_KEY, DEMO_USERS, SEED_USER_ID, startDemoAvara } from '../../src/demo/server.js';
import type { DemoAvara, DemoFault, FaultMatch } from '../../src/demo/server.js';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** `null` sends no Authorization header at all. */
  authorization?: string | null;
}

const USER_PATH = `/v1/viewer/users/${SEED_USER_ID}`;
const SEED_USER = DEMO_USERS[0];

let demo: DemoAvara;

beforeAll(async () => {
  demo = await startDemoAvara({ apiKeys: [DEMO_API_KEY] });
});
afterAll(() => demo.close());
beforeEach(() => demo.reset());

/** One real HTTP exchange with the demo API; a string body is sent verbatim. */
async function call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const { body, headers = {}, authorization = `Bearer ${DEMO_API_KEY}` } = options;
  const response = await fetch(`${demo.url}${path}`, {
    method,
    headers: {
      ...(authorization === null ? {} : { authorization }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined || typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  const json: unknown = text === '' ? undefined : JSON.parse(text);
  return { status: response.status, headers: response.headers, text, json };
}

const patchSeedUser = (body: unknown): Promise<Answer> => call('PATCH', USER_PATH, { body });
const messageOf = (answer: Answer): string => (answer.json as { message: string }).message;
const usersOf = (answer: Answer): AvaraUser[] => (answer.json as { users: AvaraUser[] }).users;

describe('demo Avara API', () => {
  describe('seed', () => {
    it('holds six users with unique ids that all pass the wire schema', () => {
      expect(DEMO_USERS).toHaveLength(6);
      for (const user of DEMO_USERS) {
        expect(avaraUserSchema.parse(user)).toEqual(user);
        expect(user.userId).toMatch(USER_ID_PATTERN);
      }
      expect(new Set(DEMO_USERS.map((user) => user.userId)).size).toBe(6);
    });

    it('starts with the reference example user', () => {
      expect(SEED_USER).toStrictEqual({
        ...{ canManageStudies: true, clinicRole: 'Radiologist', createdAt: '2024-01-15T10:00:00Z' },
        ...{ email: 'dr.johnson@hospital.org', firstName: 'Sarah', hasDashboardAccess: true },
        ...{ invitedSource: 'api', lastLoginAt: '2024-03-15T09:00:00Z', lastName: 'Johnson' },
        ...{ level: 'member', userId: 'usr_1234567890abcdef1234567890abcdef' },
        ...{ middleName: 'Marie', phoneNumber: '5551234567', suffix1: 'MD', suffix2: 'FACR' },
      });
    });

    it('covers every level, both invite sources, drifting roles and a never-logged-in user', () => {
      const values = (key: keyof AvaraUser): unknown[] => DEMO_USERS.map((user) => user[key]);
      expect(new Set(values('level'))).toEqual(new Set(['owner', 'admin', 'member']));
      expect(new Set(values('invitedSource'))).toEqual(new Set(['api', 'dashboard']));
      expect(values('clinicRole')).toEqual(
        expect.arrayContaining(['PACS Administrator', 'Certified Registered Nurse Anesthetist']),
      );
      expect(values('lastLoginAt')).toContain(null);
      const admin = DEMO_USERS.find((user) => user.level === 'admin');
      expect(admin?.hasDashboardAccess).toBe(true);
    });

    it('leaves unset optional fields absent, never null', () => {
      const optional = ['middleName', 'suffix1', 'suffix2', 'phoneNumber'] as const;
      const absent = DEMO_USERS.filter((user) => optional.some((key) => !(key in user)));
      expect(absent.length).toBeGreaterThan(0);
      for (const user of DEMO_USERS) for (const key of optional) expect(user[key]).not.toBeNull();
    });
  });

  describe('every answer', () => {
    it.each([
      ['a success', USER_PATH, 200],
      ['an error', '/v1/viewer/users/usr_missing', 404],
    ])('carries JSON content type and a fresh x-request-id on %s', async (_, path, status) => {
      const [first, second] = [await call('GET', path), await call('GET', path)];
      expect(first.status).toBe(status);
      expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(first.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{16}$/);
      expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    });
  });

  describe('auth', () => {
    it.each([
      ['there is no Authorization header', null],
      ['the scheme is not Bearer', `Basic ${DEMO_API_KEY}`],
      ['the token is empty', 'Bearer '],
      ['the token is not an accepted key', 'Bearer someone-elses-key'],
    ])('answers 401 { message } when %s', async (_, authorization) => {
      const answer = await call('GET', USER_PATH, { authorization });
      expect(answer.status).toBe(401);
      expect(messageOf(answer)).toEqual(expect.any(String));
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('accepts the scheme in any case', async () => {
      expect(
        (await call('GET', USER_PATH, { authorization: `bearer ${DEMO_API_KEY}` })).status,
      ).toBe(200);
    });

    it('accepts any non-empty bearer token when no apiKeys are configured', async () => {
      const open = await startDemoAvara();
      try {
        const response = await fetch(`${open.url}${USER_PATH}`, {
          headers: { authorization: 'Bearer anything' },
        });
        expect(response.status).toBe(200);
      } finally {
        await open.close();
      }
    });
  });

  describe('GET /v1/viewer/users/{userId}', () => {
    it('answers 200 with the full user', async () => {
      expect(await call('GET', USER_PATH)).toMatchObject({ status: 200, json: SEED_USER });
    });

    it('decodes a percent-encoded id', async () => {
      const encoded = USER_PATH.replace('usr_', 'usr%5F');
      expect(await call('GET', encoded)).toMatchObject({ status: 200, json: SEED_USER });
    });

    it.each([
      ['the id is unknown', '/v1/viewer/users/usr_00000000000000000000000000000000', 404],
      ['the id is malformed percent-encoding', '/v1/viewer/users/usr_%E0%A4%A', 400],
    ])('answers { message } when %s', async (_, path, status) => {
      const answer = await call('GET', path);
      expect(answer.status).toBe(status);
      expect(messageOf(answer)).toEqual(status === 404 ? 'User not found' : expect.any(String));
    });
  });

  describe('PATCH /v1/viewer/users/{userId}', () => {
    it('changes only the given fields and answers the full user', async () => {
      const answer = await patchSeedUser({ firstName: 'Sally', canManageStudies: false });
      expect(answer).toMatchObject({
        status: 200,
        json: { ...SEED_USER, firstName: 'Sally', canManageStudies: false },
      });
      expect((await call('GET', USER_PATH)).json).toEqual(answer.json);
    });

    it('removes fields cleared with null from the JSON instead of sending null', async () => {
      const cleared = { middleName: null, phoneNumber: null, suffix1: null, suffix2: null };
      const answer = await patchSeedUser({ ...cleared, clinicRole: null });
      expect(answer.status).toBe(200);
      for (const key of [...Object.keys(cleared), 'clinicRole'])
        expect(answer.json).not.toHaveProperty(key);
    });

    it('accepts roles from every API version, and promotion to admin with dashboard access', async () => {
      expect(
        (await patchSeedUser({ clinicRole: 'PACS Administrator', level: 'admin' })).status,
      ).toBe(200);
      expect((await patchSeedUser({ clinicRole: 'Oncologist' })).status).toBe(200);
    });

    it.each([
      ['email is sent', { email: 'new@hospital.org' }, 'email cannot be changed'],
      ['a field is unknown', { nickname: 'Sal' }, '"nickname" is not an updatable field'],
      ['a boolean is a string', { canManageStudies: 'yes' }, 'canManageStudies must be a boolean'],
      ['a name is empty', { firstName: '' }, 'firstName must be a non-empty string'],
      ['a required name is null', { lastName: null }, 'lastName must be a non-empty string'],
      ['a suffix is empty', { suffix1: '' }, 'suffix1 must be a non-empty string or null'],
      ['the phone has 9 digits', { phoneNumber: '555123456' }, 'phoneNumber must be a string of'],
      [
        'the phone has 16 digits',
        { phoneNumber: '5'.repeat(16) },
        'phoneNumber must be a string of',
      ],
      ['the phone has symbols', { phoneNumber: '+15551234567' }, 'phoneNumber must be a string of'],
      ['level is owner', { level: 'owner' }, 'owner cannot be assigned through the API'],
      ['level is unknown', { level: 'boss' }, 'level must be one of: admin, member'],
      ['level is null', { level: null }, 'level must be one of: admin, member'],
      ['clinicRole is unknown', { clinicRole: 'Wizard' }, 'clinicRole must be a known clinic role'],
      [
        'an admin would lack dashboard access',
        { level: 'admin', hasDashboardAccess: false },
        'hasDashboardAccess must be true for admin users',
      ],
      ['the body is an array', [], 'body must be a JSON object'],
      ['the body is not JSON', '{"firstName":', 'body must be a JSON object'],
    ])('answers 400 and leaves the user unchanged when %s', async (_, body, problem) => {
      const answer = await patchSeedUser(body);
      expect(answer.status).toBe(400);
      expect(messageOf(answer)).toContain(problem);
      expect((await call('GET', USER_PATH)).json).toEqual(SEED_USER);
    });

    it('answers 400 naming every bad field at once, without echoing the values', async () => {
      const answer = await patchSeedUser({
        email: 'secret@x.org',
        firstName: '',
        phoneNumber: 'call-me-555',
        middleName: 42,
      });
      const problems = messageOf(answer).split('; ');
      expect(problems).toHaveLength(4);
      expect(problems.map((problem) => problem.split(' ')[0])).toEqual(
        expect.arrayContaining(['email', 'firstName', 'phoneNumber', 'middleName']),
      );
      expect(answer.text).not.toMatch(/secret@x\.org|call-me-555|42/);
    });

    it('answers 404 for an unknown id before looking at the body', async () => {
      const answer = await call('PATCH', '/v1/viewer/users/usr_unknown', { body: '{' });
      expect(answer).toMatchObject({ status: 404, json: { message: 'User not found' } });
    });
  });

  describe('GET /v1/viewer/users', () => {
    it('answers every user on one page with the default limit of 20', async () => {
      const answer = await call('GET', '/v1/viewer/users');
      expect(answer).toMatchObject({ status: 200, json: { hasMore: false } });
      // The last page has no cursor at all, as the reference says.
      expect(answer.json).not.toHaveProperty('cursor');
      expect(usersOf(answer)).toEqual(DEMO_USERS);
    });

    it('walks every user exactly once, page by page, with the returned cursor', async () => {
      const first = await call('GET', '/v1/viewer/users?limit=4');
      // The SDK tests' shape: standard base64 of {"offset":N}.
      expect(first.json).toMatchObject({ hasMore: true, cursor: 'eyJvZmZzZXQiOjR9' });
      const { cursor } = first.json as { cursor: string };
      const query = new URLSearchParams({ limit: '4', cursor });
      const second = await call('GET', `/v1/viewer/users?${query}`);
      expect(second.json).toMatchObject({ hasMore: false });
      expect(second.json).not.toHaveProperty('cursor');
      expect([...usersOf(first), ...usersOf(second)]).toEqual(DEMO_USERS);
    });

    it.each([
      ['email (exact)', 'email=dr.johnson@hospital.org', ['Johnson']],
      ['email (not a substring match)', 'email=johnson', []],
      ['firstName (case-insensitive contains)', 'firstName=AI', ['Bello']],
      ['lastName (case-insensitive contains)', 'lastName=son', ['Johnson']],
      ['invitedSource', 'invitedSource=dashboard', ['Okafor', 'Raman', 'Becker']],
      ['level', 'level=member', ['Johnson', 'Alvarez', 'Becker', 'Bello']],
      [
        'several filters together',
        'level=member&invitedSource=api',
        ['Johnson', 'Alvarez', 'Bello'],
      ],
    ])('filters by %s', async (_, query, lastNames) => {
      const answer = await call('GET', `/v1/viewer/users?${query}`);
      expect(usersOf(answer).map((user) => user.lastName)).toEqual(lastNames);
    });

    it.each([
      ['limit is 0', 'limit=0', 'limit'],
      ['limit is over 100', 'limit=101', 'limit'],
      ['limit is not an integer', 'limit=2.5', 'limit'],
      ['the cursor was not issued by the API', 'cursor=not-a-cursor', 'cursor'],
      ['the level is unknown', 'level=boss', 'level'],
      ['the invite source is unknown', 'invitedSource=email', 'invitedSource'],
    ])('answers 400 when %s', async (_, query, field) => {
      const answer = await call('GET', `/v1/viewer/users?${query}`);
      expect(answer.status).toBe(400);
      expect(messageOf(answer)).toMatch(new RegExp(`^${field} `));
    });
  });

  describe('routing and limits', () => {
    it.each([
      ['GET', '/v1/viewer/groups', 404, null],
      ['GET', '/v1/viewer/users/a/b', 404, null],
      ['PUT', '/v1/viewer/users', 405, 'GET, POST'],
      ['GET', '/v1/viewer/users/revoke-access', 405, 'POST'],
      ['GET', '/v1/viewer/users/reactivate', 405, 'POST'],
      ['POST', '/v1/viewer/users/invitations', 405, 'GET'],
      ['GET', '/v1/viewer/users/invitations/revoke', 405, 'POST'],
      ['DELETE', '/v1/viewer/users/invitations/inv_x', 405, 'GET, PATCH'],
      ['GET', '/v1/viewer/users/invitations/a/b', 404, null],
      ['DELETE', USER_PATH, 405, 'GET, PATCH'],
    ])('answers %s %s with %i', async (method, path, status, allow) => {
      const answer = await call(method, path);
      expect(answer.status).toBe(status);
      expect(messageOf(answer)).toEqual(expect.any(String));
      expect(answer.headers.get('allow')).toBe(allow);
    });

    it('answers 413 for a body over 1 MB', async () => {
      const answer = await patchSeedUser({ firstName: 'x'.repeat(1024 * 1024) });
      expect(answer.status).toBe(413);
    });
  });

  describe('faults', () => {
    it('answer with the fault status and a default { message } instead of handling the request', async () => {
      demo.inject({ status: 503 });
      const faulted = await call('PATCH', USER_PATH, { body: { firstName: 'Sally' } });
      expect(faulted).toMatchObject({ status: 503, json: { message: 'Service Unavailable' } });
      expect(faulted.headers.get('x-request-id')).toMatch(/^req_/);
      expect((await call('GET', USER_PATH)).json).toEqual(SEED_USER);
    });

    it.each<[string, DemoFault, string]>([
      ['a JSON body', { status: 422, body: { message: ['a', 'b'] } }, '{"message":["a","b"]}'],
      [
        'a raw body over a JSON one',
        { status: 502, body: {}, rawBody: '<html>502</html>' },
        '<html>502</html>',
      ],
      ['a success status without a body', { status: 200 }, ''],
    ])('send %s verbatim', async (_, fault, text) => {
      demo.inject(fault);
      const answer = await fetch(`${demo.url}${USER_PATH}`);
      expect(answer.status).toBe(fault.status);
      expect(await answer.text()).toBe(text);
    });

    it('add their headers, overriding the defaults, and come before auth', async () => {
      const headers = { 'Retry-After': '1', 'x-should-retry': 'true', 'x-request-id': 'req_fixed' };
      demo.inject({ status: 429, headers });
      const answer = await call('GET', USER_PATH, { authorization: null });
      expect(answer.status).toBe(429);
      expect(answer.headers.get('retry-after')).toBe('1');
      expect(answer.headers.get('x-should-retry')).toBe('true');
      expect(answer.headers.get('x-request-id')).toBe('req_fixed');
    });

    it('delay the answer by delayMs, then handle the request normally', async () => {
      demo.inject({ delayMs: 150 });
      const started = performance.now();
      const answer = await call('GET', USER_PATH);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
      expect(answer).toMatchObject({ status: 200, json: SEED_USER });
    });

    it('drop the connection after reading the request, so the client gets no answer', async () => {
      demo.inject({ drop: true });
      await expect(call('PATCH', USER_PATH, { body: { firstName: 'Sally' } })).rejects.toThrow();
      expect(demo.requests).toMatchObject([{ method: 'PATCH', body: { firstName: 'Sally' } }]);
      expect((await call('GET', USER_PATH)).json).toEqual(SEED_USER);
    });

    it('repaint clinicRole on the answered users without storing it', async () => {
      demo.inject({ clinicRole: 'Chief Wizard' }, { times: 2 });
      expect((await call('GET', USER_PATH)).json).toEqual({
        ...SEED_USER,
        clinicRole: 'Chief Wizard',
      });
      const list = await call('GET', '/v1/viewer/users?limit=2');
      expect(usersOf(list).map((user) => user.clinicRole)).toEqual([
        'Chief Wizard',
        'Chief Wizard',
      ]);
      expect((await call('GET', USER_PATH)).json).toEqual(SEED_USER);
    });

    it('are consumed first in, first out, each for `times` matching requests', async () => {
      demo.inject({ status: 500 });
      demo.inject({ status: 502 }, { times: 2 });
      demo.inject({ status: 503 }, { times: Infinity, pathPrefix: '/v1/viewer/users?' });
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await call('GET', USER_PATH)).status);
      for (let i = 0; i < 3; i += 1)
        statuses.push((await call('GET', '/v1/viewer/users?limit=1')).status);
      expect(statuses).toEqual([500, 502, 502, 200, 503, 503, 503]);
    });

    it('apply only to requests matching their method and path prefix', async () => {
      demo.inject({ status: 500 }, { method: 'patch', pathPrefix: USER_PATH });
      expect((await call('GET', USER_PATH)).status).toBe(200);
      expect((await call('PATCH', '/v1/viewer/users/usr_other', { body: {} })).status).toBe(404);
      expect((await call('PATCH', USER_PATH, { body: {} })).status).toBe(500);
    });

    it.each<[string, DemoFault, FaultMatch | undefined]>([
      ['a status outside HTTP', { status: 42 }, undefined],
      ['a negative delay', { delayMs: -1 }, undefined],
      ['an unknown field', { stauts: 500 } as DemoFault, undefined],
      ['zero times', { status: 500 }, { times: 0 }],
    ])('are refused with a TypeError for %s', (_, fault, match) => {
      expect(() => demo.inject(fault, match)).toThrow(TypeError);
    });
  });

  describe('request log', () => {
    it('records method, raw path, headers and bodies in arrival order', async () => {
      await call('GET', '/v1/viewer/users?limit=1&level=member');
      await call('PATCH', USER_PATH, { body: '{broken' });
      await call('PATCH', USER_PATH, { body: { suffix2: null } });
      expect(demo.requests).toMatchObject([
        {
          method: 'GET',
          path: '/v1/viewer/users?limit=1&level=member',
          body: undefined,
          rawBody: '',
        },
        { method: 'PATCH', path: USER_PATH, body: undefined, rawBody: '{broken' },
        { method: 'PATCH', body: { suffix2: null }, rawBody: '{"suffix2":null}' },
      ]);
      expect(demo.requests[0].headers.authorization).toBe(`Bearer ${DEMO_API_KEY}`);
    });

    it('lets a test await requests that have not arrived yet', async () => {
      const arrived = demo.waitForRequests(2);
      await Promise.all([call('GET', USER_PATH), call('GET', '/v1/viewer/users')]);
      expect(await arrived).toHaveLength(2);
      await expect(demo.waitForRequests(1)).resolves.toHaveLength(2);
    });

    it('fails pending waits when the server closes', async () => {
      const other = await startDemoAvara();
      const waiting = other.waitForRequests(1);
      await other.close();
      await expect(waiting).rejects.toThrow('closed');
    });
  });

  describe('reset', () => {
    it('restores the seed users and clears requests and faults', async () => {
      await patchSeedUser({ firstName: 'Sally' });
      demo.inject({ status: 500 });
      demo.reset();
      expect(demo.requests).toHaveLength(0);
      expect(await call('GET', USER_PATH)).toMatchObject({ status: 200, json: SEED_USER });
    });
  });

  describe('control endpoints', () => {
    const control = (method: string, path: string, body?: unknown): Promise<Answer> =>
      call(method, `/__demo/${path}`, { body, authorization: null });

    it('inject a fault from another process, "Infinity" standing for endless times', async () => {
      const injected = await control('POST', 'faults', {
        fault: { status: 504 },
        match: { method: 'GET', times: 'Infinity' },
      });
      expect(injected.status).toBe(204);
      expect((await call('GET', USER_PATH)).status).toBe(504);
      expect((await call('GET', USER_PATH)).status).toBe(504);
      expect((await control('DELETE', 'faults')).status).toBe(204);
      expect((await call('GET', USER_PATH)).status).toBe(200);
    });

    it.each([
      ['no fault', { match: {} }],
      ['a fault of the wrong shape', { fault: { status: '500' } }],
      ['Infinity spelled wrong', { fault: {}, match: { times: 'forever' } }],
    ])('answer 400 for %s', async (_, body) => {
      const answer = await control('POST', 'faults', body);
      expect(answer.status).toBe(400);
      expect(messageOf(answer)).toEqual(expect.any(String));
    });

    it('list recorded requests without recording themselves', async () => {
      await call('GET', USER_PATH);
      const answer = await control('GET', 'requests');
      expect(answer.json).toMatchObject([{ method: 'GET', path: USER_PATH }]);
      expect(demo.requests).toHaveLength(1);
    });

    it('reset the demo', async () => {
      await patchSeedUser({ firstName: 'Sally' });
      expect((await control('POST', 'reset')).status).toBe(204);
      expect(demo.requests).toHaveLength(0);
      expect((await call('GET', USER_PATH)).json).toEqual(SEED_USER);
    });

    it('answer 404 for unknown control paths and 405 for other methods', async () => {
      expect((await control('GET', 'nothing')).status).toBe(404);
      expect((await control('GET', 'reset')).status).toBe(405);
    });
  });

  describe('close', () => {
    it('stops listening, and can be called twice', async () => {
      const other = await startDemoAvara();
      await other.close();
      await other.close();
      await expect(fetch(`${other.url}${USER_PATH}`)).rejects.toThrow();
    });
  });
});
