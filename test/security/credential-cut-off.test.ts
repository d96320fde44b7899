/**
 * An upstream 400/422 message is kept for the client, cut to 500 characters, with the credential
 * the gateway sent cut out. When Avara's message echoes something the caller chose before the
 * credential (`Invalid email 'xxxx…' for key Bearer sk_…`), the caller picks where the 500-character
 * cut falls: inside the key. The whole key was cut out, but a cut-off key was not, so each
 * request could reveal a longer prefix of the service key.
 */
import { describe, expect, it } from '@jest/globals';
import { SEED_USER_ID } from '../../src/demo/seed.js';
import { GATEWAY_API_KEY, useHarness } from '../support/harness.js';

/** What the gateway keeps of an upstream message (`src/avara/answers.ts`). */
const KEPT_MESSAGE_LENGTH = 500;

describe('an upstream message whose kept part ends inside the credential', () => {
  const harness = useHarness();

  it.each([4, 12, GATEWAY_API_KEY.length - 1])(
    'reveals none of the %i characters of the service key that survived the cut',
    async (revealed) => {
      const before = 'Invalid key: Bearer ';
      const padding = 'x'.repeat(KEPT_MESSAGE_LENGTH - before.length - revealed);
      harness().demo.inject({
        status: 400,
        body: { message: `${padding}${before}${GATEWAY_API_KEY} rejected` },
      });

      const response = await harness().graphql({
        query: `mutation { updateUser(userId: "${SEED_USER_ID}", input: { firstName: "Sarah" }) { userId } }`,
      });

      const [error] = response.body.errors;
      expect(error.extensions.code).toBe('BAD_USER_INPUT');
      expect(error.message).toMatch(/Invalid key: \[credential\]…$/);
      expect(response.text).not.toContain(GATEWAY_API_KEY.slice(0, revealed));
      expect(harness().demo.requests[0]?.headers.authorization).toBe(`Bearer ${GATEWAY_API_KEY}`);
    },
  );
});
