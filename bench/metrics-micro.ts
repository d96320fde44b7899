/**
 * `node --import tsx bench/metrics-micro.ts`: the CPU the metrics of one operation take by
 * themselves, what a shared machine's noise cannot blur: the calls the gateway makes per
 * `updateUser` (one server request, one Avara attempt, one operation) on a real prom-client
 * registry, many times over, timed with `process.cpuUsage`. Prints `{ cpuMicrosPerOp }`.
 */
import { createMetrics } from '../src/observability/metrics.js';

const OPERATIONS = 200_000;
const metrics = createMetrics({ circuitState: () => 'closed' });

function oneOperation(i: number): void {
  metrics.observeAttempt('PATCH', 0, { status: 200 }, 0.001 + (i % 7) * 0.001);
  metrics.countOperation('mutation', 'OK');
  metrics.observeServerRequest('POST', 200, 0.002 + (i % 11) * 0.001);
}

for (let i = 0; i < 20_000; i++) oneOperation(i); // warm-up: JIT and series created
const before = process.cpuUsage();
for (let i = 0; i < OPERATIONS; i++) oneOperation(i);
const used = process.cpuUsage(before);
process.stdout.write(
  `${JSON.stringify({ cpuMicrosPerOp: (used.user + used.system) / OPERATIONS })}\n`,
);
