/**
 * What every route of the demo API shares: the request as routes see it, and small answers.
 */
import type { DemoResponse } from './http.js';
import { errorResponse } from './http.js';
import type { DemoStores } from './store.js';

/** Turns a stored record into the answered one (a fault may repaint its `clinicRole`). */
export type Present = <Resource extends { clinicRole?: string | null }>(
  record: Resource,
) => Resource;

/** A request as the routes need it: already authenticated, body already parsed. */
export interface RouteRequest {
  method: string;
  /** The path without its query string, still percent-encoded. */
  pathname: string;
  query: URLSearchParams;
  body: unknown;
  present: Present;
  stores: DemoStores;
  /** The clock, so expiry and timestamps can be pinned. */
  now: number;
}

export function methodNotAllowed(allowed: readonly string[]): DemoResponse {
  return {
    ...errorResponse(405, `Method not allowed; use ${allowed.join(' or ')}`),
    headers: { allow: allowed.join(', ') },
  };
}

export function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The `userId` of a `{ "userId": "usr_…" }` body, or `undefined`. */
export function userIdOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { userId } = body as { userId?: unknown };
  return typeof userId === 'string' ? userId : undefined;
}
