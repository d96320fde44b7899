/** Request ids: a caller's is kept only if it is a sane token, since it goes into logs and headers. */
import { randomUUID } from 'node:crypto';

const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

/** The caller's `x-request-id` when it is a sane token, else a new UUID. */
export function requestIdFrom(given: string | string[] | undefined): string {
  return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
}
