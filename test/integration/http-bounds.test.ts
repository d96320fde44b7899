/**
 * The HTTP server's bounds, over real sockets: slow headers, slow bodies, idle keep-alive
 * connections and clients that stop reading their answer are each cut off by a deliberate timeout
 * (Node's defaults held them for minutes); connections beyond `MAX_CONNECTIONS` are closed at
 * once; an answer larger than `MAX_RESPONSE_BYTES` is refused with a code instead of sent. Every
 * wait is on an event (the socket's close, a log line), never a sleep, and nothing asserts time.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig, type Config } from '../../src/config.js';
import { startDemoAvara, type DemoAvara } from '../../src/demo/server.js';
import { SEED_USER_ID } from '../../src/demo/seed.js';
import { createLogger } from '../../src/logger.js';
import { createServer, type GatewayServer } from '../../src/server.js';
import { GATEWAY_API_KEY, expectUpstreamCalls, postGraphQL, userPath } from '../support/harness.js';
import { openSocket, postHead, rawGraphQL } from '../support/raw-http.js';

interface LogLine {
  msg: string;
  [field: string]: unknown;
}

/** A gateway whose log can be awaited line by line. */
interface Bounded {
  demo: DemoAvara;
  gateway: GatewayServer;
  logs: LogLine[];
  waitForLog(msg: string): Promise<LogLine>;
  close(): Promise<void>;
}

async function startBounded(overrides: Partial<Config>): Promise<Bounded> {
  const demo = await startDemoAvara();
  const logs: LogLine[] = [];
  const waiters: { msg: string; resolve: (line: LogLine) => void }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = JSON.parse(chunk.toString('utf8')) as LogLine;
      logs.push(line);
      for (const waiter of waiters.filter(({ msg }) => msg === line.msg)) waiter.resolve(line);
      done();
    },
  });
  const config: Config = {
    ...loadConfig({}),
    port: 0,
    avaraBaseUrl: demo.url,
    avaraApiKey: GATEWAY_API_KEY,
    ...overrides,
  };
  const gateway = await createServer(config, { logger: createLogger('info', sink) });
  return {
    demo,
    gateway,
    logs,
    waitForLog: (msg) =>
      new Promise((resolve) => {
        const seen = logs.find((line) => line.msg === msg);
        if (seen) resolve(seen);
        else waiters.push({ msg, resolve });
      }),
    async close() {
      await gateway.close();
      await demo.close();
    },
  };
}

const TINY_QUERY = JSON.stringify({ query: '{ __typename }' });

describe('HTTP server bounds', () => {
  describe('timeouts', () => {
    let bounded: Bounded;
    beforeAll(async () => {
      bounded = await startBounded({
        headersTimeoutMs: 300,
        requestTimeoutMs: 600,
        keepAliveTimeoutMs: 300,
        writeTimeoutMs: 300,
        maxResponseBytes: 100_000_000,
      });
    });
    afterAll(() => bounded.close());

    it('closes a connection whose headers never end (HTTP_HEADERS_TIMEOUT_MS), answering 408', async () => {
      const client = await openSocket(bounded.gateway.port);
      client.socket.write('POST /graphql HTTP/1.1\r\nHost: localhost\r\ncontent-type: app');

      const received = await client.closed;

      expect(received).toMatch(/^HTTP\/1\.1 408 /);
    });

    it('closes a connection whose body never ends (HTTP_REQUEST_TIMEOUT_MS), sending nothing upstream', async () => {
      bounded.demo.reset();
      const body = JSON.stringify({
        query: `mutation { updateUser(userId: "${SEED_USER_ID}", input: { firstName: "Slow" }) { userId } }`,
      });
      const client = await openSocket(bounded.gateway.port);
      client.socket.write(postHead(body) + body.slice(0, 20));

      const received = await client.closed;

      expect(received).toMatch(/^HTTP\/1\.1 408 /);
      expectUpstreamCalls(bounded.demo, []);
    });

    it('closes an idle keep-alive connection after its answer (HTTP_KEEP_ALIVE_TIMEOUT_MS)', async () => {
      const client = await openSocket(bounded.gateway.port);
      client.socket.write(postHead(TINY_QUERY) + TINY_QUERY);

      const received = await client.closed;

      expect(received.match(/HTTP\/1\.1 200 /g)).toHaveLength(1);
      expect(received).toContain('"__typename":"Query"');
    });

    it('closes the connection of a client that stops reading its answers (HTTP_WRITE_TIMEOUT_MS)', async () => {
      // Megabytes per answer, pipelined, never read: more than the kernel's socket buffers hold.
      const selection =
        '__schema { types { name description fields { name description args { name description } } inputFields { name description } enumValues { name description } } }';
      const body = JSON.stringify({
        query: `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: ${selection}`).join(' ')} }`,
      });
      const requests = 20;
      const client = await openSocket(bounded.gateway.port, { paused: true });
      client.socket.write((postHead(body) + body).repeat(requests));

      const line = await bounded.waitForLog('closed a connection that stopped reading its answer');
      client.socket.resume();
      const received = await client.closed;

      expect(line).toMatchObject({ writeTimeoutMs: 300, requestId: expect.any(String) });
      expect((received.match(/HTTP\/1\.1 200 /g) ?? []).length).toBeLessThan(requests);
    });
  });

  describe('MAX_CONNECTIONS', () => {
    let bounded: Bounded;
    beforeAll(async () => {
      bounded = await startBounded({ maxConnections: 2 });
    });
    afterAll(() => bounded.close());

    it('closes a connection beyond the cap at once, and keeps serving the ones it has', async () => {
      const request = postHead(TINY_QUERY) + TINY_QUERY;
      const [first, second] = await Promise.all([
        openSocket(bounded.gateway.port),
        openSocket(bounded.gateway.port),
      ]);
      const answered = (client: typeof first, count: number) =>
        new Promise<void>((resolve) => {
          const check = (): void => {
            if ((client.received().match(/HTTP\/1\.1 200 /g) ?? []).length >= count) {
              client.socket.off('data', check);
              resolve();
            }
          };
          client.socket.on('data', check);
        });
      // Both connections are the server's once each has been answered.
      first.socket.write(request);
      second.socket.write(request);
      await Promise.all([answered(first, 1), answered(second, 1)]);

      const third = await openSocket(bounded.gateway.port);
      third.socket.write(request);
      const receivedByThird = await third.closed;

      expect(receivedByThird).toBe('');
      first.socket.write(request);
      await answered(first, 2);
      first.socket.destroy();
      second.socket.destroy();
    });
  });

  describe('one process through a sequence of slow, greedy and ordinary clients', () => {
    let bounded: Bounded;
    beforeAll(async () => {
      bounded = await startBounded({
        maxConnections: 3,
        headersTimeoutMs: 200,
        requestTimeoutMs: 400,
        keepAliveTimeoutMs: 200,
        maxResponseBytes: 5_000,
      });
    });
    afterAll(() => bounded.close());

    const answeredOnce = async (): Promise<string> => {
      const client = await openSocket(bounded.gateway.port);
      client.socket.write(postHead(TINY_QUERY) + TINY_QUERY);
      return client.closed;
    };

    it('frees the slots slow clients held, and keeps every ordinary client served', async () => {
      // Two clients that never finish their headers hold two of the three slots...
      const slow = await Promise.all([
        openSocket(bounded.gateway.port),
        openSocket(bounded.gateway.port),
      ]);
      for (const client of slow) client.socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\n');
      // ...an ordinary client still gets the third, and an oversized answer is refused meanwhile.
      expect(await answeredOnce()).toContain('"__typename":"Query"');
      const big = await rawGraphQL(bounded.gateway.url, {
        query: `{ ${Array.from({ length: 90 }, (_, i) => `a${i}: user(userId: "${SEED_USER_ID}") { email firstName lastName }`).join(' ')} }`,
      });
      expect(big.body.errors[0].extensions.code).toBe('RESPONSE_TOO_LARGE');

      // The header timeout closes both slow clients; their slots are free again.
      expect(await Promise.all(slow.map((client) => client.closed))).toStrictEqual([
        expect.stringMatching(/^HTTP\/1\.1 408 /),
        expect.stringMatching(/^HTTP\/1\.1 408 /),
      ]);
      const answers = await Promise.all([answeredOnce(), answeredOnce(), answeredOnce()]);
      for (const answer of answers) expect(answer).toContain('"__typename":"Query"');
    });
  });

  describe('MAX_RESPONSE_BYTES', () => {
    let bounded: Bounded;
    beforeAll(async () => {
      bounded = await startBounded({ maxResponseBytes: 2_000 });
    });
    afterAll(() => bounded.close());

    it('refuses an answer over the cap with 400 RESPONSE_TOO_LARGE and the request id', async () => {
      const aliases = Array.from(
        { length: 20 },
        (_, i) => `u${i}: user(userId: "${SEED_USER_ID}") { firstName lastName email phoneNumber }`,
      );

      const response = await postGraphQL(
        bounded.gateway.url,
        { query: `{ ${aliases.join(' ')} }` },
        { 'x-request-id': 'big-answer' },
      );

      expect(response.status).toBe(400);
      expect(response.body).toStrictEqual({
        errors: [
          {
            message: expect.stringContaining('2000 bytes'),
            extensions: { code: 'RESPONSE_TOO_LARGE', requestId: 'big-answer' },
          },
        ],
      });
      expect(response.text).not.toContain('Sarah');
      // One GET: the loader collapses the 20 aliases of one user.
      expectUpstreamCalls(bounded.demo, [{ method: 'GET', path: userPath(SEED_USER_ID) }]);
      expect(bounded.logs.filter((line) => line.requestId === 'big-answer')).toEqual([
        expect.objectContaining({ msg: 'operation' }),
        expect.objectContaining({
          msg: 'answer refused: too large',
          errorCodes: ['RESPONSE_TOO_LARGE'],
        }),
      ]);
    });

    it('sends an answer under the cap unchanged', async () => {
      const response = await postGraphQL(bounded.gateway.url, {
        query: `{ user(userId: "${SEED_USER_ID}") { firstName } }`,
      });

      expect(response.status).toBe(200);
      expect(response.body).toStrictEqual({ data: { user: { firstName: 'Sarah' } } });
    });
  });
});
