import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../src/config.js';
import { tracingSettingsOf } from '../../src/observability/tracing.js';

const AVARA = { AVARA_BASE_URL: 'http://avara.internal:8080' };
const settingsOf = (env: Record<string, string>) =>
  tracingSettingsOf(loadConfig({ ...AVARA, ...env }));

describe('tracingSettingsOf', () => {
  describe('is off (the SDK is not loaded)', () => {
    it.each<[string, Record<string, string>]>([
      ['with no exporter configured', {}],
      ['with a protocol but no endpoint', { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }],
      [
        'with OTEL_SDK_DISABLED=true',
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' },
      ],
      [
        'with OTEL_TRACES_EXPORTER=none',
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' },
      ],
      ['with a blank endpoint', { OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }],
    ])('%s', (_case, env) => {
      expect(settingsOf(env)).toBeUndefined();
    });
  });

  describe('is on', () => {
    it.each<[string, Record<string, string>, string]>([
      [
        'with the base endpoint, adding /v1/traces',
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' },
        'http://collector:4318/v1/traces',
      ],
      [
        'with a base endpoint that ends in a slash',
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/otlp/' },
        'http://collector:4318/otlp/v1/traces',
      ],
      [
        'with the traces endpoint, used as given',
        { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example/custom' },
        'https://collector.example/custom',
      ],
      [
        'with both, the traces endpoint winning',
        {
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://other:4318/v1/traces',
        },
        'http://other:4318/v1/traces',
      ],
      [
        'with OTEL_SDK_DISABLED=false',
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'false' },
        'http://collector:4318/v1/traces',
      ],
    ])('%s', (_case, env, url) => {
      expect(settingsOf(env)?.url).toBe(url);
    });

    it('has the standard defaults', () => {
      expect(settingsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toStrictEqual({
        url: 'http://collector:4318/v1/traces',
        protocol: 'http/protobuf',
        serviceName: 'avara-graphql-gateway',
        sampler: 'parentbased_always_on',
        samplerRatio: 1,
        scheduledDelayMs: 5_000,
        avaraBaseUrl: 'http://avara.internal:8080',
      });
    });

    it('takes the service name, protocol, sampler and batch delay from their variables', () => {
      expect(
        settingsOf({
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
          OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
          OTEL_SERVICE_NAME: 'users-subgraph',
          OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
          OTEL_TRACES_SAMPLER_ARG: '0.25',
          OTEL_BSP_SCHEDULE_DELAY: '200',
        }),
      ).toMatchObject({
        protocol: 'http/json',
        serviceName: 'users-subgraph',
        sampler: 'parentbased_traceidratio',
        samplerRatio: 0.25,
        scheduledDelayMs: 200,
      });
    });
  });

  describe('a bad value stops the start, naming the variable', () => {
    it.each<[Record<string, string>, RegExp]>([
      [
        { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
        /^OTEL_EXPORTER_OTLP_PROTOCOL must be one of http\/protobuf, http\/json/,
      ],
      [{ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http' }, /^OTEL_EXPORTER_OTLP_TRACES_PROTOCOL /],
      [
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
        /^OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL$/,
      ],
      [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://x' }, /^OTEL_EXPORTER_OTLP_TRACES_ENDPOINT /],
      [{ OTEL_TRACES_EXPORTER: 'zipkin' }, /^OTEL_TRACES_EXPORTER must be one of otlp, none/],
      [{ OTEL_TRACES_SAMPLER: 'sometimes' }, /^OTEL_TRACES_SAMPLER must be one of /],
      [{ OTEL_TRACES_SAMPLER_ARG: '1.5' }, /^OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1/],
      [{ OTEL_TRACES_SAMPLER_ARG: '-0.1' }, /^OTEL_TRACES_SAMPLER_ARG /],
      [{ OTEL_SDK_DISABLED: 'yes' }, /^OTEL_SDK_DISABLED must be true or false/],
      [{ METRICS_ENABLED: 'off' }, /^METRICS_ENABLED must be true or false/],
      [{ OTEL_BSP_SCHEDULE_DELAY: '5s' }, /^OTEL_BSP_SCHEDULE_DELAY must be a whole number/],
    ])('%p', (env, message) => {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(message);
    });

    it('never echoes an endpoint, which may carry credentials', () => {
      expect(() =>
        loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'mailto://user:hunter2@collector' }),
      ).toThrow(/^OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL$/);
    });
  });
});
