/**
 * Answers given at the HTTP edge, before or instead of GraphQL: always in GraphQL's error shape,
 * with a stable `extensions.code` and the request's id.
 */
import type { ServerResponse } from 'node:http';

/** A request the edge refuses, with the status and code the client gets. */
export class HttpRefusal extends Error {
  override readonly name = 'HttpRefusal';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Close the connection after answering (the rest of the body is not read). */
    readonly closeConnection = false,
  ) {
    super(message);
  }
}

function errorBody(message: string, code: string, requestId: string): string {
  return JSON.stringify({ errors: [{ message, extensions: { code, requestId } }] });
}

export function sendRefusal(res: ServerResponse, refusal: HttpRefusal, requestId: string): void {
  if (refusal.closeConnection) res.shouldKeepAlive = false;
  res.writeHead(refusal.status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(errorBody(refusal.message, refusal.code, requestId));
}
