/**
 * Runs the demo Avara API as its own process, e.g. as the benchmark's upstream:
 * `node dist/.../demo/main.js`. Reads `DEMO_AVARA_PORT` (blank means unset) and
 * `DEMO_AVARA_RECORD_REQUESTS` (`false` stops the request log from growing during long runs).
 */
import { startDemoAvara } from './server.js';

const DEFAULT_PORT = 4010;

function readPort(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(`DEMO_AVARA_PORT must be a port number from 0 to 65535\n`);
    process.exit(1);
  }
  return port;
}

const demo = await startDemoAvara({
  port: readPort(process.env.DEMO_AVARA_PORT),
  host: '127.0.0.1',
  recordRequests: process.env.DEMO_AVARA_RECORD_REQUESTS?.trim().toLowerCase() !== 'false',
});
process.stdout.write(`demo Avara API listening on ${demo.url}\n`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void demo.close().then(() => process.exit(0));
  });
}
