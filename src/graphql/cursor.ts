/**
 * The gateway's edge cursors. Avara gives one cursor per page; an edge cursor records where its
 * item came from (Avara's cursor and `limit` of that page, the item's index in it and its id),
 * so a client can resume after ANY edge: the page is read again and the item found by id (or, if
 * it was deleted, its old index is where the next item now is).
 *
 * Cursors are opaque (base64url) and checked, not signed: there is no per-process key, so they
 * work on every replica and across restarts. A version, the list's name and a digest of the
 * normalised filter are inside, so a cursor of another list or filter is refused, not misread.
 * Its length is capped before it is decoded.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  AVARA_CURSOR_PATTERN,
  INVITATION_ID_PATTERN,
  MAX_AVARA_CURSOR_LENGTH,
  MAX_LIST_LIMIT,
  USER_ID_PATTERN,
} from '../avara/types.js';
import { MAX_LENGTHS, type FieldError } from './validation.js';

export type ListName = 'users' | 'invitations';

/** Where one edge's item sits in Avara's paging. */
export interface EdgePosition {
  /** Avara's cursor of the item's page; `null` for the first page. */
  avaraCursor: string | null;
  /** The `limit` that page was read with: the same cursor with another limit is another page. */
  limit: number;
  /** The item's index in that page. */
  index: number;
  /** The item's id, to find it again. */
  id: string;
}

const VERSION = 1;
const ID_PATTERNS: Readonly<Record<ListName, RegExp>> = {
  users: USER_ID_PATTERN,
  invitations: INVITATION_ID_PATTERN,
};
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const cursorSchema = z.tuple([
  z.literal(VERSION),
  z.enum(['users', 'invitations']),
  z.string().max(64),
  z.string().min(1).max(MAX_AVARA_CURSOR_LENGTH).regex(AVARA_CURSOR_PATTERN).nullable(),
  z.int().min(1).max(MAX_LIST_LIMIT),
  z
    .int()
    .min(0)
    .max(MAX_LIST_LIMIT - 1),
  z.string().max(MAX_LENGTHS.id),
]);

/**
 * A digest of a normalised filter: what a cursor was made for. Not a secret and not a signature;
 * it only tells one filter from another. Keys are sorted so that it does not depend on order.
 */
export function filterDigest(filter: object): string {
  const entries = Object.entries(filter)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(entries)).digest('base64url').slice(0, 22);
}

export function encodeCursor(list: ListName, digest: string, position: EdgePosition): string {
  const { avaraCursor, limit, index, id } = position;
  const tuple = [VERSION, list, digest, avaraCursor, limit, index, id];
  return Buffer.from(JSON.stringify(tuple)).toString('base64url');
}

const NOT_OURS: FieldError = { field: 'after', message: 'is not a cursor this gateway returned' };

/**
 * The position an `after` cursor stands for, or the field error that refuses it. Every step is
 * linear in the cursor's length, which is capped first.
 */
export function decodeCursor(
  text: string,
  list: ListName,
  digest: string,
): { position: EdgePosition } | { fieldError: FieldError } {
  if (text.length > MAX_LENGTHS.cursor) {
    return {
      fieldError: { field: 'after', message: `must be at most ${MAX_LENGTHS.cursor} characters` },
    };
  }
  if (!BASE64URL.test(text)) return { fieldError: NOT_OURS };
  let tuple: unknown;
  try {
    tuple = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return { fieldError: NOT_OURS };
  }
  const parsed = cursorSchema.safeParse(tuple);
  if (!parsed.success) return { fieldError: NOT_OURS };
  const [, cursorList, cursorDigest, avaraCursor, limit, index, id] = parsed.data;
  if (cursorList !== list) {
    return {
      fieldError: { field: 'after', message: `is a cursor of ${cursorList}, not of ${list}` },
    };
  }
  if (!ID_PATTERNS[list].test(id)) return { fieldError: NOT_OURS };
  const position = { avaraCursor, limit, index, id };
  // Only one spelling of each cursor is ours: no second encoding of the same position passes.
  if (encodeCursor(list, cursorDigest, position) !== text) return { fieldError: NOT_OURS };
  if (cursorDigest !== digest) {
    return {
      fieldError: {
        field: 'after',
        message: 'was made for another filter: start again without after',
      },
    };
  }
  return { position };
}
