import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { RequestHandler } from 'express';
import proxyaddr from 'proxy-addr';
import { AppError } from '../errors.ts';
import { ErrorCode } from '../../shared/errors.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Which immediate peers may speak for the client through X-Forwarded-* headers (address, hop index). */
export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * TRUST_PROXY as Express reads `trust proxy`, plus the words `true` and
 * `false` and a hop count, which an environment variable can only give as
 * text: `false` (or empty) trusts no proxy, `true` every one, `2` the nearest
 * two hops, anything else is a comma-separated list of addresses, subnets or
 * the names `loopback`, `linklocal`, `uniquelocal`.
 */
export function trustProxy(setting: string): TrustProxy {
  const value = setting.trim().toLowerCase();
  if (value === 'true') return () => true;
  if (value === 'false' || value === '') return () => false;
  if (/^\d+$/.test(value)) return (_address, hop) => hop < Number(value);
  return proxyaddr.compile(value.split(',').map((v) => v.trim()).filter(Boolean));
}

/** `scheme://host[:port]` with the scheme and host lower-cased and default ports dropped; null if it is none. */
export function normaliseOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.username || url.password) return null;
    return url.origin;
  } catch {
    return null;
  }
}

const firstValue = (header: string | string[] | undefined): string | undefined => {
  const value = Array.isArray(header) ? header[0] : header;
  return value?.split(',')[0]!.trim() || undefined;
};

/**
 * The origin this request was addressed to: its own scheme and Host, or what
 * X-Forwarded-Proto / X-Forwarded-Host say when — and only when — the peer
 * that connected is a proxy TRUST_PROXY trusts. Null when the host does not
 * parse.
 */
export function requestOrigin(req: IncomingMessage, trust: TrustProxy): string | null {
  const trusted = trust(req.socket.remoteAddress ?? '', 0);
  let scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  let host = req.headers.host;
  if (trusted) {
    scheme = firstValue(req.headers['x-forwarded-proto'])?.toLowerCase() ?? scheme;
    host = firstValue(req.headers['x-forwarded-host']) ?? host;
  }
  if (!host || (scheme !== 'http' && scheme !== 'https')) return null;
  // A host with a path, user or query smuggled in is not a host.
  if (/[/?#@\\\s]/.test(host)) return null;
  return normaliseOrigin(`${scheme}://${host}`);
}

export interface OriginPolicy {
  /** For `app.set('trust proxy', …)`, so Express (req.secure, req.ip) and the origin checks trust the same peers. */
  readonly trust: TrustProxy;
  /**
   * Whether a request may act with the caller's cookie: it comes from our
   * own origin (scheme, host and port), from one of ALLOWED_ORIGINS, or from
   * no browser page at all (scripts send no Origin). Browsers always send
   * Origin on cross-origin requests and WebSocket handshakes.
   */
  allowed(req: IncomingMessage): boolean;
}

export function originPolicy(trustSetting: string, allowedOrigins: readonly string[]): OriginPolicy {
  const trust = trustProxy(trustSetting);
  const extra = new Set(
    allowedOrigins.map((o) => {
      const normal = normaliseOrigin(o);
      if (!normal) throw new Error(`Invalid configuration: ALLOWED_ORIGINS: ${JSON.stringify(o)} is not an http(s) origin`);
      return normal;
    }),
  );
  return {
    trust,
    allowed(req) {
      if (req.headers['sec-fetch-site'] === 'cross-site') return false;
      const header = req.headers.origin;
      if (header === undefined) return true;
      const origin = normaliseOrigin(header);
      if (!origin) return false;
      return extra.has(origin) || origin === requestOrigin(req, trust);
    },
  };
}

/** Refuses state-changing requests from other origins, on top of SameSite=Lax cookies. */
export function originGuard(policy: OriginPolicy): RequestHandler {
  return (req, _res, next) => {
    if (safeMethods.has(req.method) || policy.allowed(req)) return next();
    next(new AppError(ErrorCode.crossOrigin, 'Requests from other sites are not accepted'));
  };
}
