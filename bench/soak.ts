/**
 * `npm run soak`: a bigger bounded soak of one gateway process than the suite's, with the
 * contract's numbers (10 s windows, 5 s open circuit), printing what it drove and what it found.
 * Exits non-zero when a promise broke. Options: `--operations N` (mixed phase, default 6000),
 * `--concurrency N` (default 32).
 */
import { parseArgs } from 'node:util';
import { formatReport, runSoak } from '../test/soak/driver.js';

const { values } = parseArgs({
  options: {
    operations: { type: 'string', default: '6000' },
    concurrency: { type: 'string', default: '32' },
  },
});
const mixedOperations = Number(values.operations);
const concurrency = Number(values.concurrency);

const started = Date.now();
const report = await runSoak({
  mixedOperations,
  outageOperations: Math.round(mixedOperations / 2),
  brownoutOperations: mixedOperations,
  concurrency,
});
console.log(formatReport(report));
console.log(
  `\n${mixedOperations} mixed operations at concurrency ${concurrency}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
process.exitCode = report.problems.length === 0 ? 0 : 1;
