import { describe, expect, it } from '@jest/globals';
import { RetryBudget } from '../../src/avara/retry-budget.js';

function budgetWith(options: { ratio?: number; minRetriesPerSecond?: number; windowMs?: number }) {
  let now = 1_000_000;
  const budget = new RetryBudget({ ...options, now: () => now });
  return { budget, advance: (ms: number) => (now += ms) };
}

/** How many retries in a row the budget grants. */
function grantedRetries(budget: RetryBudget, asked: number): number {
  let granted = 0;
  for (let i = 0; i < asked; i++) if (budget.tryRetry()) granted++;
  return granted;
}

describe('RetryBudget', () => {
  it.each<[string, { ratio?: number; minRetriesPerSecond?: number }, number, number]>([
    // first attempts in the window, then retries granted out of 10_000 asked
    ['defaults, no traffic: the reserve, 10/s over 10 s', {}, 0, 100],
    ['defaults, 1000 first attempts: 20% of them plus the reserve', {}, 1_000, 300],
    ['no reserve: only the ratio', { minRetriesPerSecond: 0 }, 1_000, 200],
    ['no ratio: only the reserve', { ratio: 0 }, 1_000, 100],
    ['nothing at all', { ratio: 0, minRetriesPerSecond: 0 }, 1_000, 0],
  ])('%s', (_case, options, firstAttempts, expected) => {
    const { budget } = budgetWith(options);
    for (let i = 0; i < firstAttempts; i++) budget.recordFirstAttempt();
    expect(grantedRetries(budget, 10_000)).toBe(expected);
    expect(budget.remainingShare).toBe(0);
  });

  it('refills as spent retries leave the window', () => {
    const { budget, advance } = budgetWith({ minRetriesPerSecond: 1, ratio: 0 });
    expect(grantedRetries(budget, 50)).toBe(10);
    advance(5_000);
    expect(grantedRetries(budget, 50)).toBe(0);
    advance(5_001);
    expect(grantedRetries(budget, 50)).toBe(10);
  });

  it('reports the unspent share of its allowance', () => {
    const { budget } = budgetWith({ minRetriesPerSecond: 1, ratio: 0 });
    expect(budget.remainingShare).toBe(1);
    grantedRetries(budget, 4);
    expect(budget.remainingShare).toBe(0.6);
  });

  it('keeps a brownout near 1 + ratio attempts per operation once the reserve is spent', () => {
    const { budget } = budgetWith({ minRetriesPerSecond: 0 });
    let attempts = 0;
    // Every attempt fails and asks for 2 retries: the worst case the budget must bound.
    for (let operation = 0; operation < 10_000; operation++) {
      budget.recordFirstAttempt();
      attempts += 1 + grantedRetries(budget, 2);
    }
    expect(attempts / 10_000).toBeCloseTo(1.2, 2);
  });
});
