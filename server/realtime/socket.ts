import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../shared/events.ts';
import { ErrorCode } from '../../shared/errors.ts';
import type { Logger } from '../logger.ts';
import type { AccountsService } from '../accounts/accounts.service.ts';
import { sessionToken } from '../accounts/session.ts';
import { hostileRequestLog, targetForLog, wellFormedUpgrade } from '../http/malformed.ts';

export type IO = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ClientSocket = Parameters<Parameters<IO['on']>[1]>[0];

export interface SocketServerOptions {
  maxMessageBytes: number;
  /** The same origin check as REST and the Yjs endpoint (scheme, host and port; proxies per TRUST_PROXY). */
  originAllowed: (req: IncomingMessage) => boolean;
  accounts: AccountsService;
  logger: Logger;
}

/**
 * Socket.IO with the handshake authenticated from the session cookie: a
 * socket exists only for a signed-in person, and ends when their session does.
 */
export function createSocketServer(http: HttpServer, options: SocketServerOptions): IO {
  const io: IO = new Server(http, {
    maxHttpBufferSize: options.maxMessageBytes,
    // Other upgrade paths (the Yjs endpoint) belong to other handlers.
    destroyUpgrade: false,
    serveClient: false,
    // A socket that has not finished joining in 10 s is dropped.
    connectTimeout: 10_000,
    allowRequest: (req, callback) => callback(null, options.originAllowed(req)),
  });

  // Engine.IO reads its own requests and upgrades before Express: a target under /socket.io/ that does not parse, or a missing Host, gets its 400 here.
  const warn = hostileRequestLog(options.logger);
  io.engine.use((req: IncomingMessage, _res: unknown, next: (err?: Error) => void) => {
    if (wellFormedUpgrade(req)) return next();
    warn({ kind: 'malformed-socket-io', target: targetForLog(req.url) }, 'refused a Socket.IO request whose target does not parse');
    next(new Error('malformed request target'));
  });

  io.use(async (socket, next) => {
    try {
      const auth = await options.accounts.authenticate(sessionToken(socket.request));
      if (!auth) return next(Object.assign(new Error(ErrorCode.unauthenticated), { data: { code: ErrorCode.unauthenticated } }));
      socket.data.userId = auth.user._id;
      socket.data.sessionId = auth.session._id;
      const expiresIn = Date.parse(auth.session.expiresAt) - Date.now();
      const timer = setTimeout(() => socket.disconnect(true), Math.min(expiresIn, 2 ** 31 - 1));
      socket.once('disconnect', () => clearTimeout(timer));
      next();
    } catch (err) {
      options.logger.error({ err }, 'socket authentication failed');
      next(new Error(ErrorCode.internal));
    }
  });
  return io;
}
