/**
 * Client mistakes that Apollo Server and its libraries report without a code of their own, which
 * would otherwise read as `INTERNAL_SERVER_ERROR` (a 500-class code, and a bug's log line): each
 * gets the code the contract asks for. Matched on Apollo Server 5's exact messages; the table is
 * tested against the real server, so an upgrade that rewords one fails a test, not production.
 */

export interface UncodedRefusal {
  message: string;
  code: 'BAD_REQUEST' | 'BAD_USER_INPUT';
  why: string;
}

export const UNCODED_REFUSALS: readonly UncodedRefusal[] = [
  {
    message: 'provided sha does not match query',
    code: 'BAD_REQUEST',
    why: "APQ: the request's persistedQuery.sha256Hash is not the hash of its query",
  },
  {
    message: 'Unsupported persisted query version',
    code: 'BAD_REQUEST',
    why: 'APQ: only version 1 exists',
  },
];

const CODES = new Map(UNCODED_REFUSALS.map(({ message, code }) => [message, code]));

/** The code for a message Apollo Server raises without one, or `undefined` for any other. */
export function codeForUncodedRefusal(message: string): UncodedRefusal['code'] | undefined {
  return CODES.get(message);
}

/**
 * graphql-js appends "Did you mean …?" to validation and variable-coercion messages, naming
 * schema members; with the schema hidden (production) no message may carry one.
 */
export function stripSuggestions(message: string): string {
  // graphql-js always puts the suggestion last: cut from its start (one search, one slice).
  const index = message.indexOf('Did you mean ');
  return index === -1 ? message : message.slice(0, index).trimEnd();
}
