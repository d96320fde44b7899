/**
 * An Avara client with a bug of ours in it: every verb throws a plain `TypeError`, for the tests
 * of how unexpected errors are masked and logged.
 */
import type { AvaraClient } from '../../src/avara/client.js';

export function createBuggyClient(message: string): AvaraClient {
  const fail = async (): Promise<never> => {
    throw new TypeError(message);
  };
  return {
    users: {
      retrieve: fail,
      update: fail,
      list: fail,
      invite: fail,
      revokeAccess: fail,
      reactivate: fail,
    },
    invitations: { list: fail, retrieve: fail, update: fail, revoke: fail },
    circuit: 'closed',
    health: () => ({ circuit: 'closed', retryBudget: { remaining: 1 } }),
    close: () => undefined,
  };
}
