/**
 * The soak's scenarios: what each operation is, which faults the demo plays for its own user id
 * (per attempt), and what its answer must be.
 */
import type { DemoFault, FaultMatch } from '../../src/demo/server.js';

export type Kind = 'read' | 'write';

/** What one operation must produce: its error code (none for success), data and attempts. */
export interface Expectation {
  code?: string;
  /** `user`: the user asked for; `null`: `user: null`. */
  data: 'user' | 'null';
  attempts: number;
}

export interface Scenario {
  name: string;
  weight: number;
  kind: Kind;
  /** Faults for this operation's own user id (path), scripted per attempt. */
  faults?: [DemoFault, FaultMatch?][];
  /** Looks up an id Avara does not know. */
  unknownUser?: boolean;
  expect: Expectation;
}

/** The mixed phase: a healthy majority and a failing minority, one user id per operation. */
export const SCENARIOS: readonly Scenario[] = [
  { name: 'healthy read', weight: 44, kind: 'read', expect: { data: 'user', attempts: 1 } },
  { name: 'healthy write', weight: 12, kind: 'write', expect: { data: 'user', attempts: 1 } },
  {
    name: 'read 404',
    weight: 8,
    kind: 'read',
    unknownUser: true,
    expect: { data: 'null', attempts: 1 },
  },
  {
    name: 'read 403',
    weight: 6,
    kind: 'read',
    faults: [[{ status: 403 }, { times: Infinity }]],
    expect: { code: 'FORBIDDEN', data: 'null', attempts: 1 },
  },
  {
    name: 'read 503 then 200',
    weight: 6,
    kind: 'read',
    faults: [[{ status: 503 }]],
    expect: { data: 'user', attempts: 2 },
  },
  {
    name: 'slow read',
    weight: 6,
    kind: 'read',
    faults: [[{ delayMs: 80 }]],
    expect: { data: 'user', attempts: 1 },
  },
  {
    name: 'read reset, then 200',
    weight: 3,
    kind: 'read',
    faults: [[{ drop: true }]],
    expect: { data: 'user', attempts: 2 },
  },
  {
    name: 'PATCH 500',
    weight: 5,
    kind: 'write',
    faults: [[{ status: 500 }, { times: Infinity }]],
    expect: { code: 'UPSTREAM_ERROR', data: 'null', attempts: 1 },
  },
  {
    name: 'PATCH 502',
    weight: 4,
    kind: 'write',
    faults: [[{ status: 502 }, { times: Infinity }]],
    expect: { code: 'UPSTREAM_UNAVAILABLE', data: 'null', attempts: 1 },
  },
  {
    name: 'PATCH 503 x3',
    weight: 3,
    kind: 'write',
    faults: [[{ status: 503 }, { times: Infinity }]],
    expect: { code: 'UPSTREAM_UNAVAILABLE', data: 'null', attempts: 3 },
  },
  {
    name: 'PATCH reset',
    weight: 3,
    kind: 'write',
    faults: [[{ drop: true }]],
    expect: { code: 'UPSTREAM_UNAVAILABLE', data: 'null', attempts: 1 },
  },
];

/** The sequence: five failed attempts in a row, then healthy reads that must be served. */
export const MINORITY_BURST: readonly string[] = ['PATCH 500', 'PATCH 502', 'PATCH 503 x3'];

/** mulberry32, for a scenario order that is shuffled yet the same on every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const hexId = (prefix: string, n: number) =>
  `usr_${prefix}${n.toString(16).padStart(32 - prefix.length, '0')}`;

export function scenarioNamed(name: string): Scenario {
  const scenario = SCENARIOS.find((candidate) => candidate.name === name);
  if (!scenario) throw new Error(`no scenario ${name}`);
  return scenario;
}

/** `count` scenarios in their weights' proportions, shuffled by `random`. */
export function shuffledScenarios(count: number, random: () => number): Scenario[] {
  const total = SCENARIOS.reduce((sum, scenario) => sum + scenario.weight, 0);
  const list = Array.from({ length: count }, (_, i) => {
    let pick = ((i * total) / count) % total;
    return SCENARIOS.find((scenario) => (pick -= scenario.weight) < 0) ?? SCENARIOS[0];
  });
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}
