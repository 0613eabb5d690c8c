import type { Ack, AckFn } from '../../shared/events.ts';
import { toErrorBody } from '../errors.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';

/**
 * Wraps a socket handler so that every outcome reaches the client's ack as
 * `{ ok, data } | { ok: false, error }`; unknown errors are logged and hidden.
 * A client that sends no ack callback simply gets no reply.
 */
export function acked<A extends unknown[], T>(
  logger: Logger,
  event: string,
  handler: (...args: A) => Promise<T>,
): (...args: [...A, AckFn<T>]) => void {
  return (...args) => {
    const maybeAck = args.at(-1);
    const ack: AckFn<T> = typeof maybeAck === 'function' ? (maybeAck as AckFn<T>) : () => undefined;
    const input = (typeof maybeAck === 'function' ? args.slice(0, -1) : args) as A;
    handler(...input).then(
      (data) => ack({ ok: true, data } satisfies Ack<T>),
      (err: unknown) => {
        if (!(err instanceof AppError)) logger.error({ err, event }, 'socket handler failed');
        ack({ ok: false, error: toErrorBody(err) });
      },
    );
  };
}
