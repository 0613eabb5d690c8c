import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { AppError } from '../errors.ts';
import { ErrorCode } from '../../shared/errors.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request may act with the caller's cookie: it comes from our own
 * origin, or from no browser page at all (scripts send no Origin). Browsers
 * always send Origin on cross-origin requests and WebSocket handshakes.
 */
export function sameOrigin(req: IncomingMessage, extraOrigins: readonly string[]): boolean {
  if (req.headers['sec-fetch-site'] === 'cross-site') return false;
  const origin = req.headers.origin;
  if (!origin) return true;
  if (extraOrigins.includes(origin)) return true;
  const host = req.headers['x-forwarded-host'] ?? req.headers.host;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Refuses state-changing requests from other origins, on top of SameSite=Lax cookies. */
export function originGuard(extraOrigins: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    if (safeMethods.has(req.method) || sameOrigin(req, extraOrigins)) return next();
    next(new AppError(ErrorCode.crossOrigin, 'Requests from other sites are not accepted'));
  };
}
