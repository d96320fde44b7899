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

/** graphql-js's variable-coercion message: `Variable "$x" got invalid value <value>[ at "x.f"]; <reason>`. */
const INVALID_VARIABLE = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)" got invalid value /;
/** The path graphql-js prints after the value: the variable, then field names and list indices. */
const VARIABLE_PATH = / at "([_A-Za-z][_0-9A-Za-z]*(?:\.[_A-Za-z][_0-9A-Za-z]*|\[\d+\])*)"$/;
const NAME = '[_A-Za-z][_0-9A-Za-z]{0,63}';
const TYPE = '"[_A-Za-z][_0-9A-Za-z!\\[\\]]{0,200}"';

/**
 * graphql-js's coercion reasons, each with the value-free text a production client gets: the ones
 * that already name only schema members are kept as they are, the ones that quote the value lose it.
 */
const REASONS: readonly [RegExp, (match: RegExpExecArray) => string][] = [
  [new RegExp(`^Expected non-nullable type ${TYPE} not to be null\\.$`), ([reason]) => reason],
  [new RegExp(`^Expected type ${TYPE} to be an object\\.$`), ([reason]) => reason],
  [new RegExp(`^Field "${NAME}" of required type ${TYPE} was not provided\\.$`), ([r]) => r],
  [new RegExp(`^Field "${NAME}" is not defined by type ${TYPE}\\.`), ([reason]) => reason],
  [
    new RegExp(`^Value .* does not exist in (${TYPE}) enum\\.`, 's'),
    ([, type]) => `The value does not exist in ${type} enum.`,
  ],
  [new RegExp(`^(${NAME}) cannot represent `), ([, type]) => `${type} cannot represent the value.`],
  [new RegExp(`^(Expected type ${TYPE}\\.)`), ([, sentence]) => sentence],
];

/**
 * In production a variable-coercion message keeps the variable, the path and the reason, but not
 * the value: graphql-js quotes the caller's input (names, emails, phone numbers) into it, and an
 * error may be stored by routers and client error trackers that were never meant to hold it.
 * `reason` is the coercion error's own message (Apollo keeps it as `originalError`), which lets the
 * value be cut out exactly, with no guess at where it ends.
 */
export function hideVariableValue(message: string, reason: string | undefined): string {
  const variable = INVALID_VARIABLE.exec(message);
  if (variable === null) return message;
  const hasReason = reason !== undefined && message.endsWith(`; ${reason}`);
  const head = hasReason ? message.slice(0, message.length - reason.length - 2) : message;
  const path = VARIABLE_PATH.exec(head)?.[1];
  const safeReason = hasReason ? describeReason(reason) : 'The value is not valid for its type.';
  return `Variable "$${variable[1]}" got an invalid value${path === undefined ? '' : ` at "${path}"`}; ${safeReason}`;
}

function describeReason(reason: string): string {
  for (const [pattern, describe] of REASONS) {
    const match = pattern.exec(reason);
    if (match !== null) return describe(match);
  }
  return 'The value is not valid for its type.';
}
