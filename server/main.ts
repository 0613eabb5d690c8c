import { loadConfig } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { openStore } from './store/index.ts';
import { createServer, type ConveneServer } from './app.ts';
import { buildClient, clientBuildIsStale } from './http/client.ts';
import type { Store } from './store/types.ts';
import { startBackupChannel, type BackupChannel } from './backup/channel.ts';

/** How long a shutdown may take to write documents and close connections before the process exits anyway. */
const shutdownTimeoutMs = 15_000;

/**
 * Stops the server once: no new connections, every document written, every
 * connection closed, the store closed — within `shutdownTimeoutMs` — then
 * exits. A signal exits 0; a crash (uncaught exception, unhandled rejection)
 * exits 1, so that a supervisor (systemd's Restart=on-failure) starts a fresh
 * process rather than letting one in an unknown state go on serving.
 */
function shutdownOnce(logger: Logger, parts: { server?: ConveneServer; store?: Store; backup?: BackupChannel | null }) {
  let exitCode: number | undefined;
  return (reason: string, code: 0 | 1): void => {
    if (exitCode !== undefined) {
      exitCode = Math.max(exitCode, code);
      return;
    }
    exitCode = code;
    logger[code === 0 ? 'info' : 'fatal']({ reason }, 'shutting down: writing documents and closing connections');
    setTimeout(() => {
      logger.fatal({ reason }, 'shutdown took too long; exiting');
      process.exit(1);
    }, shutdownTimeoutMs);
    void (async () => {
      try {
        await parts.backup?.close();
        await parts.server?.close();
        await parts.store?.close();
      } catch (err) {
        logger.fatal({ err }, 'shutdown failed');
        exitCode = 1;
      }
      process.exit(exitCode);
    })();
  };
}

/** Reads configuration, opens the store, serves, and shuts down cleanly on SIGTERM/SIGINT — and on a crash. */
async function main(): Promise<void> {
  const dev = process.argv.includes('--dev');
  const config = loadConfig(process.env, dev);
  const logger = createLogger(config.logLevel);
  const parts: { server?: ConveneServer; store?: Store; backup?: BackupChannel | null } = {};
  const shutdown = shutdownOnce(logger, parts);

  // An error nobody caught leaves the process in a state nobody planned for: log it, save what can be saved, exit non-zero.
  let crashes = 0;
  process.on('uncaughtException', (err, origin) => {
    if (++crashes <= 5) logger.fatal({ err, origin }, 'uncaught exception');
    shutdown('uncaughtException', 1);
  });
  process.on('unhandledRejection', (reason) => {
    if (++crashes <= 5) logger.fatal({ err: reason }, 'unhandled promise rejection');
    shutdown('unhandledRejection', 1);
  });
  process.on('SIGTERM', () => shutdown('SIGTERM', 0));
  process.on('SIGINT', () => shutdown('SIGINT', 0));

  if (!dev && process.env.CLIENT_BUILD !== 'skip' && clientBuildIsStale()) {
    logger.info('building the client (first start or sources changed)…');
    await buildClient();
  }

  parts.store = await openStore({ dataDir: config.dataDir, mongodbUri: config.mongodbUri });
  // At once, so that `npm run backup` and `npm run restore` know the store is in use from now on.
  parts.backup = await startBackupChannel({ dataDir: config.dataDir, store: parts.store, flush: () => parts.server?.rooms.flushAll() ?? Promise.resolve(), logger });
  parts.server = await createServer(config, { store: parts.store, logger });
  const address = await parts.server.listen();
  logger.info({ port: address.port, store: parts.store.kind }, `Convene is listening on http://localhost:${address.port}`);
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`Convene could not start: ${message}`);
  process.exit(1);
});
