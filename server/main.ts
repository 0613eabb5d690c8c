import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { openStore } from './store/index.ts';
import { createServer } from './app.ts';
import { buildClient, clientBuildIsStale } from './http/client.ts';

/** Reads configuration, opens the store, serves, and shuts down cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const dev = process.argv.includes('--dev');
  const config = loadConfig(process.env, dev);
  const logger = createLogger(config.logLevel);

  if (!dev && process.env.CLIENT_BUILD !== 'skip' && clientBuildIsStale()) {
    logger.info('building the client (first start or sources changed)…');
    await buildClient();
  }

  const store = await openStore({ dataDir: config.dataDir, mongodbUri: config.mongodbUri });
  const server = await createServer(config, { store, logger });
  const address = await server.listen();
  logger.info({ port: address.port, store: store.kind }, `Convene is listening on http://localhost:${address.port}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: writing documents and closing connections');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 15_000);
    try {
      await server.close();
      await store.close();
      clearTimeout(force);
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`Convene could not start: ${message}`);
  process.exit(1);
});
