import { describe, expect, it } from '@jest/globals';
import type { LimiterRefusal } from '../../src/avara/limiter.js';
import { ConcurrencyLimiter, KeyedLimiter, credentialKey } from '../../src/avara/limiter.js';

/** A task that runs until the test lets it finish. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { task: () => opened.then(() => 'done'), open };
}

const refusal = (reason: 'full' | 'aborted') =>
  expect.objectContaining({ name: 'LimiterRefusal', reason }) as unknown as LimiterRefusal;

describe('ConcurrencyLimiter', () => {
  it('runs up to its limit, queues up to maxQueue, refuses the next at once', async () => {
    const limiter = new ConcurrencyLimiter(1, 1);
    const first = gate();
    const running = limiter.run(first.task);
    const queued = limiter.run(async () => 'queued');
    await expect(limiter.run(async () => 'refused')).rejects.toEqual(refusal('full'));
    first.open();
    await expect(Promise.all([running, queued])).resolves.toStrictEqual(['done', 'queued']);
    expect(limiter.idle).toBe(true);
  });

  it('lets a waiter leave the queue the moment its signal aborts, freeing its place', async () => {
    const limiter = new ConcurrencyLimiter(1, 1);
    const first = gate();
    const running = limiter.run(first.task);
    const controller = new AbortController();
    const waiting = limiter.run(async () => 'never', controller.signal);
    controller.abort();
    await expect(waiting).rejects.toEqual(refusal('aborted'));
    // Its queue place is free again while the first still runs.
    const next = limiter.run(async () => 'next');
    first.open();
    await expect(Promise.all([running, next])).resolves.toStrictEqual(['done', 'next']);
  });

  it('refuses an already aborted call without running it', async () => {
    const limiter = new ConcurrencyLimiter(4, 4);
    let ran = false;
    await expect(limiter.run(async () => (ran = true), AbortSignal.abort())).rejects.toEqual(
      refusal('aborted'),
    );
    expect(ran).toBe(false);
  });
});

describe('KeyedLimiter', () => {
  it('caps each key on its own and forgets a key once it is idle', async () => {
    const limiter = new KeyedLimiter(1, 0);
    const a = gate();
    const runningA = limiter.run('a', a.task);
    await expect(limiter.run('a', async () => 'a2')).rejects.toEqual(refusal('full'));
    await expect(limiter.run('b', async () => 'b')).resolves.toBe('b');
    expect(limiter.size).toBe(1);
    a.open();
    await runningA;
    expect(limiter.size).toBe(0);
  });
});

describe('credentialKey', () => {
  it('is a digest: stable, distinct per credential, and not the credential', () => {
    const key = credentialKey('Bearer secret-token');
    expect(key).toBe(credentialKey('Bearer secret-token'));
    expect(key).not.toBe(credentialKey('Bearer other-token'));
    expect(key).not.toContain('secret');
  });
});
