import { describe, expect, it } from '@jest/globals';
import { ALLOWED_REQUEST_HEADERS, createCorsPolicy } from '../../src/http/cors.js';

describe('createCorsPolicy', () => {
  describe('decide', () => {
    const listed = createCorsPolicy(['https://app.example.com']);
    const closed = createCorsPolicy([]);
    const any = createCorsPolicy('*');

    it.each([
      ['no Origin (not a browser)', closed, undefined, 'localhost:4000', 'same-origin'],
      ['the gateway’s own page', closed, 'http://localhost:4000', 'localhost:4000', 'same-origin'],
      [
        'another port of the same host',
        closed,
        'http://localhost:3000',
        'localhost:4000',
        'foreign',
      ],
      ['any origin when closed', closed, 'https://app.example.com', 'gw:4000', 'foreign'],
      ['a listed origin', listed, 'https://app.example.com', 'gw:4000', 'allowed'],
      ['a suffix of a listed origin', listed, 'https://app.example.com.evil', 'gw:4000', 'foreign'],
      ['another scheme', listed, 'http://app.example.com', 'gw:4000', 'foreign'],
      ['the opaque origin null', listed, 'null', 'gw:4000', 'foreign'],
      ['no Host header', listed, 'https://evil.example', undefined, 'foreign'],
      ['any origin with *', any, 'https://evil.example', 'gw:4000', 'allowed'],
      [
        'its own origin when it serves no page (DNS rebinding)',
        createCorsPolicy([], { servesPages: false }),
        'http://localhost:4000',
        'localhost:4000',
        'foreign',
      ],
    ] as const)('%s', (_case, policy, origin, host, expected) => {
      expect(policy.decide(origin, host)).toBe(expected);
    });
  });

  it('allows a fixed list of request headers that covers Apollo Client, Sandbox and tracing', () => {
    expect(ALLOWED_REQUEST_HEADERS).toEqual(
      expect.arrayContaining([
        'content-type',
        'authorization',
        'x-request-id',
        'traceparent',
        'apollo-require-preflight',
        'x-apollo-operation-name',
        'apollographql-client-name',
        'apollographql-client-version',
      ]),
    );
  });

  it('echoes a listed origin, never *, and * only for the * policy', () => {
    const origin = 'https://app.example.com';
    expect(createCorsPolicy([origin]).responseHeaders(origin, 'allowed')).toMatchObject({
      'access-control-allow-origin': origin,
    });
    expect(createCorsPolicy('*').responseHeaders(origin, 'allowed')).toMatchObject({
      'access-control-allow-origin': '*',
    });
    expect(
      createCorsPolicy([origin]).responseHeaders('https://x.example', 'foreign'),
    ).toStrictEqual({
      vary: 'Origin',
    });
  });
});
