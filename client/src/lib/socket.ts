import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/events.ts';

export type ConveneSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: Promise<ConveneSocket> | null = null;

/**
 * One Socket.IO connection per tab, opened the first time a page needs live
 * updates. The library itself is only downloaded then.
 */
export function getSocket(): Promise<ConveneSocket> {
  socket ??= import('socket.io-client').then(({ io }) => io() as ConveneSocket);
  return socket;
}
