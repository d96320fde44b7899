/**
 * Shape checks for injected faults. One reader serves both `inject()` (typed, but numbers can
 * still be wrong) and the `POST /__demo/faults` control endpoint (untyped JSON from another
 * process), so both reject the same mistakes with the same words.
 */
import type { DemoFault, FaultMatch } from './faults.js';

export type FaultCheck =
  { ok: true; fault: DemoFault; match: FaultMatch } | { ok: false; problems: readonly string[] };

type Fields = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isObject(value) && Object.values(value).every((item) => typeof item === 'string');
}

function isWholeNumber(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function isHttpStatus(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 200 && (value as number) <= 599;
}

/** JSON has no `Infinity`, so the control endpoint also takes the string `"Infinity"`. */
function readTimes(value: unknown): number | undefined {
  const times = value === 'Infinity' ? Infinity : value;
  if (times === Infinity || (Number.isInteger(times) && (times as number) >= 1)) {
    return times as number;
  }
  return undefined;
}

/** What each optional fault field must be, when present. */
const FAULT_FIELD_RULES: Readonly<Record<keyof DemoFault, [string, (value: unknown) => boolean]>> =
  {
    status: ['an integer HTTP status from 200 to 599', isHttpStatus],
    body: ['any JSON value', () => true],
    rawBody: ['a string', (value) => typeof value === 'string'],
    headers: ['an object of string values', isStringRecord],
    delayMs: ['a finite number >= 0', (value) => Number.isFinite(value) && (value as number) >= 0],
    drop: ['a boolean', (value) => typeof value === 'boolean'],
    clinicRole: ['a string', (value) => typeof value === 'string'],
    userFields: ['an object', isObject],
    rawBodyBase64: ['a base64 string', (value) => typeof value === 'string'],
    bodyBytes: ['a whole number >= 0', isWholeNumber],
    declareLength: ['a boolean', (value) => typeof value === 'boolean'],
    dripMs: ['a finite number > 0', (value) => Number.isFinite(value) && (value as number) > 0],
  };

const MATCH_FIELD_RULES: Readonly<Record<keyof FaultMatch, [string, (value: unknown) => boolean]>> =
  {
    method: ['a string', (value) => typeof value === 'string'],
    pathPrefix: ['a string', (value) => typeof value === 'string'],
    times: ['a whole number >= 1 or Infinity', (value) => readTimes(value) !== undefined],
    skip: ['a whole number >= 0', isWholeNumber],
    probability: [
      'a number from 0 to 1',
      (value) => typeof value === 'number' && value >= 0 && value <= 1,
    ],
    seed: ['a whole number >= 0', isWholeNumber],
  };

function checkFields(
  what: string,
  value: Fields,
  rules: Readonly<Record<string, [string, (value: unknown) => boolean]>>,
): string[] {
  const problems: string[] = [];
  for (const [key, field] of Object.entries(value)) {
    const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
    if (rule === undefined) problems.push(`${what}.${key} is not a known field`);
    else if (field !== undefined && !rule[1](field)) {
      problems.push(`${what}.${key} must be ${rule[0]}`);
    }
  }
  return problems;
}

/** Checks a fault and its match, converting `times: "Infinity"` on the way. */
export function readFault(fault: unknown, match: unknown = {}): FaultCheck {
  if (!isObject(fault)) return { ok: false, problems: ['fault must be an object'] };
  if (!isObject(match)) return { ok: false, problems: ['match must be an object'] };
  const problems = [
    ...checkFields('fault', fault, FAULT_FIELD_RULES),
    ...checkFields('match', match, MATCH_FIELD_RULES),
  ];
  if (problems.length > 0) return { ok: false, problems };
  const times = match.times === undefined ? undefined : readTimes(match.times);
  // Every present field has just passed its rule.
  return { ok: true, fault: fault as DemoFault, match: { ...(match as FaultMatch), times } };
}
