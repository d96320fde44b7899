/**
 * The soak in the suite: a bounded run of a few thousand operations on one gateway process (see
 * driver.ts). It fails on any broken promise: an answer that does not match its scenario, a
 * healthy operation refused while only a minority fails (a consecutive-failure breaker fails
 * here, at the minority burst), an outage not failed fast, no recovery, a brownout costing more
 * attempts than the retry budget allows, memory growth, or an error logged.
 */
import { describe, expect, it } from '@jest/globals';
import { formatReport, runSoak } from './driver.js';

describe('soak of one gateway process', () => {
  it('keeps every promise through mixed traffic, an outage, a recovery and a brownout', async () => {
    const report = await runSoak({
      mixedOperations: 700,
      outageOperations: 300,
      brownoutOperations: 600,
      concurrency: 16,
      // The contract's numbers, with shorter windows and open time so the run stays short, and a
      // smaller reserve so that the budget's ratio, not its reserve, shapes this short brownout.
      config: {
        avaraBreakerWindowMs: 2_000,
        avaraBreakerHalfOpenMs: 1_000,
        avaraRetryBudgetWindowMs: 2_000,
        avaraRetryBudgetMinPerSecond: 5,
      },
      recoveryTimeoutMs: 15_000,
    });

    expect({ problems: report.problems, table: formatReport(report) }).toMatchObject({
      problems: [],
    });
    expect(report.phases.map((phase) => phase.phase)).toStrictEqual([
      'warm-up, minority burst',
      'mixed',
      'outage',
      'recovery',
      'brownout',
    ]);
    expect(report.brownout.attemptsPerOperation).toBeLessThan(report.brownout.unbudgeted);
  }, 120_000); // bounded by its counts; the timeout only catches a hang on a far busier machine
});
