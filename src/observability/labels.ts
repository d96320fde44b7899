/**
 * Every metric label value comes from a closed set, so no request can create a series: whatever a
 * caller sends (an operation name, an id, a made-up method or error code) maps to a value below,
 * or to `OTHER`.
 */
import { ERROR_CODES } from '../graphql/errors.js';

/** Stands for any value outside a label's set. */
export const OTHER = 'OTHER';

const METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
]);

/**
 * Codes an operation can end with: the gateway's own (the contract's table), GraphQL's and Apollo
 * Server's. `OK` is an operation without errors.
 */
export const OPERATION_CODES: ReadonlySet<string> = new Set([
  'OK',
  ...ERROR_CODES,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'INTERNAL_SERVER_ERROR',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * `operation_type` of an operation: its type once resolved; `none` when the request never got to
 * one (a document that does not parse, an unknown `operationName`).
 */
export const OPERATION_TYPES: ReadonlySet<string> = new Set([
  'query',
  'mutation',
  'subscription',
  'none',
]);

/** An HTTP method, upper case as sent, or `OTHER` (Node passes any token through). */
export function methodLabel(method: string | undefined): string {
  return method !== undefined && METHODS.has(method) ? method : OTHER;
}

/** A status code is the server's own choice, so its set is closed once it is a valid code. */
export function statusLabel(status: number): string {
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : OTHER;
}

export function operationCodeLabel(code: unknown): string {
  return typeof code === 'string' && OPERATION_CODES.has(code) ? code : OTHER;
}

export function operationTypeLabel(type: string | undefined): string {
  if (type === undefined) return 'none';
  return OPERATION_TYPES.has(type) ? type : OTHER;
}
