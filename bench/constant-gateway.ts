/**
 * Apollo's ceiling on this machine: `node --import tsx bench/constant-gateway.ts` serves the
 * gateway's own `createServer` (same schema, plugins, limits and production logging, config from
 * the environment like `src/index.ts`) with a client that answers every call with one fixed
 * seeded user and no I/O. It logs the same "GraphQL gateway ready" line as the real gateway.
 */
import type { AvaraClient, AvaraCall } from '../src/avara/client.js';
import type { AvaraMethod } from '../src/avara/retry.js';
import type { AvaraUser } from '../src/avara/types.js';
import { loadConfig } from '../src/config.js';
import { DEMO_USERS } from '../src/demo/seed.js';
import { createLogger } from '../src/logger.js';
import { createServer } from '../src/server.js';

const SEED_USER: AvaraUser = DEMO_USERS[0] as AvaraUser;

/** Answers at once, and reports the call as the real client does, so the log line is the same. */
function answer(method: AvaraMethod, call: AvaraCall): Promise<AvaraUser> {
  call.onCallEnd?.({ method, status: 200, attempts: 1, durationMs: 0 });
  return Promise.resolve(SEED_USER);
}

/** Calls the benchmark never makes; a run that makes one is measuring the wrong thing. */
const unused = (): never => {
  throw new Error('The constant gateway answers only users.retrieve and users.update');
};

const constantClient: AvaraClient = {
  users: {
    retrieve: (_userId, call) => answer('GET', call),
    update: (_userId, _params, call) => answer('PATCH', call),
    list: unused,
    invite: unused,
    revokeAccess: unused,
    reactivate: unused,
  },
  invitations: { list: unused, retrieve: unused, update: unused, revoke: unused },
  circuit: 'closed',
  health: () => ({ circuit: 'closed', retryBudget: { remaining: 1 } }),
  close() {},
};

const config = loadConfig();
const logger = createLogger(config.logLevel);
const server = await createServer(config, { logger, client: constantClient });
logger.info({ url: server.url }, `GraphQL gateway ready at ${server.url}`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
