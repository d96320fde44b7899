import { describe, expect, it } from '@jest/globals';
import { AvaraError } from '../../src/avara/errors.js';
import type { AvaraUser } from '../../src/avara/types.js';
import { createUserLoader } from '../../src/context.js';
import { DEMO_USERS } from '../../src/demo/seed.js';

/** A retrieve function whose answers the test releases by hand, counting what runs at once. */
function controlledRetrieve() {
  const pending: Array<{ userId: string; settle: () => void }> = [];
  let running = 0;
  let mostAtOnce = 0;
  const started: string[] = [];
  const retrieve = (userId: string) =>
    new Promise<AvaraUser>((resolve, reject) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      started.push(userId);
      pending.push({
        userId,
        settle: () => {
          running -= 1;
          const user = DEMO_USERS.find((u) => u.userId === userId);
          if (userId.startsWith('fail'))
            reject(new AvaraError({ kind: 'status', status: 500, attempts: 1 }));
          else if (user) resolve(user);
          else reject(new AvaraError({ kind: 'status', status: 404, attempts: 1 }));
        },
      });
    });
  /** Settles everything started so far and lets the loader start more. */
  const drain = async () => {
    while (pending.length > 0) {
      pending.splice(0).forEach(({ settle }) => settle());
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { retrieve, drain, started, mostAtOnce: () => mostAtOnce };
}

describe('createUserLoader', () => {
  it('collapses duplicate ids into one call and answers in key order', async () => {
    const { retrieve, drain, started } = controlledRetrieve();
    const loader = createUserLoader(retrieve, 4);
    const [a, b] = DEMO_USERS;
    if (!a || !b) throw new Error('the seed needs two users');

    const loading = loader.loadMany([b.userId, a.userId, b.userId]);
    await new Promise((resolve) => setImmediate(resolve));
    await drain();

    expect(await loading).toStrictEqual([b, a, b]);
    expect(started).toStrictEqual([b.userId, a.userId]);
  });

  it('gives null for an unknown id and an error for a failing one, without failing the others', async () => {
    const { retrieve, drain } = controlledRetrieve();
    const loader = createUserLoader(retrieve, 4);
    const [a] = DEMO_USERS;
    if (!a) throw new Error('the seed needs a user');

    const loading = loader.loadMany(['usr_unknown', 'fail_1', a.userId]);
    await new Promise((resolve) => setImmediate(resolve));
    await drain();
    const [unknown, failed, found] = await loading;

    expect(unknown).toBeNull();
    expect(failed).toBeInstanceOf(AvaraError);
    expect(found).toBe(a);
  });

  it.each([1, 3, 8])('never runs more than %i retrieves at once', async (concurrency) => {
    const { retrieve, drain, started, mostAtOnce } = controlledRetrieve();
    const loader = createUserLoader(retrieve, concurrency);
    const ids = Array.from({ length: 20 }, (_, i) => `usr_${String(i).padStart(32, '0')}`);

    const loading = loader.loadMany(ids);
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toHaveLength(concurrency);
    await drain();
    await loading;

    expect(started).toHaveLength(20);
    expect(mostAtOnce()).toBe(concurrency);
  });
});
