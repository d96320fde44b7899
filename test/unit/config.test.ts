import { describe, it, expect } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config.js';

/** The error `loadConfig` throws for an environment, or a failure when it throws none. */
function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(Object.keys(env))}`);
}

describe('loadConfig', () => {
  describe('defaults', () => {
    it('gives the contract defaults for an empty environment', () => {
      expect(loadConfig({})).toMatchObject({
        avaraBaseUrl: undefined,
        avaraApiKey: undefined,
        port: 4000,
        avaraTimeoutMs: 10_000,
        avaraMaxRetries: 2,
        production: false,
        introspection: true,
        routerSecret: undefined,
      });
    });

    it('turns introspection off when NODE_ENV=production', () => {
      expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({
        production: true,
        introspection: false,
      });
    });

    it('keeps introspection on in production when GRAPHQL_INTROSPECTION=true', () => {
      expect(
        loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' }).introspection,
      ).toBe(true);
    });

    it('turns introspection off outside production when GRAPHQL_INTROSPECTION=false', () => {
      expect(loadConfig({ GRAPHQL_INTROSPECTION: 'false' }).introspection).toBe(false);
    });

    it.each(['development', 'test'])('is not production when NODE_ENV=%s', (NODE_ENV) => {
      expect(loadConfig({ NODE_ENV })).toMatchObject({ production: false, introspection: true });
    });
  });

  describe('blank values', () => {
    it.each(['', '   ', '\t'])('treats %p as unset', (blank) => {
      const config = loadConfig({
        AVARA_BASE_URL: blank,
        AVARA_API_KEY: blank,
        PORT: blank,
        AVARA_TIMEOUT_MS: blank,
        AVARA_MAX_RETRIES: blank,
        NODE_ENV: blank,
        GRAPHQL_INTROSPECTION: blank,
        ROUTER_SECRET: blank,
        LOG_LEVEL: blank,
      });

      expect(config).toStrictEqual(loadConfig({}));
    });

    it('keeps the production default for a blank GRAPHQL_INTROSPECTION', () => {
      expect(loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: '' }).introspection).toBe(
        false,
      );
    });
  });

  describe('upstream protection', () => {
    it('gives the contract numbers by default', () => {
      expect(loadConfig({})).toMatchObject({
        avaraBreakerFailureRatio: 0.5,
        avaraBreakerMinAttempts: 20,
        avaraBreakerWindowMs: 10_000,
        avaraBreakerHalfOpenMs: 5_000,
        avaraRetryBudgetRatio: 0.2,
        avaraRetryBudgetMinPerSecond: 10,
        avaraRetryBudgetWindowMs: 10_000,
        avaraMaxResponseBytes: 1_048_576,
        avaraMaxConcurrencyPerCredential: 32,
      });
    });

    it.each([
      ['0', 0],
      ['0.25', 0.25],
      ['.5', 0.5],
      ['1', 1],
      ['1.0', 1],
    ])('reads the ratio %p as %p', (raw, value) => {
      expect(loadConfig({ AVARA_RETRY_BUDGET_RATIO: raw }).avaraRetryBudgetRatio).toBe(value);
    });
  });

  describe('good values', () => {
    it('reads every variable it is given', () => {
      expect(
        loadConfig({
          AVARA_BASE_URL: 'https://api.avarasoftware.com',
          AVARA_API_KEY: 'key_123',
          PORT: '8080',
          AVARA_TIMEOUT_MS: '2500',
          AVARA_MAX_RETRIES: '0',
          ROUTER_SECRET: 'router-secret',
        }),
      ).toMatchObject({
        avaraBaseUrl: 'https://api.avarasoftware.com',
        avaraApiKey: 'key_123',
        port: 8080,
        avaraTimeoutMs: 2500,
        avaraMaxRetries: 0,
        routerSecret: 'router-secret',
      });
    });

    it.each([
      ['https://api.avarasoftware.com/', 'https://api.avarasoftware.com'],
      ['https://api.avarasoftware.com//', 'https://api.avarasoftware.com'],
      ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
      ['https://proxy.example/avara/', 'https://proxy.example/avara'],
      ['https://api.avarasoftware.com', 'https://api.avarasoftware.com'],
    ])('strips the trailing slash of AVARA_BASE_URL %p', (raw, url) => {
      expect(loadConfig({ AVARA_BASE_URL: raw }).avaraBaseUrl).toBe(url);
    });
  });

  describe('bad values', () => {
    it.each([
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['PORT', '-1'],
      ['PORT', '80.5'],
      ['AVARA_BASE_URL', 'ftp://x'],
      ['AVARA_BASE_URL', 'not a url'],
      ['AVARA_BASE_URL', 'file:///etc/passwd'],
      ['AVARA_TIMEOUT_MS', '-1'],
      ['AVARA_TIMEOUT_MS', 'ten'],
      ['AVARA_MAX_RETRIES', '1.5'],
      ['AVARA_MAX_RETRIES', '-1'],
      ['GRAPHQL_INTROSPECTION', 'maybe'],
      ['LOG_LEVEL', 'loud'],
      ['AVARA_BREAKER_FAILURE_RATIO', '1.5'],
      ['AVARA_BREAKER_FAILURE_RATIO', '0'],
      ['AVARA_BREAKER_FAILURE_RATIO', '-0.1'],
      ['AVARA_BREAKER_FAILURE_RATIO', '50%'],
      ['AVARA_BREAKER_FAILURE_RATIO', '0x1'],
      ['AVARA_BREAKER_MIN_ATTEMPTS', '0'],
      ['AVARA_BREAKER_WINDOW_MS', '10'],
      ['AVARA_RETRY_BUDGET_RATIO', 'lots'],
      ['AVARA_MAX_RESPONSE_BYTES', '100'],
      ['AVARA_MAX_CONCURRENCY_PER_CREDENTIAL', '0'],
    ])('stops at %s=%p with one line naming the variable', (name, value) => {
      const error = configErrorOf({ [name]: value });

      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain(name);
      expect(error.message).not.toMatch(/[\r\n]/);
    });

    // The contract promises one line: a value with a line break inside is quoted, not echoed raw.
    it.each([
      ['PORT', '40\n00'],
      ['GRAPHQL_INTROSPECTION', 'yes\nno'],
      ['LOG_LEVEL', 'info\nfatal: forged line'],
    ])('stops at a bad %s with one line, even when its value holds a line break', (name, value) => {
      const error = configErrorOf({ [name]: value });

      expect(error.message).toContain(name);
      expect(error.message).not.toMatch(/[\r\n]/);
    });

    it.each([
      'https://user:secret@api.avarasoftware.com',
      'https://user:secret@api.avarasoftware.com/',
    ])('accepts the credential-bearing AVARA_BASE_URL %p', (url) => {
      expect(loadConfig({ AVARA_BASE_URL: url }).avaraBaseUrl).toBe(
        'https://user:secret@api.avarasoftware.com',
      );
    });

    it.each([
      'ftp://user:secret@host',
      'https://user:secret@',
      'https://user:secret@host:99999',
      'https://user:secret@ho st',
      'user:secret@host',
    ])('never echoes the password of the invalid AVARA_BASE_URL %p', (url) => {
      const error = configErrorOf({ AVARA_BASE_URL: url });

      expect(error.message).toContain('AVARA_BASE_URL');
      expect(error.message).not.toContain('secret');
    });
  });

  describe('CORS_ORIGINS', () => {
    const BASE = { AVARA_BASE_URL: 'https://api.example.com' };

    it.each([
      ['unset, with AVARA_BASE_URL: no cross-origin access', BASE, []],
      ['unset, demo mode (no AVARA_BASE_URL): any origin', {}, '*'],
      [
        'one origin',
        { ...BASE, CORS_ORIGINS: 'https://app.example.com' },
        ['https://app.example.com'],
      ],
      [
        'a list, spaces and empty items ignored',
        { ...BASE, CORS_ORIGINS: ' https://a.example.com ,, http://localhost:3000 ' },
        ['https://a.example.com', 'http://localhost:3000'],
      ],
      ['* without a key', { ...BASE, CORS_ORIGINS: '*' }, '*'],
      [
        'a list with a key',
        { ...BASE, CORS_ORIGINS: 'https://app.example.com', AVARA_API_KEY: 'k' },
        ['https://app.example.com'],
      ],
    ] as const)('%s', (_case, env, expected) => {
      expect(loadConfig(env).corsOrigins).toStrictEqual(expected);
    });

    it.each([
      ['a path', 'https://app.example.com/'],
      ['a trailing path', 'https://app.example.com/app'],
      ['no scheme', 'app.example.com'],
      ['another scheme', 'ftp://app.example.com'],
      ['upper case (browsers send origins in lower case)', 'https://App.example.com'],
      ['a wildcard inside a list', 'https://app.example.com,*'],
      ['a pattern', 'https://*.example.com'],
    ])('refuses %s, naming CORS_ORIGINS', (_case, value) => {
      expect(configErrorOf({ CORS_ORIGINS: value }).message).toMatch(/^CORS_ORIGINS /);
    });

    it('refuses * together with AVARA_API_KEY, naming CORS_ORIGINS and not the key', () => {
      const error = configErrorOf({ CORS_ORIGINS: '*', AVARA_API_KEY: 'secret-key-123' });

      expect(error.message).toMatch(/CORS_ORIGINS/);
      expect(error.message).not.toContain('secret-key-123');
    });
  });

  describe('HTTP server limits', () => {
    it("has deliberate defaults, not Node's", () => {
      expect(loadConfig({})).toMatchObject({
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 15_000,
        keepAliveTimeoutMs: 5_000,
        writeTimeoutMs: 10_000,
        maxConnections: 1_024,
        maxResponseBytes: 1_048_576,
      });
    });

    it('refuses a whole-request timeout shorter than the headers timeout', () => {
      expect(
        configErrorOf({ HTTP_HEADERS_TIMEOUT_MS: '5000', HTTP_REQUEST_TIMEOUT_MS: '1000' }).message,
      ).toMatch(/HTTP_REQUEST_TIMEOUT_MS/);
    });
  });
});
