import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/events.ts';
import { whenPageSettled } from './page-settled.ts';

export type ConveneSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: Promise<ConveneSocket> | null = null;
let authLostHandler: (() => void) | null = null;

/**
 * Called when the server refuses or ends the socket (its session ended or
 * never existed): Socket.IO does not retry those by itself.
 */
export function onSocketAuthLost(handler: () => void): void {
  authLostHandler = handler;
}

/**
 * One Socket.IO connection per tab and per session, opened the first time a
 * page needs live updates, once the page has settled (see `whenPageSettled`).
 * The library itself is only downloaded then.
 */
export function getSocket(): Promise<ConveneSocket> {
  socket ??= whenPageSettled()
    .then(() => import('socket.io-client'))
    .then(({ io }) => {
      const created = io() as ConveneSocket;
      created.on('connect_error', (error) => {
        if (error.message === 'unauthenticated') authLostHandler?.();
      });
      created.on('disconnect', (reason) => {
        if (reason === 'io server disconnect') authLostHandler?.();
      });
      return created;
    });
  return socket;
}

/** The socket if one was opened, without opening one. */
export function existingSocket(): Promise<ConveneSocket> | null {
  return socket;
}

/** Reconnects after the server dropped the socket while the session is still valid. */
export function reconnectSocket(): void {
  void socket?.then((s) => {
    if (!s.connected) s.connect();
  });
}

/** Closes the socket for good: after signing in, out, or when the session ends. */
export function resetSocket(): void {
  const current = socket;
  socket = null;
  void current?.then((s) => {
    s.removeAllListeners();
    s.disconnect();
  });
}
