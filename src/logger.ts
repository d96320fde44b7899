/**
 * Structured JSON logs (pino). Log lines are written without credentials or personal data in the
 * first place; the redaction list is the second line of defence.
 */
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
  'err.options.headers.authorization',
  'err.options.headers["router-authorization"]',
];

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'avara-graphql-gateway' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
