import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ERROR_CODES } from '../../src/graphql/errors.js';
import {
  OPERATION_CODES,
  OPERATION_TYPES,
  OTHER,
  methodLabel,
  operationCodeLabel,
  operationTypeLabel,
  statusLabel,
} from '../../src/observability/labels.js';
import { createMetrics, type CircuitState } from '../../src/observability/metrics.js';
import { parsePrometheusText } from '../support/prometheus.js';

describe('metric labels', () => {
  describe('methodLabel', () => {
    it.each([
      ['GET', 'GET'],
      ['POST', 'POST'],
      ['PATCH', 'PATCH'],
      ['OPTIONS', 'OPTIONS'],
      ['get', OTHER],
      ['PROPFIND', OTHER],
      ['', OTHER],
      [undefined, OTHER],
    ])('maps %p to %p', (method, label) => {
      expect(methodLabel(method)).toBe(label);
    });
  });

  describe('statusLabel', () => {
    it.each([
      [200, '200'],
      [404, '404'],
      [599, '599'],
      [100, '100'],
      [99, OTHER],
      [600, OTHER],
      [200.5, OTHER],
      [Number.NaN, OTHER],
    ])('maps %p to %p', (status, label) => {
      expect(statusLabel(status)).toBe(label);
    });
  });

  describe('operationCodeLabel', () => {
    it.each([
      ...ERROR_CODES,
      'OK',
      'GRAPHQL_PARSE_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
      'INTERNAL_SERVER_ERROR',
    ])('keeps %s', (code) => {
      expect(operationCodeLabel(code)).toBe(code);
    });

    it.each([['MADE_UP'], ['ok'], [''], [42], [null], [undefined], [{ toString: () => 'OK' }]])(
      'maps %p to OTHER',
      (code) => {
        expect(operationCodeLabel(code)).toBe(OTHER);
      },
    );
  });

  describe('operationTypeLabel', () => {
    it.each([
      ['query', 'query'],
      ['mutation', 'mutation'],
      ['subscription', 'subscription'],
      [undefined, 'none'],
      ['Query', OTHER],
    ])('maps %p to %p', (type, label) => {
      expect(operationTypeLabel(type)).toBe(label);
    });
  });

  it('maps any string a caller could send into a closed set', () => {
    const methods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', OTHER]);
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(methods.has(methodLabel(text))).toBe(true);
        expect([...OPERATION_CODES, OTHER]).toContain(operationCodeLabel(text));
        expect([...OPERATION_TYPES, OTHER]).toContain(operationTypeLabel(text));
      }),
    );
  });
});

describe('createMetrics', () => {
  it.each<[CircuitState, number]>([
    ['closed', 0],
    ['half-open', 1],
    ['open', 2],
  ])('reads a %s circuit as %i at scrape time', async (state, value) => {
    let current: CircuitState = 'closed';
    const metrics = createMetrics({ circuitState: () => current });
    current = state;

    const { samples } = parsePrometheusText((await metrics.scrape()).body);

    expect(samples.filter((sample) => sample.name === 'avara_gateway_circuit_state')).toStrictEqual(
      [{ name: 'avara_gateway_circuit_state', labels: {}, value }],
    );
  });

  it('counts a retry only for an attempt that repeats an earlier one', async () => {
    const metrics = createMetrics({ circuitState: () => 'closed' });
    metrics.observeAttempt('GET', 0, { status: 503 }, 0.01);
    metrics.observeAttempt('GET', 1, { status: 503 }, 0.01);
    metrics.observeAttempt('GET', 2, { failure: 'timeout' }, 0.01);

    const { samples } = parsePrometheusText((await metrics.scrape()).body);

    const retries = samples.filter(
      (sample) => sample.name === 'avara_gateway_upstream_retries_total',
    );
    expect(retries).toContainEqual({
      name: 'avara_gateway_upstream_retries_total',
      labels: { http_request_method: 'GET' },
      value: 2,
    });
  });
});
