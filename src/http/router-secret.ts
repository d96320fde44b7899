/** A subgraph answers its router, not the open internet (contract: `ROUTER_SECRET`). */
import { createHash, timingSafeEqual } from 'node:crypto';

/** Whether a `Router-Authorization` value is the secret; always true when no secret is set. */
export function createRouterSecretCheck(
  secret: string | undefined,
): (given: string | string[] | undefined) => boolean {
  if (secret === undefined) return () => true;
  const expected = digest(secret);
  return (given) => typeof given === 'string' && timingSafeEqual(digest(given), expected);
}

// Digests of equal length, so the comparison takes the same time whatever was sent.
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
