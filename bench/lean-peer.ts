/**
 * The lean peer, the baseline the gateway's edge is judged against: `node --import tsx
 * bench/lean-peer.ts` serves the same schema with Apollo Server 5 behind a bare `node:http`
 * server, resolvers that call the demo Avara with `fetch`, and nothing else: no validation,
 * limits, retries, protection, CORS, request ids or logging. Configured from the environment like
 * the gateway (`AVARA_BASE_URL`, `AVARA_API_KEY`, `PORT`), it logs the same ready line.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { GraphQLError } from 'graphql';
import { toClinicRole } from '../src/graphql/enums.js';
import { typeDefs } from '../src/schema.js';

interface PeerContext {
  authorization: string;
}

const baseUrl = process.env.AVARA_BASE_URL ?? '';
const apiKey = process.env.AVARA_API_KEY ?? '';
const port = Number(process.env.PORT ?? 0);

async function avara(
  method: string,
  userId: string,
  { authorization }: PeerContext,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${baseUrl}/v1/viewer/users/${userId}`, {
    method,
    headers: { authorization, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (response.status === 404) return null;
  if (!response.ok) throw new GraphQLError(`Avara answered ${response.status}`);
  return response.json();
}

const resolvers = {
  Query: {
    user: (_: unknown, { userId }: { userId: string }, context: PeerContext) =>
      avara('GET', userId, context),
  },
  Mutation: {
    updateUser: (
      _: unknown,
      { userId, input }: { userId: string; input: unknown },
      context: PeerContext,
    ) => avara('PATCH', userId, context, input),
  },
  User: {
    clinicRole: ({ clinicRole }: { clinicRole: string | null }) =>
      clinicRole === null ? null : toClinicRole(clinicRole),
  },
};

const apollo = new ApolloServer<PeerContext>({
  schema: buildSubgraphSchema([
    { typeDefs, resolvers: resolvers as GraphQLResolverMap<PeerContext> },
  ]),
  introspection: false,
});
await apollo.start();

const server = http.createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = req.url ?? '';
  const query = url.indexOf('?');
  const result = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: req.method ?? 'GET',
      headers,
      search: query === -1 ? '' : url.slice(query),
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    },
    context: async () => ({ authorization: req.headers.authorization ?? `Bearer ${apiKey}` }),
  });
  res.writeHead(result.status ?? 200, Object.fromEntries(result.headers));
  res.end(result.body.kind === 'complete' ? result.body.string : '');
});
server.listen(port, () => {
  const url = `http://localhost:${(server.address() as AddressInfo).port}/graphql`;
  process.stdout.write(
    `${JSON.stringify({ level: 30, url, msg: `GraphQL gateway ready at ${url}` })}\n`,
  );
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close();
    void apollo.stop().then(() => process.exit(0));
  });
}
