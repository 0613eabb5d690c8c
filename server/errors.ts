import { ErrorCode, errorStatus } from '../shared/errors.ts';

/** A failure the client is meant to see: a code from the shared map and a plain message. */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  get status(): number {
    return errorStatus[this.code];
  }

  static notFound(what: string): AppError {
    return new AppError(ErrorCode.notFound, `${what} not found`);
  }
}

/** The wire shape for any error: AppErrors as they are, anything else hidden behind a generic message. */
export function toErrorBody(err: unknown): { code: ErrorCode; message: string; details?: unknown } {
  if (err instanceof AppError) {
    return err.details === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, details: err.details };
  }
  return { code: ErrorCode.internal, message: 'Something went wrong on the server' };
}
