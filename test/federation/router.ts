/**
 * A whole federated graph on loopback, as production would run it: the demo Avara API and our
 * gateway (the users subgraph) from the harness, the test-only studies subgraph, and the real
 * `@apollo/gateway` in an Apollo Server in front of both, every server on port 0.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { Config } from '../../src/config.js';
import {
  postGraphQL,
  startHarness,
  type GraphQLResponse,
  type Harness,
} from '../support/harness.js';
import { startStudiesSubgraph, type StudyRecord } from '../support/studies-subgraph.js';
import { supergraphSdlFor } from './supergraph.js';

/** The router's per-request context: the headers its client sent. */
interface RouterContext {
  headers: IncomingHttpHeaders;
}

/** One request the router sent a subgraph. */
export interface SubgraphRequest {
  subgraph: string;
  variables: Record<string, unknown> | undefined;
}

interface DataSourceOptions {
  name: string;
  url: string;
  routerSecret: string | undefined;
  sent: SubgraphRequest[];
}

/**
 * How a router's headers reach a subgraph (and, through our gateway, Avara): the client's
 * `Authorization` goes to every subgraph unchanged, and the router proves itself to subgraphs
 * that demand it with `Router-Authorization`. It also notes what it sends, for the tests.
 */
class HeaderForwardingDataSource extends RemoteGraphQLDataSource<RouterContext> {
  readonly #name: string;
  readonly #routerSecret: string | undefined;
  readonly #sent: SubgraphRequest[];

  constructor({ name, url, routerSecret, sent }: DataSourceOptions) {
    super({ url });
    this.#name = name;
    this.#routerSecret = routerSecret;
    this.#sent = sent;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>) {
    // Schema loads and health checks carry no client headers (a static supergraph makes none).
    const authorization = context.headers?.authorization;
    if (authorization !== undefined) request.http?.headers.set('authorization', authorization);
    if (this.#routerSecret !== undefined) {
      request.http?.headers.set('router-authorization', this.#routerSecret);
    }
    this.#sent.push({ subgraph: this.#name, variables: request.variables });
  }
}

export interface RouterOptions {
  /** What the studies subgraph serves. @default DEMO_STUDIES */
  studies?: readonly StudyRecord[];
  /** Overrides for our gateway's config, as `startHarness` takes them. */
  usersConfig?: Partial<Config>;
  /** The `Router-Authorization` the router sends every subgraph. @default none */
  routerSecret?: string;
}

export interface Router {
  /** The demo Avara API and our gateway behind the router. */
  harness: Harness;
  /** The router's GraphQL URL. */
  url: string;
  /** Every request the router sent a subgraph, in order; empty it between tests. */
  subgraphRequests: SubgraphRequest[];
  graphql(
    request: { query: string; variables?: Record<string, unknown> },
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse>;
  close(): Promise<void>;
}

export async function startRouter(options: RouterOptions = {}): Promise<Router> {
  const { studies, usersConfig = {}, routerSecret } = options;
  // Whatever has started is stopped again, in reverse, also when a later step fails (a
  // supergraph that does not compose must fail its tests, not leave servers keeping Jest alive).
  const stops: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };

  try {
    const harness = await startHarness(usersConfig);
    stops.push(() => harness.close());
    const studiesSubgraph = await startStudiesSubgraph(studies === undefined ? {} : { studies });
    stops.push(() => studiesSubgraph.close());

    const subgraphRequests: SubgraphRequest[] = [];
    const gateway = new ApolloGateway({
      supergraphSdl: supergraphSdlFor({ users: harness.gateway.url, studies: studiesSubgraph.url }),
      buildService: ({ name, url }) => {
        if (url === undefined) throw new Error(`subgraph ${name} has no URL in the supergraph`);
        return new HeaderForwardingDataSource({ name, url, routerSecret, sent: subgraphRequests });
      },
    });
    // No cast: @apollo/gateway 2.x is typed against @apollo/server-gateway-interface v1 and
    // Apollo Server 5 against v2, but both versions declare the same shapes.
    const server = new ApolloServer<RouterContext>({ gateway });
    const { url } = await startStandaloneServer(server, {
      context: async ({ req }) => ({ headers: req.headers }),
      listen: { port: 0, host: '127.0.0.1' },
    });
    stops.push(() => server.stop()); // stops the gateway too

    return {
      harness,
      url,
      subgraphRequests,
      graphql: (request, headers = {}) => postGraphQL(url, request, headers),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * One router for a `describe` block: started before its first test, stopped after its last, with
 * Avara's recordings, faults and users and the router's own log reset before every test.
 */
export function useRouter(options: RouterOptions = {}): () => Router {
  let router: Router | undefined;
  beforeAll(async () => {
    router = await startRouter(options);
  });
  afterAll(() => router?.close());
  beforeEach(() => {
    router?.harness.demo.reset();
    router?.subgraphRequests.splice(0);
  });
  return () => {
    if (router === undefined) throw new Error('the router did not start');
    return router;
  };
}
