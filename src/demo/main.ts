/**
 * Runs the demo Avara API as its own process, e.g. as the benchmark's upstream:
 * `node dist/demo/main.js`. Reads `DEMO_AVARA_PORT` (blank means unset),
 * `DEMO_AVARA_RECORD_REQUESTS` (`false` stops the request log from growing during long runs) and
 * `DEMO_AVARA_SYNTHETIC_USERS` (that many extra users after the seed, for fan-out benchmarks).
 */
import type { AvaraUser } from '../avara/types.js';
import { DEMO_USERS } from './seed.js';
import { startDemoAvara } from './server.js';

const DEFAULT_PORT = 4010;
const MAX_SYNTHETIC_USERS = 10_000;

/** A whole number from `min` to `max`, or the fallback when blank; anything else stops the start. */
function readWholeNumber(
  name: string,
  value: string | undefined,
  { min, max, fallback }: { min: number; max: number; fallback: number },
): number {
  if (value === undefined || value.trim() === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    process.stderr.write(`${name} must be a whole number from ${min} to ${max}\n`);
    process.exit(1);
  }
  return number;
}

/**
 * Fictional users with deterministic ids (`usr_` + the index as 32 hex digits), so every run and
 * every process sees the same ones; a client finds them by listing `/v1/viewer/users`.
 */
function syntheticUsers(count: number): AvaraUser[] {
  return Array.from({ length: count }, (_, index) => {
    const number = index + 1;
    return {
      canManageStudies: false,
      clinicRole: 'Registered Nurse',
      createdAt: '2024-01-01T00:00:00Z',
      email: `synthetic.user.${number}@example.org`,
      firstName: `Synthetic${number}`,
      hasDashboardAccess: false,
      invitedSource: 'api',
      lastLoginAt: null,
      lastName: 'User',
      level: 'member',
      userId: `usr_${number.toString(16).padStart(32, '0')}`,
    };
  });
}

const port = readWholeNumber('DEMO_AVARA_PORT', process.env.DEMO_AVARA_PORT, {
  min: 0,
  max: 65_535,
  fallback: DEFAULT_PORT,
});
const syntheticCount = readWholeNumber(
  'DEMO_AVARA_SYNTHETIC_USERS',
  process.env.DEMO_AVARA_SYNTHETIC_USERS,
  { min: 0, max: MAX_SYNTHETIC_USERS, fallback: 0 },
);

const demo = await startDemoAvara({
  port,
  host: '127.0.0.1',
  users: [...DEMO_USERS, ...syntheticUsers(syntheticCount)],
  recordRequests: process.env.DEMO_AVARA_RECORD_REQUESTS?.trim().toLowerCase() !== 'false',
});
process.stdout.write(`demo Avara API listening on ${demo.url}\n`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void demo.close().then(() => process.exit(0));
  });
}
