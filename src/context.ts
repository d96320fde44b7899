/**
 * The per-request context: who is calling (their credential and request id) and fresh
 * DataLoaders, so nothing is shared or cached between requests.
 */
import type { IncomingHttpHeaders } from 'node:http';
import DataLoader from 'dataloader';
import pLimit from 'p-limit';
import type { AvaraCall, AvaraClient, UpstreamCallRecord } from './avara/client.js';
import { isAvaraNotFound } from './avara/errors.js';
import type { AvaraUser, AvaraUserUpdateParams } from './avara/types.js';
import { chooseCredential, createCredentialRedactor } from './credentials.js';
import { MissingCredentialError } from './graphql/errors.js';
import type { Logger } from './logger.js';

export interface GatewayContext {
  /** This request's id: the caller's `x-request-id`, or a new one. Sent to Avara. */
  requestId: string;
  logger: Logger;
  /** Every upstream call this operation made, for its log line. */
  upstreamCalls: UpstreamCallRecord[];
  /** Users by id for this request; `null` for an id Avara does not know. */
  userLoader: DataLoader<string, AvaraUser | null>;
  /**
   * Whether the operation's log line was written; an object so that Apollo Server's shallow
   * copies of the context share it (the HTTP edge logs requests GraphQL never ran).
   */
  readonly logLine: { written: boolean; readonly warned: Set<string> };
  /** Cuts the credential this request sends upstream out of a text (an upstream message). */
  redactCredential(text: string): string;
  /** Changes a user with this request's credential. */
  updateUser(userId: string, params: AvaraUserUpdateParams): Promise<AvaraUser>;
}

export interface ContextOptions {
  client: AvaraClient;
  /** The gateway's own key, used when a request brings no `Authorization` header. */
  apiKey: string | undefined;
  logger: Logger;
  /** Most user GETs one operation sends at once. @default 8 */
  lookupConcurrency?: number;
  /** Time one operation may spend on Avara, retries included. @default 25000 */
  operationDeadlineMs?: number;
}

export function createContextFactory({
  client,
  apiKey,
  logger,
  lookupConcurrency = 8,
  operationDeadlineMs = 25_000,
}: ContextOptions) {
  const fallbackAuthorization = apiKey === undefined ? undefined : `Bearer ${apiKey}`;

  return async ({
    authorizations,
    requestId,
  }: {
    headers: IncomingHttpHeaders;
    /** Every `Authorization` header of the request, kept apart (`req.headersDistinct`). */
    authorizations: readonly string[] | undefined;
    requestId: string;
  }): Promise<GatewayContext> => {
    const credential = chooseCredential(authorizations, fallbackAuthorization);
    const upstreamCalls: UpstreamCallRecord[] = [];
    const deadline = Date.now() + operationDeadlineMs;
    // Without a usable credential nothing is sent: every call fails before reaching the client.
    const call = (): AvaraCall => {
      if (credential.kind === 'refused') throw new MissingCredentialError(credential.reason);
      return {
        authorization: credential.authorization,
        requestId,
        deadline,
        onCallEnd: (record) => upstreamCalls.push(record),
      };
    };

    return {
      requestId,
      logger,
      upstreamCalls,
      logLine: { written: false, warned: new Set() },
      redactCredential: createCredentialRedactor(
        credential.kind === 'present' ? credential.authorization : undefined,
      ),
      userLoader: createUserLoader(
        (userId) => client.users.retrieve(userId, call()),
        lookupConcurrency,
      ),
      updateUser: async (userId, params) => client.users.update(userId, params, call()),
    };
  };
}

/**
 * One loader per request: duplicate ids collapse into one GET, at most `concurrency` GETs run at
 * once, and each id gets its own answer: a user, `null` when Avara does not know it, or its own
 * error, so one failing id does not fail the others.
 */
export function createUserLoader(
  retrieve: (userId: string) => Promise<AvaraUser>,
  concurrency: number,
): DataLoader<string, AvaraUser | null> {
  return new DataLoader((userIds) => {
    const limit = pLimit(concurrency);
    return Promise.all(
      userIds.map((userId) =>
        limit(async () => {
          try {
            return await retrieve(userId);
          } catch (error) {
            if (isAvaraNotFound(error)) return null;
            return error instanceof Error ? error : new Error(String(error));
          }
        }),
      ),
    );
  });
}
