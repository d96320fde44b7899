/**
 * `npm run bench:telemetry`: only the telemetry-cost rows of `npm run bench` (about 2 minutes):
 * builds, starts the demo API, measures, prints.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  detectPinning,
  installCleanup,
  pinSelf,
  startService,
  stopAllChildren,
} from './processes.js';
import { TELEMETRY_ROUNDS, formatTelemetryCost, measureTelemetryCost } from './telemetry-cost.js';

const started = Date.now();
const progress = (message: string) =>
  process.stderr.write(
    `[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}\n`,
  );

async function main(): Promise<void> {
  installCleanup();
  process.chdir(fileURLToPath(new URL('../', import.meta.url)));
  const pinning = detectPinning();
  if (spawnSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 2, 2] }).status !== 0) {
    throw new Error('npm run build failed');
  }
  if (pinning.enabled && !pinSelf(1, pinning)) throw new Error('taskset could not pin to CPU 1');
  progress(pinning.description);
  const demo = await startService({
    name: 'demo API',
    args: ['dist/demo/main.js'],
    cpu: 1,
    pinning,
    env: { DEMO_AVARA_PORT: '0', DEMO_AVARA_RECORD_REQUESTS: 'false' },
    timeoutMs: 20_000,
    readyUrl: (line) => /listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(line)?.[1],
  });
  const cost = await measureTelemetryCost({
    pinning,
    demoUrl: demo.url,
    rounds: TELEMETRY_ROUNDS,
    progress,
  });
  await stopAllChildren();
  process.stdout.write(formatTelemetryCost(cost));
}

main().catch(async (error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  await stopAllChildren();
  process.exit(1);
});
