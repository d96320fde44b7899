/**
 * Structured JSON logs (pino). Every log line is written from named fields that hold no
 * credential or personal data, and errors pass through a serializer that drops their messages;
 * `test/integration/log-privacy.test.ts` greps the log of every path for each secret and each
 * piece of personal data. There is no path-based redaction: no line carries those keys, and
 * pino's redaction cost ~2% of the gateway's CPU per operation (see the README's performance
 * section).
 */
import { createHash } from 'node:crypto';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

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
      serializers: { err: serializeError },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
