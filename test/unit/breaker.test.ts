import { describe, expect, it } from '@jest/globals';
import { CircuitBreaker, type CircuitState } from '../../src/avara/breaker.js';
import { SlidingWindow } from '../../src/avara/sliding-window.js';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** `s` a success, `f` a failure, `.` 100 ms passing: a compact trace of traffic. */
function drive(breaker: CircuitBreaker, clock: ReturnType<typeof manualClock>, trace: string) {
  const refused: number[] = [];
  [...trace].forEach((step, index) => {
    if (step === '.') {
      clock.advance(100);
      return;
    }
    const admission = breaker.admit();
    if (admission === undefined) refused.push(index);
    else breaker.record(admission, step === 's' ? 'success' : 'failure');
  });
  return refused;
}

describe('CircuitBreaker', () => {
  describe('opening (defaults: >= 20 attempts in 10 s, >= 50% failed)', () => {
    it.each<[string, string, CircuitState]>([
      ['19 failures: below the volume', 'f'.repeat(19), 'closed'],
      ['20 failures', 'f'.repeat(20), 'open'],
      ['10 successes then 10 failures: exactly half', 's'.repeat(10) + 'f'.repeat(10), 'open'],
      ['11 successes then 9 failures: a minority', 's'.repeat(11) + 'f'.repeat(9), 'closed'],
      ['a third failing, for 300 attempts', 'ssf'.repeat(100), 'closed'],
      [
        '5 consecutive failures amid successes (the old ConsecutiveBreaker)',
        's'.repeat(30) + 'fffff',
        'closed',
      ],
      ['4xx-like successes never count', 's'.repeat(100), 'closed'],
      // 15 failures, then 10.1 s pass: they leave the window and do not add up with 15 more.
      [
        'failures further apart than the window',
        'f'.repeat(15) + '.'.repeat(101) + 'f'.repeat(15),
        'closed',
      ],
      ['failures within one window', 'f'.repeat(15) + '.'.repeat(50) + 'f'.repeat(15), 'open'],
    ])('%s → %s', (_case, trace, expected) => {
      const clock = manualClock();
      const breaker = new CircuitBreaker({ now: clock.now });
      drive(breaker, clock, trace);
      expect(breaker.state).toBe(expected);
    });

    it('forgets everything after an idle gap longer than the window', () => {
      const clock = manualClock();
      const breaker = new CircuitBreaker({ now: clock.now });
      drive(breaker, clock, 'f'.repeat(19));
      clock.advance(60_000);
      drive(breaker, clock, 'f');
      expect(breaker.state).toBe('closed');
    });
  });

  describe('open, half-open and the probe', () => {
    function opened() {
      const clock = manualClock();
      const breaker = new CircuitBreaker({ now: clock.now, minAttempts: 2, openMs: 5_000 });
      drive(breaker, clock, 'ff');
      expect(breaker.state).toBe('open');
      return { clock, breaker };
    }

    it('refuses every attempt while open, for openMs', () => {
      const { clock, breaker } = opened();
      clock.advance(4_999);
      expect(breaker.refusing).toBe(true);
      expect(breaker.admit()).toBeUndefined();
    });

    it('admits exactly one probe after openMs and refuses the rest while it is out', () => {
      const { clock, breaker } = opened();
      clock.advance(5_000);
      expect(breaker.state).toBe('half-open');
      expect(breaker.refusing).toBe(false);
      const probe = breaker.admit();
      expect(probe).toStrictEqual({ probe: true });
      expect([breaker.admit(), breaker.admit()]).toStrictEqual([undefined, undefined]);
      expect(breaker.refusing).toBe(true);
      expect(breaker.state).toBe('half-open');
    });

    it.each<[string, 'success' | 'failure' | 'void', CircuitState, boolean]>([
      ['a successful probe closes it, with a fresh window', 'success', 'closed', false],
      ['a failed probe opens it again for openMs', 'failure', 'open', true],
      ['a probe never sent lets the next attempt probe', 'void', 'half-open', false],
    ])('%s', (_case, verdict, state, refusing) => {
      const { clock, breaker } = opened();
      clock.advance(5_000);
      const probe = breaker.admit();
      if (!probe) throw new Error('no probe admitted');
      breaker.record(probe, verdict);
      expect(breaker.state).toBe(state);
      expect(breaker.refusing).toBe(refusing);
    });

    it('starts from an empty window after closing: old failures do not reopen it', () => {
      const { clock, breaker } = opened();
      clock.advance(5_000);
      const probe = breaker.admit();
      if (!probe) throw new Error('no probe admitted');
      breaker.record(probe, 'success');
      // With the two old failures still counted this would be 3 of 5 and open again.
      drive(breaker, clock, 'ssf');
      expect(breaker.state).toBe('closed');
      drive(breaker, clock, 'f');
      expect(breaker.state).toBe('open'); // 2 of 4: now it is half
    });
  });
});

describe('SlidingWindow', () => {
  it.each<[string, [number, number][], number, number]>([
    // [advance ms, count added] steps, then the expected count in a 1000 ms window of 10 buckets
    [
      'counts within the window',
      [
        [0, 3],
        [500, 2],
      ],
      0,
      5,
    ],
    [
      'drops a bucket once it is a window old',
      [
        [0, 3],
        [500, 2],
      ],
      600,
      2,
    ],
    [
      'drops everything after an idle gap',
      [
        [0, 3],
        [500, 2],
      ],
      5_000,
      0,
    ],
    ['survives the clock going backwards', [[0, 3]], -5_000, 0],
  ])('%s', (_case, steps, finalAdvance, expected) => {
    const clock = manualClock();
    const window = new SlidingWindow<'x'>({ windowMs: 1_000, buckets: 10, now: clock.now });
    for (const [ms, count] of steps) {
      clock.advance(ms);
      window.add('x', count);
    }
    clock.advance(finalAdvance);
    expect(window.count('x')).toBe(expected);
  });
});
