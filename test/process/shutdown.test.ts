/**
 * `src/index.ts` as a process: what SIGTERM and SIGINT do to a gateway that is serving. Every step
 * waits on an event (an upstream request arriving, a log line, an answer, the exit), never a sleep.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { startDemoAvara, SEED_USER_ID, type DemoAvara } from '../../src/demo/server.js';
import { startGateway, stopAllGateways, type LogLine } from '../support/child.js';
import { expectUpstreamCalls, postGraphQL, userPath } from '../support/harness.js';

const FIRST_NAME_QUERY = {
  query: `query FirstName($userId: ID!) { user(userId: $userId) { firstName } }`,
  variables: { userId: SEED_USER_ID },
};

const isShuttingDown = (line: LogLine): boolean => line.msg.startsWith('shutting down');
const isStopped = (line: LogLine): boolean => line.msg === 'stopped';

/** A fresh connection to the gateway's port is refused: nothing listens there any more. */
async function expectConnectionRefused(url: string): Promise<void> {
  await expect(fetch(url)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
}

let demo: DemoAvara | undefined;
afterEach(async () => {
  await stopAllGateways();
  await demo?.close();
  demo = undefined;
});

describe('gateway process', () => {
  describe('SIGTERM', () => {
    it('turns /health to 503 at once, finishes the operation in flight, exits 0, then refuses connections', async () => {
      demo = await startDemoAvara();
      // Slower than SHUTDOWN_DELAY_MS: the operation is still in flight when the drain begins.
      demo.inject({ delayMs: 2_000 }, { method: 'GET', times: Infinity });
      const gateway = await startGateway({
        AVARA_BASE_URL: demo.url,
        AVARA_API_KEY: 'k',
        SHUTDOWN_DELAY_MS: '1500',
        SHUTDOWN_GRACE_MS: '5000',
        LOG_LEVEL: 'info',
      });
      let answered = false;
      const inFlight = postGraphQL(gateway.url, FIRST_NAME_QUERY).finally(() => {
        answered = true;
      });
      await demo.waitForRequests(1);

      gateway.process.signal('SIGTERM');

      const shuttingDown = await gateway.process.waitForLog('shutting down', isShuttingDown);
      expect(shuttingDown).toMatchObject({ signal: 'SIGTERM', delayMs: 1500, graceMs: 5000 });
      const health = await fetch(gateway.healthUrl);
      expect(answered).toBe(false);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'shutting-down' });

      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(answer.body).toStrictEqual({ data: { user: { firstName: 'Sarah' } } });
      expectUpstreamCalls(demo, [
        { method: 'GET', path: userPath(SEED_USER_ID), headers: { authorization: 'Bearer k' } },
      ]);

      expect(await gateway.process.waitForExit()).toStrictEqual({ code: 0, signal: null });
      expect(gateway.process.logs.filter(isStopped)).toHaveLength(1);
      await expectConnectionRefused(gateway.healthUrl);
    });

    it('cuts off an operation that outlasts SHUTDOWN_GRACE_MS and still exits 0', async () => {
      demo = await startDemoAvara();
      demo.inject({ delayMs: 15_000 }, { method: 'GET' });
      const gateway = await startGateway({
        AVARA_BASE_URL: demo.url,
        AVARA_API_KEY: 'k',
        SHUTDOWN_DELAY_MS: '0',
        SHUTDOWN_GRACE_MS: '300',
      });
      // Settled either way at once, so the expected failure is not an unhandled rejection.
      const outcome = postGraphQL(gateway.url, FIRST_NAME_QUERY).then(
        (answer) => answer.body as unknown,
        (error: unknown) => error,
      );
      await demo.waitForRequests(1);

      gateway.process.signal('SIGTERM');

      // Well before the upstream would answer: the grace period, not the operation, ends it.
      expect(await gateway.process.waitForExit(5_000)).toStrictEqual({ code: 0, signal: null });
      // The connection closed with no answer.
      expect(await outcome).toMatchObject({ message: 'fetch failed' });
      expect(gateway.process.logs.filter(isStopped)).toHaveLength(1);
    });

    it('exits 1 at once on a second signal, without waiting for the shutdown delay', async () => {
      const gateway = await startGateway({ SHUTDOWN_DELAY_MS: '60000' });
      gateway.process.signal('SIGTERM');
      await gateway.process.waitForLog('shutting down', isShuttingDown);

      gateway.process.signal('SIGTERM');

      expect(await gateway.process.waitForExit(5_000)).toStrictEqual({ code: 1, signal: null });
      expect(
        gateway.process.logs.find((line) => line.msg.startsWith('second signal')),
      ).toMatchObject({ level: 40, signal: 'SIGTERM' });
      expect(gateway.process.logs.filter(isStopped)).toHaveLength(0);
    });
  });

  describe('SIGINT', () => {
    it('shuts down like SIGTERM: /health 503 during the delay, then exit 0', async () => {
      const gateway = await startGateway({ SHUTDOWN_DELAY_MS: '1000' });

      gateway.process.signal('SIGINT');

      const shuttingDown = await gateway.process.waitForLog('shutting down', isShuttingDown);
      expect(shuttingDown).toMatchObject({ signal: 'SIGINT', delayMs: 1000 });
      const health = await fetch(gateway.healthUrl);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'shutting-down' });
      expect(await gateway.process.waitForExit()).toStrictEqual({ code: 0, signal: null });
      expect(gateway.process.logs.filter(isStopped)).toHaveLength(1);
      await expectConnectionRefused(gateway.healthUrl);
    });
  });
});
