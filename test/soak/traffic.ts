/**
 * The soak's traffic: operations sent to the gateway over HTTP, `concurrency` at a time, and what
 * each answered.
 */
import type { GatewayServer } from '../../src/server.js';
import type { Scenario } from './scenarios.js';

const GET_USER = `query ($userId: ID!) { user(userId: $userId) { userId firstName } }`;
const UPDATE_USER = `mutation ($userId: ID!, $firstName: String!) {
  updateUser(userId: $userId, input: { firstName: $firstName }) { userId firstName }
}`;

export interface Planned {
  scenario: Scenario;
  userId: string;
}

export interface Outcome {
  code?: string;
  user: unknown;
}

/** Runs every planned operation, `concurrency` at a time; outcomes in plan order. */
export async function drive(
  planned: readonly Planned[],
  concurrency: number,
  run: (planned: Planned) => Promise<Outcome>,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(planned.length);
  let next = 0;
  const worker = async () => {
    while (next < planned.length) {
      const index = next++;
      outcomes[index] = await run(planned[index]);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}

let writes = 0;

export async function operate(
  gateway: GatewayServer,
  { scenario, userId }: Planned,
): Promise<Outcome> {
  const body =
    scenario.kind === 'read'
      ? { query: GET_USER, variables: { userId } }
      : { query: UPDATE_USER, variables: { userId, firstName: `Soak${(writes += 1)}` } };
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as {
    data?: { user?: unknown; updateUser?: unknown } | null;
    errors?: { extensions?: { code?: string } }[];
  };
  const user = json.data
    ? scenario.kind === 'read'
      ? json.data.user
      : json.data.updateUser
    : null;
  return { code: json.errors?.[0]?.extensions?.code, user: user ?? null };
}

export async function circuit(gateway: GatewayServer): Promise<string> {
  const response = await fetch(new URL('/health', gateway.url));
  return ((await response.json()) as { circuit: string }).circuit;
}
