/**
 * `createServer(config)`: the one factory for the gateway, used by `npm start`, the tests and the
 * benchmark. HTTP concerns (health, router secret, body limit) sit in front of Apollo Server.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { createAvaraClient, type AvaraClient } from './avara/client.js';
import { DEFAULT_RETRY_POLICY } from './avara/retry.js';
import type { Config } from './config.js';
import { createContextFactory, type GatewayContext } from './context.js';
import { EXAMPLE_MUTATION, EXAMPLE_QUERY, EXAMPLE_VARIABLES } from './examples.js';
import { createFormatError } from './graphql/errors.js';
import { userLookupBudgetPlugin } from './graphql/lookup-budget.js';
import type { Logger } from './logger.js';
import { createSchema } from './schema.js';

/** Largest accepted request body (contract: 100 kB, else HTTP 413). */
const BODY_LIMIT = '100kb';

export interface GatewayServer {
  /** `http://localhost:PORT/graphql` */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets in-flight requests finish, closes upstream sockets. */
  close(): Promise<void>;
}

export interface ServerOptions {
  logger: Logger;
  /** Replaces the Avara client built from `config` (the benchmark's constant build). */
  client?: AvaraClient;
}

export async function createServer(config: Config, options: ServerOptions): Promise<GatewayServer> {
  const { logger } = options;
  if (config.avaraBaseUrl === undefined && options.client === undefined) {
    throw new Error('createServer needs config.avaraBaseUrl or a client');
  }
  const client =
    options.client ??
    createAvaraClient({
      baseUrl: config.avaraBaseUrl ?? '',
      timeoutMs: config.avaraTimeoutMs,
      retry: {
        ...DEFAULT_RETRY_POLICY,
        maxRetries: config.avaraMaxRetries,
        baseDelayMs: config.avaraRetryBaseDelayMs,
        maxDelayMs: config.avaraRetryMaxDelayMs,
      },
    });

  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);

  const apollo = new ApolloServer<GatewayContext>({
    schema: createSchema(),
    logger,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: !config.production,
    formatError: createFormatError({
      production: config.production,
      onUnexpectedError: (error) => logger.error({ err: error }, 'unexpected error'),
    }),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      userLookupBudgetPlugin(config.maxUserLookups),
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

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(
    '/graphql',
    requireRouterSecret(config.routerSecret),
    cors(),
    express.json({ limit: BODY_LIMIT }),
    expressMiddleware(apollo, {
      context: createContextFactory({
        client,
        apiKey: config.avaraApiKey,
        logger,
        lookupConcurrency: config.lookupConcurrency,
      }),
    }),
  );
  app.use(sendHttpError);

  await new Promise<void>((resolve) => httpServer.listen(config.port, resolve));
  const { port } = httpServer.address() as AddressInfo;

  return {
    url: `http://localhost:${port}/graphql`,
    port,
    async close() {
      await apollo.stop();
      client.close();
    },
  };
}

/** A subgraph answers its router, not the open internet (contract: `ROUTER_SECRET`). */
function requireRouterSecret(secret: string | undefined): RequestHandler {
  if (secret === undefined) return (_req, _res, next) => next();
  const expected = digest(secret);
  return (req, res, next) => {
    const given = req.get('router-authorization');
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return next();
    res.status(401).json({
      errors: [
        {
          message: 'This subgraph only answers its router',
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
  };
}

// Digests of equal length, so the comparison takes the same time whatever was sent.
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Errors raised before GraphQL runs (body too large, unreadable JSON), as GraphQL errors. */
const sendHttpError: ErrorRequestHandler = (
  error: { status?: number; type?: string },
  _req,
  res,
  next,
) => {
  if (res.headersSent) return next(error);
  const status =
    error.status !== undefined && error.status >= 400 && error.status < 500 ? error.status : 500;
  const message =
    status === 413
      ? `Request body larger than ${BODY_LIMIT}`
      : status === 500
        ? 'Internal server error'
        : 'Request body is not valid JSON';
  res.status(status).json({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
};
