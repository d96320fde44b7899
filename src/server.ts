/**
 * `createServer(config)`: the one factory for the gateway, used by `npm start`, the tests and the
 * benchmark. HTTP concerns (health, request ids, router secret, body limit) sit in front of Apollo
 * Server; limits are checked before execution; shutdown drains in-flight operations.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import { createAvaraClient, type AvaraClient } from './avara/client.js';
import { DEFAULT_RETRY_POLICY } from './avara/retry.js';
import type { Config } from './config.js';
import { createContextFactory, type GatewayContext } from './context.js';
import { EXAMPLE_MUTATION, EXAMPLE_QUERY, EXAMPLE_VARIABLES } from './examples.js';
import { createFormatError } from './graphql/errors.js';
import { createLimitRules } from './graphql/limits.js';
import { userLookupBudgetPlugin } from './graphql/lookup-budget.js';
import type { Logger } from './logger.js';
import { assignRequestId, requestIdOf, requireRouterSecret, sendHttpError } from './middleware.js';
import { operationLogPlugin } from './operation-log.js';
import { createSchema } from './schema.js';

export interface GatewayServer {
  /** `http://localhost:PORT/graphql` */
  readonly url: string;
  readonly port: number;
  /**
   * Graceful stop: `/health` turns not-ready at once; after `shutdownDelayMs` new connections are
   * refused, in-flight operations get `shutdownGraceMs` to finish, then upstream sockets close.
   */
  close(): Promise<void>;
}

export interface ServerOptions {
  logger: Logger;
  /** Replaces the Avara client built from `config` (the benchmark's constant build). */
  client?: AvaraClient;
}

export async function createServer(config: Config, options: ServerOptions): Promise<GatewayServer> {
  const { logger } = options;
  const client = options.client ?? createClientFor(config);

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const httpServer = http.createServer(app);
  let accepting = true;

  const apollo = new ApolloServer<GatewayContext>({
    schema: createSchema(),
    logger,
    introspection: config.introspection,
    // No "did you mean …" hints to a client that may not see the schema.
    hideSchemaDetailsFromClientErrors: !config.introspection,
    includeStacktraceInErrorResponses: !config.production,
    formatError: createFormatError({ production: config.production }),
    parseOptions: { maxTokens: config.maxTokens },
    validationRules: createLimitRules(config),
    // Signals are the entry point's to handle: Apollo's own handler re-raises them (exit ≠ 0).
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({
        httpServer,
        stopGracePeriodMillis: config.shutdownGraceMs,
      }),
      userLookupBudgetPlugin(config.maxUserLookups),
      operationLogPlugin(),
      config.introspection
        ? ApolloServerPluginLandingPageLocalDefault({
            embed: true,
            includeCookies: false,
            document: `${EXAMPLE_QUERY}\n\n${EXAMPLE_MUTATION}\n`,
            variables: EXAMPLE_VARIABLES,
          })
        : ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  const createContext = createContextFactory({
    client,
    apiKey: config.avaraApiKey,
    logger,
    lookupConcurrency: config.lookupConcurrency,
    operationDeadlineMs: config.operationDeadlineMs,
  });

  // Liveness and readiness in one, without calling Avara: 503 from the shutdown signal on.
  app.get('/health', (_req, res) => {
    res.status(accepting ? 200 : 503).json({
      status: accepting ? 'ok' : 'shutting-down',
      ...client.health(),
    });
  });
  app.use(
    '/graphql',
    assignRequestId(),
    requireRouterSecret(config.routerSecret, logger),
    cors({ exposedHeaders: ['x-request-id'] }),
    express.json({ limit: config.maxBodyBytes }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) =>
        createContext({ headers: req.headers, requestId: requestIdOf(res) }),
    }),
  );
  app.use(sendHttpError(config.maxBodyBytes, logger));

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await apollo.stop();
    client.close();
    throw error;
  }
  const { port } = httpServer.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    url: `http://localhost:${port}/graphql`,
    port,
    close() {
      closing ??= (async () => {
        accepting = false;
        if (config.shutdownDelayMs > 0) await sleep(config.shutdownDelayMs);
        await apollo.stop();
        client.close();
      })();
      return closing;
    },
  };
}

function createClientFor(config: Config): AvaraClient {
  if (config.avaraBaseUrl === undefined) {
    throw new Error('createServer needs config.avaraBaseUrl or a client');
  }
  return createAvaraClient({
    baseUrl: config.avaraBaseUrl,
    timeoutMs: config.avaraTimeoutMs,
    maxResponseBytes: config.avaraMaxResponseBytes,
    retry: {
      ...DEFAULT_RETRY_POLICY,
      maxRetries: config.avaraMaxRetries,
      baseDelayMs: config.avaraRetryBaseDelayMs,
      maxDelayMs: config.avaraRetryMaxDelayMs,
    },
    protection: {
      maxConcurrency: config.avaraMaxConcurrency,
      maxQueue: config.avaraMaxQueue,
      maxConcurrencyPerCredential: config.avaraMaxConcurrencyPerCredential,
      maxQueuePerCredential: config.avaraMaxQueue,
      breaker: {
        failureRatio: config.avaraBreakerFailureRatio,
        minAttempts: config.avaraBreakerMinAttempts,
        windowMs: config.avaraBreakerWindowMs,
        openMs: config.avaraBreakerHalfOpenMs,
      },
      retryBudget: {
        ratio: config.avaraRetryBudgetRatio,
        minRetriesPerSecond: config.avaraRetryBudgetMinPerSecond,
        windowMs: config.avaraRetryBudgetWindowMs,
      },
    },
  });
}
