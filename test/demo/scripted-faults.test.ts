/**
 * Faults scripted per user id (path) and per attempt, and the answers that test how a body is
 * read, through `inject()` and the `/__demo/faults` control endpoint alike.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { FaultQueue } from '../../src/demo/faults.js';
import { DEMO_API_KEY, DEMO_USERS, SEED_USER_ID, startDemoAvara } from '../../src/demo/server.js';
import type { DemoAvara, DemoFault, FaultMatch } from '../../src/demo/server.js';

const USER_PATH = `/v1/viewer/users/${SEED_USER_ID}`;
const OTHER_PATH = `/v1/viewer/users/${DEMO_USERS[1].userId}`;

let demo: DemoAvara;
beforeAll(async () => {
  demo = await startDemoAvara({ apiKeys: [DEMO_API_KEY] });
});
afterAll(() => demo.close());
beforeEach(() => demo.reset());

const get = (path: string) =>
  fetch(`${demo.url}${path}`, { headers: { authorization: `Bearer ${DEMO_API_KEY}` } });
const statuses = async (path: string, n: number) => {
  const seen: number[] = [];
  for (let i = 0; i < n; i++) seen.push((await get(path)).status);
  return seen;
};

/** Which of `n` matching requests a fault applied to, as a string of 0/1. */
function pattern(match: FaultMatch, n: number): string {
  const queue = new FaultQueue();
  queue.add({ status: 503 }, match);
  return Array.from({ length: n }, () => (queue.take('GET', USER_PATH) ? '1' : '0')).join('');
}

describe('scripted faults', () => {
  describe('per attempt', () => {
    it.each<[string, FaultMatch, string]>([
      ['fail the first 2, then succeed', { times: 2 }, '11000'],
      ['succeed once, then fail twice', { skip: 1, times: 2 }, '01100'],
      ['fail every one', { times: Infinity }, '11111'],
    ])('%s', (_case, match, expected) => {
      expect(pattern(match, 5)).toBe(expected);
    });

    it('draws a brownout from its seed: the same pattern each run, near the probability', () => {
      const brownout = { probability: 0.3, seed: 42, times: Infinity };
      const first = pattern(brownout, 2_000);
      expect(pattern(brownout, 2_000)).toBe(first);
      expect(pattern({ ...brownout, seed: 43 }, 2_000)).not.toBe(first);
      const share = [...first].filter((bit) => bit === '1').length / 2_000;
      expect(share).toBeGreaterThan(0.25);
      expect(share).toBeLessThan(0.35);
    });
  });

  describe('per user id, over HTTP', () => {
    it('fails only the scripted path, the first N times, then answers it normally', async () => {
      demo.inject({ status: 503 }, { pathPrefix: USER_PATH, times: 2 });

      expect(await statuses(OTHER_PATH, 1)).toStrictEqual([200]);
      expect(await statuses(USER_PATH, 3)).toStrictEqual([503, 503, 200]);
    });

    it('takes the same script through the control endpoint', async () => {
      const injected = await fetch(`${demo.url}/__demo/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          fault: { status: 500 },
          match: { pathPrefix: USER_PATH, skip: 1, times: 'Infinity' },
        }),
      });
      expect(injected.status).toBe(204);

      expect(await statuses(USER_PATH, 3)).toStrictEqual([200, 500, 500]);
    });

    it.each<[string, DemoFault, FaultMatch]>([
      ['a probability above 1', { status: 503 }, { probability: 1.5 }],
      ['a negative skip', { status: 503 }, { skip: -1 }],
      ['a fractional seed', { status: 503 }, { seed: 0.5 }],
      ['a negative body size', { bodyBytes: -1 }, {}],
      ['a zero drip', { dripMs: 0 }, {}],
      ['user fields that are not an object', { userFields: 'x' } as unknown as DemoFault, {}],
    ])('refuses %s', (_case, fault, match) => {
      expect(() => demo.inject(fault, match)).toThrow(TypeError);
    });
  });

  describe('answers that test the reader', () => {
    it('pads a real answer to bodyBytes, declaring its length, or chunked without it', async () => {
      demo.inject({ bodyBytes: 200_000 });
      const declared = await get(USER_PATH);
      expect(declared.headers.get('content-length')).toBe('200000');
      const text = await declared.text();
      expect(text).toHaveLength(200_000);
      expect(JSON.parse(text)).toStrictEqual(DEMO_USERS[0]);

      demo.inject({ bodyBytes: 100_000, declareLength: false });
      const chunked = await get(USER_PATH);
      expect(chunked.headers.get('content-length')).toBeNull();
      expect((await chunked.text()).length).toBe(100_000);
      expect(demo.slowBodies.bytesWritten).toBe(300_000);
    });

    it('drips a real answer a byte at a time', async () => {
      demo.inject({ dripMs: 1, userFields: { firstName: 'Drip' } });
      const response = await get(USER_PATH);
      const user = (await response.json()) as { firstName: string };
      expect(user.firstName).toBe('Drip');
      expect(demo.slowBodies.bytesWritten).toBe(Number(response.headers.get('content-length')));
    });

    it('sends raw bytes, such as invalid UTF-8, verbatim', async () => {
      const bytes = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
      demo.inject({ status: 200, rawBodyBase64: bytes.toString('base64') });
      const response = await get(USER_PATH);
      expect(Buffer.from(await response.arrayBuffer())).toStrictEqual(bytes);
    });

    it('answers another user than the one asked for', async () => {
      demo.inject({ userFields: { userId: DEMO_USERS[1].userId } });
      const user = (await (await get(USER_PATH)).json()) as { userId: string; email: string };
      expect(user).toMatchObject({ userId: DEMO_USERS[1].userId, email: DEMO_USERS[0].email });
    });
  });
});
