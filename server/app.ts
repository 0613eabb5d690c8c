import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import express from 'express';
import helmet from 'helmet';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Store } from './store/types.ts';
import { DomainEventBus } from './events.ts';
import { ConsultationsService } from './consultations/consultations.service.ts';
import { ensureConsultationIndexes } from './consultations/consultations.repository.ts';
import { consultationsRoutes } from './consultations/consultations.routes.ts';
import { consultationEvents } from './consultations/consultations.events.ts';
import { DocumentsService } from './documents/documents.service.ts';
import { ensureDocumentIndexes } from './documents/documents.repository.ts';
import { documentsRoutes } from './documents/documents.routes.ts';
import { UpdateLog } from './collab/persistence.ts';
import { RoomRegistry } from './collab/rooms.ts';
import { attachYjsEndpoint } from './collab/yjs.endpoint.ts';
import { createSocketServer } from './realtime/socket.ts';
import { apiNotFound, errorHandler } from './http/errors.middleware.ts';
import { serveClient, projectRoot } from './http/client.ts';
import { CloseCode } from '../shared/errors.ts';
import type { Health } from '../shared/schemas.ts';

export const version: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface ServerDeps {
  store: Store;
  logger: Logger;
}

export interface ConveneServer {
  readonly http: http.Server;
  readonly rooms: RoomRegistry;
  readonly documents: DocumentsService;
  readonly updateLog: UpdateLog;
  listen(port?: number, host?: string): Promise<AddressInfo>;
  /** Stops taking connections, writes every document, closes every connection. Leaves the store open. */
  close(): Promise<void>;
}

/**
 * Builds the whole server — REST, Socket.IO and the Yjs endpoint on one HTTP
 * server — around a store the caller opened. `main.ts` and the tests both use it.
 */
export async function createServer(config: Config, { store, logger }: ServerDeps): Promise<ConveneServer> {
  await Promise.all([ensureConsultationIndexes(store), ensureDocumentIndexes(store)]);
  const updateLog = new UpdateLog(store);
  await updateLog.ensureIndexes();

  const events = new DomainEventBus();
  const consultations = new ConsultationsService(store);
  const documents = new DocumentsService(store, consultations, events);

  const app = express();
  const server = http.createServer(app);
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: config.dev ? false : { directives: { 'connect-src': ["'self'", 'ws:', 'wss:'] } },
    }),
  );

  const api = express.Router();
  api.use(express.json({ limit: config.limits.httpBodyBytes }));
  api.get('/health', (_req, res) => {
    res.json({ status: 'ok', store: store.kind, version } satisfies Health);
  });
  api.use(consultationsRoutes(consultations));
  api.use(documentsRoutes(documents));
  api.use(apiNotFound);
  api.use(errorHandler(logger));
  app.use('/api', api);

  const closeClient = await serveClient(app, server, config.dev);
  app.use(errorHandler(logger));

  const rooms = new RoomRegistry(updateLog, config.persistence, config.roomIdleMs, logger);
  const yjs = attachYjsEndpoint(server, {
    rooms,
    documentExists: (id) => documents.exists(id),
    maxMessageBytes: config.limits.yjsMessageBytes,
    logger,
  });

  const io = createSocketServer(server, config.limits.socketMessageBytes, logger);
  io.on('connection', consultationEvents(io, consultations, events, logger));

  let closing: Promise<void> | undefined;
  return {
    http: server,
    rooms,
    documents,
    updateLog,
    listen(port = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    close() {
      closing ??= (async () => {
        const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        await rooms.closeAll(CloseCode.goingAway, 'Server shutting down');
        yjs.close();
        await io.close().catch(() => undefined);
        server.closeAllConnections();
        await Promise.all([httpClosed, closeClient()]);
        events.removeAllListeners();
      })();
      return closing;
    },
  };
}

export { projectRoot };
