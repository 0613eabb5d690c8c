import type { z } from 'zod';
import type { AckFn, ClientToServerEvents } from '../../shared/events.ts';
import { parse } from '../http/validate.ts';
import { acked } from './ack.ts';
import type { ClientSocket } from './socket.ts';
import type { Logger } from '../logger.ts';

/** What the acknowledgement of a client event carries, read from the event map. */
export type AckData<E extends keyof ClientToServerEvents> =
  Parameters<ClientToServerEvents[E]> extends [...unknown[], AckFn<infer T>] ? T : never;

/**
 * Registers handlers on one socket: each validates its payload with a shared
 * schema, then runs, and every outcome reaches the client's acknowledgement.
 * The event map checks that a handler returns what its event promises.
 */
export function socketHandlers(socket: ClientSocket, logger: Logger) {
  return <E extends keyof ClientToServerEvents, S extends z.ZodType>(
    event: E,
    schema: S,
    run: (input: z.infer<S>) => Promise<AckData<E>>,
  ): void => {
    // The map types each listener differently; this one wrapper serves them all alike.
    (socket.on as (e: string, h: (...args: unknown[]) => void) => void)(
      event,
      acked(logger, event, async (raw: unknown) => run(parse(schema, raw))) as (...args: unknown[]) => void,
    );
  };
}
