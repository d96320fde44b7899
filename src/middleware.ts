/**
 * HTTP concerns in front of GraphQL: request ids, the router secret, and errors raised before
 * GraphQL runs (a body too large, unreadable JSON), answered in GraphQL's error shape.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from './logger.js';

/** A caller's id is kept only if it is a sane token: it goes into logs and headers. */
const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

/** Takes the caller's `x-request-id` or makes one, and returns it on the response. */
export function assignRequestId(): RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    const requestId = given !== undefined && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    next();
  };
}

export function requestIdOf(res: Response): string {
  return res.locals.requestId as string;
}

/** A subgraph answers its router, not the open internet (contract: `ROUTER_SECRET`). */
export function requireRouterSecret(secret: string | undefined, logger: Logger): RequestHandler {
  if (secret === undefined) return (_req, _res, next) => next();
  const expected = digest(secret);
  return (req, res, next) => {
    const given = req.get('router-authorization');
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return next();
    sendError(logger, res, 401, 'This subgraph only answers its router', 'UNAUTHENTICATED');
  };
}

// Digests of equal length, so the comparison takes the same time whatever was sent.
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Errors raised before GraphQL runs (body too large, unreadable JSON), as GraphQL errors. */
export function sendHttpError(bodyLimitBytes: number, logger: Logger): ErrorRequestHandler {
  return (error: { status?: number; type?: string }, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status =
      error.status !== undefined && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 413) {
      sendError(
        logger,
        res,
        413,
        `Request body larger than ${bodyLimitBytes} bytes`,
        'PAYLOAD_TOO_LARGE',
      );
    } else if (status === 500) {
      sendError(logger, res, 500, 'Internal server error', 'INTERNAL_SERVER_ERROR', error);
    } else {
      sendError(logger, res, status, 'Request body is not valid JSON', 'BAD_REQUEST');
    }
  };
}

/**
 * Answers before GraphQL runs, with one log line shaped like an operation's: info for a refusal,
 * error (with the serialized error) for a bug of ours.
 */
function sendError(
  logger: Logger,
  res: Response,
  status: number,
  message: string,
  code: string,
  unexpected?: unknown,
): void {
  const line = { requestId: requestIdOf(res), status, errorCodes: [code] };
  if (unexpected === undefined) logger.info(line, 'refused before GraphQL');
  else logger.error({ ...line, err: unexpected }, 'unexpected HTTP error');
  res.status(status).json({
    errors: [{ message, extensions: { code, requestId: requestIdOf(res) } }],
  });
}
