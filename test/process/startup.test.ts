/**
 * `src/index.ts` as a process: how it starts, or refuses to.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import pLimit from 'p-limit';
import { CONFIG_VARIABLES } from '../../src/config.js';
import { EXAMPLE_MUTATION, EXAMPLE_USER_ID, EXAMPLE_VARIABLES } from '../../src/examples.js';
import {
  runGateway,
  startGateway,
  stopAllGateways,
  type FinishedGateway,
} from '../support/child.js';
import { postGraphQL } from '../support/harness.js';

describe('gateway process', () => {
  describe('without AVARA_BASE_URL', () => {
    afterEach(stopAllGateways);

    it('serves the embedded demo API, says so, and runs the README mutation with no Authorization', async () => {
      const gateway = await startGateway({});

      const warning = gateway.process.logs.find(
        (line) => line.level >= 40 && line.msg.includes('AVARA_BASE_URL'),
      );
      expect(warning?.msg).toMatch(/AVARA_BASE_URL is unset/);
      expect(warning?.msg).toMatch(/demo/);
      expect(warning?.avaraBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      const answer = await postGraphQL(gateway.url, {
        query: EXAMPLE_MUTATION,
        variables: EXAMPLE_VARIABLES,
      });

      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data.updateUser).toMatchObject({
        userId: EXAMPLE_USER_ID,
        clinicRole: 'PHYSICIAN_ASSISTANT',
        phoneNumber: EXAMPLE_VARIABLES.input.phoneNumber,
        middleName: null,
      });
    });
  });

  describe('--help', () => {
    let help: FinishedGateway;
    beforeAll(async () => {
      // PORT=0: were --help ignored, the gateway it started would collide with nothing.
      help = await runGateway({ PORT: '0' }, ['--help']);
    });

    it('exits 0 without starting', () => {
      expect(help.logs).toHaveLength(0);
      expect(help.stderr).toBe('');
      expect(help.exit).toStrictEqual({ code: 0, signal: null });
    });

    it.each(Object.values(CONFIG_VARIABLES).map(({ name, defaultText }) => [name, defaultText]))(
      'lists %s with its default (%s)',
      (name, defaultText) => {
        const row = help.stdoutLines.find((line) => line.trimStart().startsWith(`${name} `));
        expect(row).toBeDefined();
        expect(row).toContain(`(default: ${defaultText})`);
      },
    );
  });

  describe('a bad configuration value', () => {
    const BAD_VALUES: ReadonlyArray<readonly [name: string, value: string]> = [
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['AVARA_BASE_URL', 'ftp://x'],
      ['AVARA_TIMEOUT_MS', '0'],
      ['GRAPHQL_INTROSPECTION', 'maybe'],
      ['MAX_DEPTH', '-1'],
      ['LOG_LEVEL', 'loud'],
      ['CORS_ORIGINS', 'https://app.example.com/path'],
    ];
    const runs = new Map<string, Promise<FinishedGateway>>();
    beforeAll(() => {
      // One child per core at a time: more would only make each take longer than its timeout.
      const oneChildPerCore = pLimit(availableParallelism());
      for (const [name, value] of BAD_VALUES) {
        // Everything else valid, a real upstream address included: only the bad value can stop it.
        const env = { PORT: '0', AVARA_BASE_URL: 'http://127.0.0.1:9', [name]: value };
        runs.set(
          `${name}=${value}`,
          oneChildPerCore(() => runGateway(env)),
        );
      }
    });
    afterAll(stopAllGateways);

    it.each(BAD_VALUES)(
      'stops the start when %s=%s: exit 1, one stderr line naming it, never ready',
      async (name, value) => {
        const run = await runs.get(`${name}=${value}`);

        expect(run?.stdoutLines.join('\n')).not.toMatch(/ready/);
        expect(run?.stderr).toMatch(/^[^\n]+\n$/);
        expect(run?.stderr).toMatch(new RegExp(`\\b${name}\\b`));
        expect(run?.exit).toStrictEqual({ code: 1, signal: null });
      },
    );
  });

  describe('CORS_ORIGINS=* with AVARA_API_KEY', () => {
    afterAll(stopAllGateways);

    it('stops the start with one stderr line naming CORS_ORIGINS, exit 1: no web page may use the key', async () => {
      const run = await runGateway({
        PORT: '0',
        AVARA_BASE_URL: 'http://127.0.0.1:9',
        AVARA_API_KEY: 'gateway-key',
        CORS_ORIGINS: '*',
      });

      expect(run.stdoutLines.join('\n')).not.toMatch(/ready/);
      expect(run.stderr).toMatch(/^[^\n]*\bCORS_ORIGINS\b[^\n]*\n$/);
      expect(run.stderr).not.toContain('gateway-key');
      expect(run.exit).toStrictEqual({ code: 1, signal: null });
    });
  });

  describe('a port already in use', () => {
    it('stops the start with one stderr line naming PORT, exit 1', async () => {
      const occupier = createServer();
      await new Promise<void>((resolve) => occupier.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = occupier.address() as AddressInfo;

        const run = await runGateway({ PORT: String(port), AVARA_BASE_URL: 'http://127.0.0.1:9' });

        expect(run.stderr).toMatch(/^[^\n]*\bPORT\b[^\n]*\n$/);
        expect(run.exit).toStrictEqual({ code: 1, signal: null });
      } finally {
        await new Promise((resolve) => occupier.close(resolve));
      }
    });
  });
});
