/**
 * The per-request context: who is calling (their credential and request id) and fresh
 * DataLoaders, so nothing is shared or cached between requests.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Context } from '@opentelemetry/api';
import DataLoader from 'dataloader';
import pLimit from 'p-limit';
import type { AvaraCall, AvaraClient, UpstreamCallRecord } from './avara/client.js';
import { isAvaraNotFound } from './avara/errors.js';
import type { AvaraInvitation, AvaraUser } from './avara/types.js';
import { chooseCredential, createCredentialRedactor } from './credentials.js';
import { MissingCredentialError } from './graphql/errors.js';
import { createPageReadBudget, EXTRA_PAGE_READS_PER_OPERATION } from './graphql/pagination.js';
import type { Logger } from './logger.js';
import type { TraceIds } from './observability/tracing.js';

export interface GatewayContext {
  /** This request's id: the caller's `x-request-id`, or a new one. Sent to Avara. */
  requestId: string;
  logger: Logger;
  /** Every upstream call this operation made, for its log line. */
  upstreamCalls: UpstreamCallRecord[];
  /** Users by id for this request; `null` for an id Avara does not know. */
  userLoader: DataLoader<string, AvaraUser | null>;
  /** Invitations by id for this request; `null` for an id Avara does not know. */
  invitationLoader: DataLoader<string, AvaraInvitation | null>;
  /** Every Avara verb, sent with this request's credential, request id and deadline. */
  avara: RequestAvara;
  /** Whether this operation's list fields may read one more page (pagination.ts). */
  mayReadAnotherPage: () => boolean;
  /**
   * Whether the operation's log line was written; an object so that Apollo Server's shallow
   * copies of the context share it (the HTTP edge logs requests GraphQL never ran).
   */
  readonly logLine: { written: boolean; readonly warned: Set<string> };
  /** Cuts the credential this request sends upstream out of a text (an upstream message). */
  redactCredential(text: string): string;
  /**
   * Tracing on: the request's span context, then the operation's (parent of Avara calls), and the
   * operation span's ids for its log line. One object, because Apollo Server hands plugins and
   * resolvers a shallow copy of the context: the copies share it.
   */
  readonly trace: { context?: Context; ids?: TraceIds };
}

/** The client's verbs with the per-request `AvaraCall` already given. */
export type RequestAvara = {
  [Resource in 'users' | 'invitations']: {
    [Verb in keyof AvaraClient[Resource]]: AvaraClient[Resource][Verb] extends (
      ...args: [...infer Args, AvaraCall]
    ) => infer Result
      ? (...args: Args) => Result
      : never;
  };
};

export interface ContextOptions {
  client: AvaraClient;
  /** The gateway's own key, used when a request brings no `Authorization` header. */
  apiKey: string | undefined;
  logger: Logger;
  /** Most user, invitation and list-page GETs one operation sends at once, each. @default 8 */
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
    traceContext,
  }: {
    headers: IncomingHttpHeaders;
    /** Every `Authorization` header of the request, kept apart (`req.headersDistinct`). */
    authorizations: readonly string[] | undefined;
    requestId: string;
    traceContext?: Context;
  }): Promise<GatewayContext> => {
    const credential = chooseCredential(authorizations, fallbackAuthorization);
    const upstreamCalls: UpstreamCallRecord[] = [];
    // List pages one operation reads at once: 100 aliased list fields must not take every socket
    // and queue place the process shares with other callers (the loaders have their own cap).
    const listReads = pLimit(lookupConcurrency);
    const deadline = Date.now() + operationDeadlineMs;
    // Without a usable credential nothing is sent: every call fails before reaching the client.
    const call = (): AvaraCall => {
      if (credential.kind === 'refused') throw new MissingCredentialError(credential.reason);
      return {
        authorization: credential.authorization,
        requestId,
        deadline,
        onCallEnd: (record) => upstreamCalls.push(record),
        traceContext: trace.context, // the operation's, set once its span started
      };
    };

    const trace: GatewayContext['trace'] = { context: traceContext };
    return {
      trace,
      requestId,
      logger,
      upstreamCalls,
      logLine: { written: false, warned: new Set() },
      redactCredential: createCredentialRedactor(
        credential.kind === 'present' ? credential.authorization : undefined,
      ),
      userLoader: createLoader(
        (userId) => client.users.retrieve(userId, call()),
        lookupConcurrency,
      ),
      mayReadAnotherPage: createPageReadBudget(EXTRA_PAGE_READS_PER_OPERATION),
      invitationLoader: createLoader(
        (invitationId) => client.invitations.retrieve(invitationId, call()),
        lookupConcurrency,
      ),
      avara: {
        users: {
          retrieve: async (userId) => client.users.retrieve(userId, call()),
          update: async (userId, params) => client.users.update(userId, params, call()),
          list: async (params) => listReads(() => client.users.list(params, call())),
          invite: async (params) => client.users.invite(params, call()),
          revokeAccess: async (userId) => client.users.revokeAccess(userId, call()),
          reactivate: async (userId) => client.users.reactivate(userId, call()),
        },
        invitations: {
          list: async (params) => listReads(() => client.invitations.list(params, call())),
          retrieve: async (invitationId) => client.invitations.retrieve(invitationId, call()),
          update: async (invitationId, params) =>
            client.invitations.update(invitationId, params, call()),
          revoke: async (params) => client.invitations.revoke(params, call()),
        },
      },
    };
  };
}

/**
 * One loader per request: duplicate ids collapse into one GET, at most `concurrency` GETs run at
 * once, and each id gets its own answer: the resource, `null` when Avara does not know it, or its
 * own error, so one failing id does not fail the others.
 */
export function createLoader<Resource>(
  retrieve: (id: string) => Promise<Resource>,
  concurrency: number,
): DataLoader<string, Resource | null> {
  return new DataLoader((ids) => {
    const limit = pLimit(concurrency);
    return Promise.all(
      ids.map((id) =>
        limit(async () => {
          try {
            return await retrieve(id);
          } catch (error) {
            if (isAvaraNotFound(error)) return null;
            return error instanceof Error ? error : new Error(String(error));
          }
        }),
      ),
    );
  });
}

/** The users loader, by the name its tests know. */
export const createUserLoader = createLoader<AvaraUser>;
