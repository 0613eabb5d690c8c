import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { AppError, toErrorBody } from '../errors.ts';
import { ErrorCode } from '../../shared/errors.ts';
import type { Logger } from '../logger.ts';
import { hostileRequestLog, targetForLog } from './malformed.ts';

/** Errors thrown by body-parser carry a `type`; turn the ones a client causes into AppErrors. */
function fromBodyParser(err: unknown): AppError | undefined {
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return new AppError(ErrorCode.payloadTooLarge, 'The request body is too large');
  if (type === 'entity.parse.failed') return new AppError(ErrorCode.badRequest, 'The request body is not valid JSON');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported')
    return new AppError(ErrorCode.badRequest, 'The request body encoding is not supported');
  return undefined;
}

/**
 * Express 5 throws a URIError (status 400) when a route parameter's
 * percent-encoding is broken: the client's mistake, a 400 and a rate-limited
 * warning at most — not a 500 and an error line per request. The server's
 * wrapper (`refuseMalformedTargets`) already refuses such targets before
 * Express sees them; this stays as the second line for any other way in.
 */
function fromBadEncoding(err: unknown, req: Request, warn: ReturnType<typeof hostileRequestLog>): AppError | undefined {
  if (!(err instanceof URIError)) return undefined;
  warn({ kind: 'malformed-param', method: req.method, target: targetForLog(req.originalUrl) }, 'refused a request whose parameters do not decode');
  return new AppError(ErrorCode.badRequest, 'The request target does not decode');
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  const warn = hostileRequestLog(logger);
  return (err, req, res, _next) => {
    const appError = err instanceof AppError ? err : (fromBodyParser(err) ?? fromBadEncoding(err, req, warn));
    if (!appError) logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error in request');
    const status = appError?.status ?? 500;
    const retryAfter = (appError?.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    if (retryAfter) res.setHeader('Retry-After', String(retryAfter));
    res.status(status).json({ error: toErrorBody(appError ?? err) });
  };
}

export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new AppError(ErrorCode.notFound, `No API route for ${req.method} ${req.path}`));
};
