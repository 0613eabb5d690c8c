import type { IncomingMessage } from 'node:http';
import type { CookieOptions, Request, RequestHandler, Response } from 'express';
import { parse as parseCookie } from 'cookie';
import type { AccountsService, Authenticated } from './accounts.service.ts';
import { setAuth } from '../http/route.ts';

export const sessionCookie = 'convene_session';

export function sessionToken(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  return header ? parseCookie(header)[sessionCookie] : undefined;
}

/** Resolves the session cookie (if any) on every API request; routes decide whether they need it. */
export function sessionMiddleware(accounts: AccountsService): RequestHandler {
  return async (req, _res, next) => {
    const auth = await accounts.authenticate(sessionToken(req));
    if (auth) setAuth(req, auth);
    next();
  };
}

const cookieOptions = (req: Request, maxAgeMs?: number): CookieOptions => ({
  httpOnly: true,
  sameSite: 'lax',
  // Secure whenever the request came over HTTPS (directly or through a trusted proxy).
  secure: req.secure,
  path: '/',
  ...(maxAgeMs === undefined ? {} : { maxAge: maxAgeMs }),
});

export function setSessionCookie(req: Request, res: Response, token: string, ttlMs: number): void {
  res.cookie(sessionCookie, token, cookieOptions(req, ttlMs));
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(sessionCookie, cookieOptions(req));
}

export type { Authenticated };
