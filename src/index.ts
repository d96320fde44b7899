/**
 * Entry point: config → (embedded demo API when no upstream is configured) → server → listen,
 * and a graceful stop on SIGTERM/SIGINT.
 */
import { ConfigError, describeConfig, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { createServer } from './server.js';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(
    `avara-graphql-gateway: GraphQL in front of the Avara users API\n\n${describeConfig()}\n`,
  );
  process.exit(0);
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`avara-graphql-gateway: ${error.message}\n`);
  process.exit(1);
}

const logger = createLogger(config.logLevel);

// Loaded only when used: a production start never loads the demo API's code.
const demoModule = config.avaraBaseUrl === undefined ? await import('./demo/server.js') : undefined;
const demo = await demoModule?.startDemoAvara();
if (demoModule && demo) {
  logger.warn(
    { avaraBaseUrl: demo.url },
    'AVARA_BASE_URL is unset: serving the embedded demo Avara API with seeded, fictional users',
  );
  config = {
    ...config,
    avaraBaseUrl: demo.url,
    avaraApiKey: config.avaraApiKey ?? demoModule.DEMO_API_KEY,
  };
}

const server = await createServer(config, { logger }).catch((error: NodeJS.ErrnoException) => {
  // A port in use or not allowed is an operator's mistake: one line, like a bad variable.
  if (error.code !== 'EADDRINUSE' && error.code !== 'EACCES') throw error;
  process.stderr.write(
    `avara-graphql-gateway: PORT ${config.port} cannot be used (${error.code})\n`,
  );
  process.exit(1);
});
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting for in-flight operations');
      process.exit(1);
    }
    stopping = true;
    logger.info(
      { signal, delayMs: config.shutdownDelayMs, graceMs: config.shutdownGraceMs },
      'shutting down: not ready, finishing in-flight operations',
    );
    server
      .close()
      .then(() => demo?.close())
      .then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  });
}

// Only once the handlers are in place: a signal sent on the ready line must find them.
logger.info({ url: server.url }, `GraphQL gateway ready at ${server.url}`);
