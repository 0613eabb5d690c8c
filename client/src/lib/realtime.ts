import type { Ack, AckFn, ClientToServerEvents, ServerToClientEvents } from '../../../shared/events.ts';
import { ApiError } from './api.ts';
import { getSocket, type ConveneSocket } from './socket.ts';

type Events = ClientToServerEvents;
/** What an event sends (its one argument before the acknowledgement). */
export type SendInput<E extends keyof Events> = Parameters<Events[E]>[0];
/** What a successful acknowledgement of an event carries. */
export type SendData<E extends keyof Events> = Parameters<Events[E]> extends [unknown, AckFn<infer T>] ? T : never;

/** How long an acknowledgement may take (a disconnected socket buffers the event meanwhile). */
const ACK_TIMEOUT_MS = 15_000;

type TimedEmit = (event: string, input: unknown, ack: (error: Error | null, reply: Ack<unknown>) => void) => void;

/**
 * Sends an event and resolves with the data of its acknowledgement; a refusal
 * rejects with an ApiError carrying the server's code, so views handle
 * socket and REST failures alike. No reply in time is a `network_error`.
 */
export async function send<E extends keyof Events>(event: E, input: SendInput<E>): Promise<SendData<E>> {
  let socket: ConveneSocket;
  try {
    socket = await getSocket();
  } catch (cause) {
    throw new ApiError(0, 'network_error', cause instanceof Error ? cause.message : 'Socket unavailable');
  }
  return new Promise((resolve, reject) => {
    const timed = socket.timeout(ACK_TIMEOUT_MS) as unknown as { emit: TimedEmit };
    timed.emit(event, input, (error, reply) => {
      if (error) reject(new ApiError(0, 'network_error', 'No reply from the server'));
      else if (reply.ok) resolve(reply.data as SendData<E>);
      else reject(new ApiError(0, reply.error.code, reply.error.message));
    });
  });
}

type Listeners = { [E in keyof ServerToClientEvents]?: ServerToClientEvents[E] };

export interface ConnectionListeners {
  /** After every (re)connection, and at once if already connected: rooms must be joined again. */
  connect?: (socket: ConveneSocket) => void;
  disconnect?: () => void;
}

/** Listens to server events on the shared socket until the returned function is called. */
export function listen(listeners: Listeners & ConnectionListeners): () => void {
  let stopped = false;
  let detach = () => {};
  void getSocket().then(
    (socket) => {
      if (stopped) return;
      const { connect, disconnect, ...events } = listeners;
      const onConnect = () => connect?.(socket);
      const onDisconnect = () => disconnect?.();
      const entries = Object.entries(events) as [keyof ServerToClientEvents, (...args: unknown[]) => void][];
      // The event map types each listener differently; this loop registers them all alike.
      const on = socket.on.bind(socket) as (event: string, handler: (...args: unknown[]) => void) => void;
      const off = socket.off.bind(socket) as (event: string, handler: (...args: unknown[]) => void) => void;
      for (const [event, handler] of entries) on(event, handler);
      socket.on('connect', onConnect);
      socket.on('disconnect', onDisconnect);
      if (socket.connected) onConnect();
      detach = () => {
        for (const [event, handler] of entries) off(event, handler);
        socket.off('connect', onConnect);
        socket.off('disconnect', onDisconnect);
      };
    },
    () => undefined,
  );
  return () => {
    stopped = true;
    detach();
  };
}
