/**
 * What one request can make the log write. A hostile or broken Avara chose the `clinicRole` text
 * and a client chose how often it is resolved: a 50 kB role, selected through 100 aliases of one
 * user, wrote 100 warnings of 50 kB each (5 MB of log from a 3 kB query and one upstream answer).
 * A client-chosen operation name went into the operation line whole (90 kB per 100 kB request).
 */
import { describe, expect, it } from '@jest/globals';
import { SEED_USER_ID } from '../../src/demo/seed.js';
import { useHarness } from '../support/harness.js';

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

describe('log lines a request can cause', () => {
  const harness = useHarness();
  const linesOf = (requestId: string): LogLine[] =>
    harness()
      .logs.map((line) => JSON.parse(line) as LogLine)
      .filter((line) => line.requestId === requestId);
  const bytesOf = (requestId: string): number =>
    harness()
      .logs.filter((line) => line.includes(requestId))
      .join('').length;

  it('warns once per request about an unknown clinicRole, with the text capped', async () => {
    const role = 'R'.repeat(50_000);
    harness().demo.inject({ clinicRole: role });
    const aliases = Array.from(
      { length: 100 },
      (_, i) => `a${i}: user(userId: "${SEED_USER_ID}") { clinicRole }`,
    );

    const response = await harness().graphql(
      { query: `{ ${aliases.join(' ')} }` },
      { 'x-request-id': 'role-flood' },
    );

    expect(response.body.errors).toBeUndefined();
    expect(harness().demo.requests).toHaveLength(1);
    const warnings = linesOf('role-flood').filter((line) => line.msg.includes('clinicRole'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      requestId: 'role-flood',
      userId: SEED_USER_ID,
      clinicRole: `${'R'.repeat(100)}…`,
      clinicRoleLength: role.length,
    });
    expect(bytesOf('role-flood')).toBeLessThan(2_000);
  });

  it('caps the operation name in the operation line', async () => {
    const name = `Op${'A'.repeat(90_000)}`;

    const response = await harness().graphql(
      { query: `query ${name} { __typename }` },
      { 'x-request-id': 'long-name' },
    );

    expect(response.status).toBe(200);
    const [line] = linesOf('long-name').filter((l) => l.msg === 'operation');
    expect(line?.operationName).toBe(`Op${'A'.repeat(98)}…`);
    expect(bytesOf('long-name')).toBeLessThan(2_000);
  });
});
