/**
 * `createServer(config)`: the one factory for the gateway, used by `npm start`, the tests and the
 * benchmark. A bare `node:http` server with deliberate timeouts and a connection cap; `/health`
 * and `/graphql` (the edge in `src/http/`, then Apollo Server); limits are checked before
 * execution; shutdown drains in-flight operations.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { createAvaraClient, type AvaraClient } from './avara/client.js';
import type { AvaraInstrumentation } from './avara/instrumentation.js';
import { DEFAULT_RETRY_POLICY } from './avara/retry.js';
import type { Config } from './config.js';
import { createContextFactory, type GatewayContext } from './context.js';
import { EXAMPLE_DOCUMENT, EXAMPLE_DOCUMENT_VARIABLES } from './examples.js';
import { createFormatError } from './graphql/errors.js';
import { createLimitRules } from './graphql/limits.js';
import { userLookupBudgetPlugin } from './graphql/lookup-budget.js';
import { supportedOperationTypesRule } from './graphql/operation-types.js';
import { startReadingBody } from './http/body.js';
import { createCorsPolicy } from './http/cors.js';
import { createGraphQLHandler } from './http/graphql-handler.js';
import { oneRequestAtATime } from './http/one-at-a-time.js';
import { createRouterSecretCheck } from './http/router-secret.js';
import type { Logger } from './logger.js';
import { createTelemetry } from './observability/telemetry.js';
import { telemetryPlugin } from './observability/telemetry-plugin.js';
import { operationLogPlugin } from './operation-log.js';
import { createSchema } from './schema.js';

/** Unanswered requests one connection may queue behind the one running (HTTP/1.1 pipelining). */
const PIPELINED_REQUESTS_QUEUED = 8;

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
  const telemetry = await createTelemetry(config, { circuitState: () => client.circuit });
  const client = options.client ?? createClientFor(config, telemetry.instrumentation);
  let accepting = true;

  const httpServer = http.createServer({
    // Node's defaults hold a slow client for minutes (headers 60 s, request 300 s).
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    // How often those two are checked (Node's default, 30 s, would add up to 30 s to each).
    connectionsCheckingInterval: Math.min(1_000, Math.ceil(config.headersTimeoutMs / 4)),
  });
  httpServer.maxConnections = config.maxConnections;
  // No socket inactivity timeout while an operation waits on Avara: the operation deadline bounds
  // that, and a client that stops reading is cut off by the write timeout.
  httpServer.timeout = 0;

  const apollo = new ApolloServer<GatewayContext>({
    schema: createSchema(),
    logger,
    introspection: config.introspection,
    // No "did you mean …" hints to a client that may not see the schema.
    hideSchemaDetailsFromClientErrors: !config.introspection || config.production,
    includeStacktraceInErrorResponses: !config.production,
    formatError: createFormatError({
      production: config.production,
      stripSuggestions: config.production || !config.introspection,
    }),
    parseOptions: { maxTokens: config.maxTokens },
    validationRules: [...createLimitRules(config), supportedOperationTypesRule],
    // Signals are the entry point's to handle: Apollo's own handler re-raises them (exit ≠ 0).
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({
        httpServer,
        stopGracePeriodMillis: config.shutdownGraceMs,
      }),
      userLookupBudgetPlugin(config.maxUserLookups),
      ...(telemetry.metrics || telemetry.tracing ? [telemetryPlugin(telemetry)] : []),
      operationLogPlugin(),
      inlineTracePlugin(config),
      config.introspection
        ? ApolloServerPluginLandingPageLocalDefault({
            embed: true,
            includeCookies: false,
            document: `${EXAMPLE_DOCUMENT}\n`,
            variables: EXAMPLE_DOCUMENT_VARIABLES,
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
  const handleGraphQL = createGraphQLHandler({
    apollo,
    // The request's server span (tracing on) is found by the headers the handler passes on.
    createContext: (input) =>
      createContext({ ...input, traceContext: telemetry.traceContextOf(input.headers) }),
    // The landing page is served exactly when introspection is on.
    cors: createCorsPolicy(config.corsOrigins, { servesPages: config.introspection }),
    isFromRouter: createRouterSecretCheck(config.routerSecret),
    logger,
    maxBodyBytes: config.maxBodyBytes,
    maxResponseBytes: config.maxResponseBytes,
    writeTimeoutMs: config.writeTimeoutMs,
  });

  // Every request as it arrives (a pipelined one waits its turn inside the span), /health and
  // /metrics included: the server span and the duration histogram.
  httpServer.on('request', telemetry.observeRequest);
  const handleRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const path = pathOf(req.url);
    if (path === '/graphql') {
      handleGraphQL(req, res).catch((error: unknown) =>
        logger.error({ err: error }, 'unexpected HTTP error'),
      );
    } else if (path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      // Liveness and readiness in one, without calling Avara: 503 from the shutdown signal on.
      sendJson(res, accepting ? 200 : 503, {
        status: accepting ? 'ok' : 'shutting-down',
        ...client.health(),
      });
    } else if (path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) {
      // Open like /health: no upstream call, no router secret (a scraper is not the router).
      telemetry
        .writeMetrics(res)
        .then((written) => written || sendNotFound(res))
        .catch((error: unknown) => logger.error({ err: error }, 'unexpected HTTP error'));
    } else {
      sendNotFound(res);
    }
  };
  httpServer.on(
    'request',
    oneRequestAtATime(handleRequest, {
      onTooManyQueued: () =>
        logger.info(
          { maxQueued: PIPELINED_REQUESTS_QUEUED },
          'closed a connection that pipelined too many requests',
        ),
      maxQueued: PIPELINED_REQUESTS_QUEUED,
      // Only a POST's body is ever used; any other's is discarded as it arrives.
      onQueued: (req) => {
        if (req.method === 'POST') startReadingBody(req, config.maxBodyBytes);
        else req.resume();
      },
    }),
  );

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
    await telemetry.close();
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
        await telemetry.close(); // exports the last spans
      })();
      return closing;
    },
  };
}

/**
 * Inline traces (`ftv1`) show every field's timing and errors: only for a router, which a request
 * has proven by its `Router-Authorization` when `ROUTER_SECRET` is set (the edge refuses any other
 * request), and in development; never to an anonymous caller in production.
 */
function inlineTracePlugin({ routerSecret, production }: Config) {
  return routerSecret !== undefined || !production
    ? ApolloServerPluginInlineTrace({ includeErrors: { masked: true } })
    : ApolloServerPluginInlineTraceDisabled();
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function sendNotFound(res: http.ServerResponse): void {
  sendJson(res, 404, {
    errors: [{ message: 'Not found: GraphQL is at /graphql', extensions: { code: 'NOT_FOUND' } }],
  });
}

function createClientFor(
  config: Config,
  instrumentation: AvaraInstrumentation | undefined,
): AvaraClient {
  if (config.avaraBaseUrl === undefined) {
    throw new Error('createServer needs config.avaraBaseUrl or a client');
  }
  return createAvaraClient({
    baseUrl: config.avaraBaseUrl,
    timeoutMs: config.avaraTimeoutMs,
    maxResponseBytes: config.avaraMaxResponseBytes,
    instrumentation,
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
