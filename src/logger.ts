/**
 * Structured JSON logs (pino). Log lines are written without credentials or personal data in the
 * first place; the error serializer and the redaction list are the second line of defence.
 */
import { createHash } from 'node:crypto';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

/** Paths censored wherever they appear in a log object. */
export const REDACTED_PATHS = [
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '["router-authorization"]',
  '*["router-authorization"]',
  '*.headers["router-authorization"]',
  'apiKey',
  '*.apiKey',
  'variables',
  '*.variables',
];

export interface LoggedError {
  type: string;
  code?: string;
  /** A short hash of the message: repeats of one bug group together without the text. */
  messageHash: string;
  /** The stack frames, without the first line (which repeats the message). */
  stack?: string;
}

/**
 * An error as a log line may show it. The message of an unexpected error can quote anything
 * (JSON.parse, zod and graphql-js quote the values they choke on), so it never reaches the log:
 * its hash and the stack frames, with the request id, lead to the bug.
 */
export function serializeError(error: unknown): LoggedError {
  if (!(error instanceof Error)) return { type: typeof error, messageHash: hash(String(error)) };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    ...(typeof code === 'string' && { code }),
    messageHash: hash(error.message),
    ...(error.stack && {
      stack: error.stack
        .split('\n')
        .filter((line) => /^\s+at /.test(line))
        .join('\n'),
    }),
  };
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'avara-graphql-gateway' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
