import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../shared/events.ts';
import type { Logger } from '../logger.ts';

export type IO = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ClientSocket = Parameters<Parameters<IO['on']>[1]>[0];

export function createSocketServer(http: HttpServer, maxMessageBytes: number, logger: Logger): IO {
  const io: IO = new Server(http, {
    maxHttpBufferSize: maxMessageBytes,
    // Other upgrade paths (the Yjs endpoint) belong to other handlers.
    destroyUpgrade: false,
    serveClient: false,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000 },
  });
  io.engine.on('connection_error', (err: { code: number; message: string }) => {
    logger.debug({ code: err.code, message: err.message }, 'socket.io connection error');
  });
  return io;
}
