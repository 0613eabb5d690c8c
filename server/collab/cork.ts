import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

interface Corkable {
  socket: Socket;
  corked: boolean;
  /** Frames written since it was corked. */
  held: number;
}

/**
 * A server catching up on a backlog can spend a long turn on one socket's
 * input; what it relays meanwhile leaves in writes of this many frames rather
 * than all at the end.
 */
const maxHeld = 64;

/** Sockets corked during this turn of the event loop, uncorked together once its I/O is handled. */
const pending: Corkable[] = [];

function uncorkAll(): void {
  for (const c of pending.splice(0)) {
    c.corked = false;
    c.held = 0;
    c.socket.uncork();
  }
}

/**
 * Sends on a WebSocket so that every frame written to it during one turn of
 * the event loop leaves in a single system call. On loopback and on busy
 * servers each write is a `writev` that costs more than everything else about
 * relaying an update, and a room often sends one person several frames at
 * once (a burst of keystrokes in a small room, text and cursors together).
 *
 * `ws` keeps its TCP socket in `_socket`; corking it only holds the writes
 * `ws` makes anyway until the current I/O phase is over.
 */
export function corkedSender(ws: WebSocket): (data: Uint8Array) => void {
  const socket = (ws as unknown as { _socket?: Socket })._socket;
  const state: Corkable | undefined = socket && { socket, corked: false, held: 0 };
  return (data) => {
    if (state && !state.corked && ws.readyState === ws.OPEN) {
      state.corked = true;
      state.socket.cork();
      if (pending.length === 0) setImmediate(uncorkAll);
      pending.push(state);
    }
    ws.send(data);
    if (state?.corked && ++state.held >= maxHeld) {
      // Let these go now and keep holding what follows.
      state.held = 0;
      state.socket.uncork();
      state.socket.cork();
    }
  };
}
