/**
 * A request body in 1-byte chunks, over a real socket: 50 such connections took the gateway's RSS
 * from 141 MB to 974 MB in 12 s (one Buffer object kept per byte). The reader now copies each chunk
 * as it arrives (unit-tested in `test/unit/edge-pieces.test.ts`); this is the path end to end.
 */
import { describe, expect, it } from '@jest/globals';
import { SEED_USER_ID } from '../../src/demo/seed.js';
import { expectUpstreamCalls, useHarness, userPath } from '../support/harness.js';
import { openSocket } from '../support/raw-http.js';

describe('a chunked request body sent one byte per chunk', () => {
  const harness = useHarness();

  it('is read whole and answered', async () => {
    const body = JSON.stringify({ query: `{ user(userId: "${SEED_USER_ID}") { firstName } }` });
    const client = await openSocket(harness().gateway.port);
    client.socket.write(
      'POST /graphql HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\n' +
        'transfer-encoding: chunked\r\nconnection: close\r\n\r\n' +
        [...body].map((char) => `1\r\n${char}\r\n`).join('') +
        '0\r\n\r\n',
    );
    const received = await client.closed;

    expect(received).toMatch(/^HTTP\/1\.1 200 /);
    expect(received).toContain('{"data":{"user":{"firstName":"Sarah"}}}');
    expectUpstreamCalls(harness().demo, [{ method: 'GET', path: userPath(SEED_USER_ID) }]);
  });
});
