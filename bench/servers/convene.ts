/**
 * Convene under test, in its own process: the real `createServer` over the
 * embedded store (persistence on) in the data directory given as argv[2].
 * Reports its port over IPC and measures itself on request.
 * Optional argv[3]: JSON overrides of the test configuration (e.g. roomIdleMs).
 */
import { testConfig, type Config } from '../../server/config.ts';
import { createLogger } from '../../server/logger.ts';
import { createServer } from '../../server/app.ts';
import { openEmbeddedStore } from '../../server/store/embedded.ts';
import { serve, notify } from '../lib/ipc.ts';
import { SelfMetrics } from '../lib/metrics.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: convene.ts <dataDir> [configJson]');
const overrides = JSON.parse(process.argv[3] ?? '{}') as Partial<Config>;

const store = await openEmbeddedStore(dataDir);
// Every simulated participant shares one account (bench/lib/convene-api.ts): the per-account cap would refuse them.
const config = testConfig({ dataDir, yjsConnectionsPerAccount: Number.MAX_SAFE_INTEGER, ...overrides });
// Errors only: a log line per connection would cost the server more than the work being measured.
const server = await createServer(config, { store, logger: createLogger('error') });
const { port } = await server.listen(0, '127.0.0.1');
const metrics = new SelfMetrics();

serve({
  ...metrics.handlers(),
  /** Writes everything pending, then reports what the update log holds for a document. */
  stats: async ({ docId }: { docId: string }) => {
    await server.rooms.flushAll();
    return server.updateLog.stats(docId);
  },
  loaded: ({ docId }: { docId: string }) => server.rooms.isLoaded(docId),
});

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  // As main.ts does: write every document, close every connection, close the store.
  void (async () => {
    await server.close();
    await store.close();
    process.exit(0);
  })().catch((err: unknown) => {
    console.error('shutdown failed', err);
    process.exit(1);
  });
});

notify('ready', { port });
