/**
 * Run as a child process (`node --import tsx`): starts the demo API and the gateway configured
 * from this process's environment, as `src/index.ts` would, serves one query with a router's
 * `traceparent`, stops (which exports the last spans), and prints on one line which OpenTelemetry
 * packages were loaded, read from Node's module cache (the SDK is CommonJS).
 */
import { createRequire } from 'node:module';
import { loadConfig } from '../../src/config.js';
import { startDemoAvara } from '../../src/demo/server.js';
import { createLogger } from '../../src/logger.js';
import { createServer } from '../../src/server.js';

export const PROBE_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

const demo = await startDemoAvara();
const config = { ...loadConfig(), port: 0, avaraBaseUrl: demo.url, avaraApiKey: 'probe-key' };
const server = await createServer(config, { logger: createLogger('silent') });
const response = await fetch(server.url, {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    traceparent: `00-${PROBE_TRACE_ID}-00f067aa0ba902b7-01`,
  },
  body: JSON.stringify({
    query: 'query Probe { user(userId: "usr_1234567890abcdef1234567890abcdef") { userId } }',
  }),
});
await server.close();
await demo.close();

const packages = new Set(
  Object.keys(createRequire(import.meta.url).cache)
    .map((path) => /node_modules\/(@opentelemetry\/[^/]+)\//.exec(path)?.[1])
    .filter((name) => name !== undefined),
);
process.stdout.write(
  `${JSON.stringify({ status: response.status, avaraCalls: demo.requests.length, packages: [...packages].sort() })}\n`,
);
