import type { Socket } from 'node:net';
import * as wsModule from 'ws';
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

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}

/** `ws` exports the frame builder `ws.send` uses; its type definitions leave it out. */
const { Sender } = wsModule as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } };

/** `ws`'s frame writer: `sendFrame` writes a frame built by `Sender.frame`, as `ws.send` does after building it. */
interface FrameWriter {
  sendFrame(list: Buffer[], cb?: () => void): void;
}

/** Below this size a frame's header and payload are joined into one buffer: one write instead of two. */
const joinBelow = 16 * 1024;

/** The WebSocket frame of each message sent, built once however many people it goes to. */
const frames = new WeakMap<Uint8Array, Buffer[]>();

function frameOf(data: Uint8Array): Buffer[] {
  let frame = frames.get(data);
  if (!frame) {
    const payload = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const [header, body] = Sender.frame(payload, { fin: true, opcode: 2, mask: false, readOnly: false, rsv1: false }) as [Buffer, Buffer];
    frame = data.byteLength < joinBelow ? [Buffer.concat([header, body])] : [header, body];
    frames.set(data, frame);
  }
  return frame;
}

/**
 * Sends on a WebSocket so that every frame written to it during one turn of
 * the event loop leaves in a single system call. On loopback and on busy
 * servers each write is a `writev` that costs more than everything else about
 * relaying an update, and a room often sends one person several frames at
 * once (a burst of keystrokes in a small room, text and cursors together).
 *
 * A message relayed to many people is framed once: `ws.send` would build the
 * same WebSocket header for every one of them, and write header and payload
 * separately (a tenth of the time each send costs this process).
 *
 * `ws` keeps its TCP socket in `_socket` and its frame writer in `_sender`
 * (Socket.IO's broadcasts use the same writer for the same reason); corking
 * the socket only holds the writes `ws` makes anyway until the current I/O
 * phase is over. Anything but an open connection goes through `ws.send`.
 * The endpoint turns per-message compression off: with it, `ws` holds frames
 * back while it compresses, and writing past them would reorder messages.
 */
export function corkedSender(ws: WebSocket): (data: Uint8Array) => void {
  const internals = ws as unknown as { _socket?: Socket; _sender?: Partial<FrameWriter> };
  const socket = internals._socket;
  const writer = typeof internals._sender?.sendFrame === 'function' ? (internals._sender as FrameWriter) : undefined;
  const state: Corkable | undefined = socket && { socket, corked: false, held: 0 };
  return (data) => {
    if (!state || !writer || ws.readyState !== ws.OPEN) return ws.send(data);
    if (!state.corked) {
      state.corked = true;
      state.socket.cork();
      if (pending.length === 0) setImmediate(uncorkAll);
      pending.push(state);
    }
    writer.sendFrame(frameOf(data));
    if (++state.held >= maxHeld) {
      // Let these go now and keep holding what follows.
      state.held = 0;
      state.socket.uncork();
      state.socket.cork();
    }
  };
}
