/**
 * `src/index.ts` as a process whose upstream cannot be reached: every operation that needs Avara
 * fails with a GraphQL error, and the process goes on serving.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SEED_USER_ID } from '../../src/demo/server.js';
import { startGateway, stopAllGateways, type RunningGateway } from '../support/child.js';
import { postGraphQL } from '../support/harness.js';

const FIRST_NAME_QUERY = {
  query: `query FirstName($userId: ID!) { user(userId: $userId) { firstName } }`,
  variables: { userId: SEED_USER_ID },
};

describe('gateway process', () => {
  describe('with an upstream that refuses connections', () => {
    let gateway: RunningGateway;
    beforeAll(async () => {
      gateway = await startGateway({
        // Port 9 (discard) is privileged: nothing a test run starts can be listening there.
        AVARA_BASE_URL: 'http://127.0.0.1:9',
        AVARA_API_KEY: 'k',
        AVARA_MAX_RETRIES: '2',
        AVARA_RETRY_BASE_DELAY_MS: '1',
      });
    });
    afterAll(stopAllGateways);

    it('answers UPSTREAM_UNAVAILABLE after its retries, and keeps serving', async () => {
      const answer = await postGraphQL(gateway.url, FIRST_NAME_QUERY);

      expect(answer.status).toBe(200);
      expect(answer.body.data).toStrictEqual({ user: null });
      expect(answer.body.errors).toHaveLength(1);
      expect(answer.body.errors[0].extensions.code).toBe('UPSTREAM_UNAVAILABLE');
      const operation = await gateway.process.waitForLog(
        'the operation',
        (line) => line.msg === 'operation',
      );
      expect(operation).toMatchObject({
        errorCodes: ['UPSTREAM_UNAVAILABLE'],
        upstream: [{ method: 'GET', attempts: 3, failure: 'connection' }],
      });

      const health = await fetch(gateway.healthUrl);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      expect(gateway.process.isRunning()).toBe(true);
    });
  });
});
