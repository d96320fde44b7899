/**
 * DNS rebinding against a gateway that holds `AVARA_API_KEY`: a page at
 * `http://rebound.example:PORT` has its name re-pointed at the gateway, so its requests arrive
 * with `Host: rebound.example:PORT` and the same `Origin`. The edge took "Origin matches Host" to
 * mean "a page the gateway served itself" and ran the page's mutations with the service key. In
 * production no page is served (no Sandbox), so no Origin is same-origin there.
 */
import { describe, expect, it } from '@jest/globals';
import { SEED_USER_ID } from '../../src/demo/seed.js';
import { expectUpstreamCalls, useHarness } from '../support/harness.js';
import { rawGraphQL } from '../support/raw-http.js';

const RENAME_SARAH = {
  query: `mutation { updateUser(userId: "${SEED_USER_ID}", input: { firstName: "Pwned" }) { firstName } }`,
};

function fromReboundPage(port: number): Record<string, string> {
  const host = `rebound.example:${port}`;
  return { host, origin: `http://${host}` };
}

describe('a page whose host name was re-pointed at the gateway', () => {
  describe('in production (no page served)', () => {
    const harness = useHarness({ production: true, introspection: false });

    it('is refused as a foreign origin, and nothing is sent upstream', async () => {
      const { gateway, demo } = harness();

      const response = await rawGraphQL(gateway.url, RENAME_SARAH, fromReboundPage(gateway.port));

      expect(response.status).toBe(403);
      expect(response.body.errors[0].extensions.code).toBe('FORBIDDEN_ORIGIN');
      expectUpstreamCalls(demo, []);
    });
  });

  describe('with the Sandbox landing page served (GRAPHQL_INTROSPECTION=true)', () => {
    const harness = useHarness({ production: true, introspection: true });

    it('serves a request from its own origin (the Sandbox page it served)', async () => {
      const { gateway } = harness();
      const own = `http://localhost:${gateway.port}`;

      const response = await rawGraphQL(
        gateway.url,
        { query: '{ __typename }' },
        { origin: own, host: `localhost:${gateway.port}` },
      );

      expect(response.status).toBe(200);
    });
  });
});
