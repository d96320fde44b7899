/**
 * Entry point: config → (embedded demo API when no upstream is configured) → server → listen.
 */
import { ConfigError, loadConfig, type Config } from './config.js';
import { DEMO_API_KEY, startDemoAvara } from './demo/server.js';
import { createLogger } from './logger.js';
import { createServer } from './server.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`avara-graphql-gateway: ${error.message}\n`);
  process.exit(1);
}

const logger = createLogger(config.logLevel);

const demo = config.avaraBaseUrl === undefined ? await startDemoAvara() : undefined;
if (demo) {
  logger.warn(
    { avaraBaseUrl: demo.url },
    'AVARA_BASE_URL is unset: serving the embedded demo Avara API with seeded, fictional users',
  );
  config = { ...config, avaraBaseUrl: demo.url, avaraApiKey: config.avaraApiKey ?? DEMO_API_KEY };
}

const server = await createServer(config, { logger });
logger.info({ url: server.url }, `GraphQL gateway ready at ${server.url}`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'shutting down');
    void server
      .close()
      .then(() => demo?.close())
      .then(() => process.exit(0));
  });
}
