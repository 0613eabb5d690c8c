import { STATUS_CODES, type IncomingMessage, type RequestListener, type Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { AppError, toErrorBody } from '../errors.ts';
import { ErrorCode } from '../../shared/errors.ts';
import type { Logger } from '../logger.ts';

/**
 * Anyone can send a request the server cannot read. Such requests get a 400
 * and, at most, a warning — never an error, never a crash — and the warning
 * is rate-limited so that a flood of them cannot fill the disk or bury the log.
 */

const warnEveryMs = 10_000;
const perLogger = new WeakMap<Logger, (fields: Record<string, unknown>, message: string) => void>();

/** One `warn` line per 10 s per logger at most, carrying how many were left out since the last. */
export function hostileRequestLog(logger: Logger): (fields: Record<string, unknown>, message: string) => void {
  let log = perLogger.get(logger);
  if (!log) {
    let last = -Infinity;
    let suppressed = 0;
    log = (fields, message) => {
      const now = performance.now();
      if (now - last < warnEveryMs) {
        suppressed++;
        return;
      }
      last = now;
      logger.warn({ ...fields, suppressed }, message);
      suppressed = 0;
    };
    perLogger.set(logger, log);
  }
  return log;
}

/**
 * Enough of a target to recognise the attack in a log, not enough to carry
 * someone's token: cut short, and any run that could be a secret (invitation
 * tokens are 43 base64url characters) masked.
 */
export const targetForLog = (url: string | undefined): string => (url ?? '').slice(0, 64).replace(/[A-Za-z0-9_-]{16,}/g, '…');

/**
 * Whether a request target is a plain path (origin-form) that every part of
 * the server can read: it starts with one `/` (not `//`, which URL parsers
 * read as a host), holds no backslash (which they read as `/`), parses as a
 * URL, and its path percent-decodes. The query is left to its readers, which
 * tolerate bad escapes.
 */
export function wellFormedTarget(url: string | undefined): boolean {
  return parseTarget(url) !== null;
}

/** The target as a URL (against a placeholder origin) when it is well formed (`wellFormedTarget`), else null. Never throws. */
export function parseTarget(url: string | undefined): URL | null {
  if (!url || url[0] !== '/' || url[1] === '/' || url.includes('\\')) return null;
  const end = url.search(/[?#]/);
  try {
    decodeURIComponent(end === -1 ? url : url.slice(0, end));
    return new URL(url, 'http://localhost');
  } catch {
    return null;
  }
}

/**
 * Whether an upgrade request is one the endpoints can read: a well-formed
 * target and a Host (which Node demands of ordinary HTTP/1.1 requests, not
 * of upgrades, and which the origin check needs).
 */
export function wellFormedUpgrade(req: IncomingMessage): boolean {
  return wellFormedTarget(req.url) && !!req.headers.host;
}

/**
 * Wraps the app: a target the routes, static files and SPA fallback cannot
 * read is answered 400 `bad_request` before Express sees it (Express itself
 * would skip every middleware and say 404 for a target its URL parser rejects).
 */
export function refuseMalformedTargets(app: RequestListener, logger: Logger): RequestListener {
  const warn = hostileRequestLog(logger);
  const body = JSON.stringify({ error: toErrorBody(new AppError(ErrorCode.badRequest, 'The request target does not parse')) });
  return (req, res) => {
    if (wellFormedTarget(req.url)) return app(req, res);
    warn({ kind: 'malformed-target', method: req.method, target: targetForLog(req.url) }, 'refused a request whose target does not parse');
    res.writeHead(400, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
      Connection: 'close',
    });
    res.end(body);
  };
}

/** Answers an upgrade we will not take with a bare HTTP status, then closes the socket (as `ws` does). */
export function refuseUpgrade(socket: Duplex, status: 400 | 403 | 404 | 405): void {
  socket.on('error', () => undefined);
  if (!socket.writable) return void socket.destroy();
  const body = STATUS_CODES[status] ?? '';
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${body}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  // A peer that never reads cannot keep the socket.
  setTimeout(() => socket.destroy(), 5_000).unref();
}

const clientErrorStatus: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  ERR_HTTP_HEADERS_TIMEOUT: 408,
};

/**
 * Guards what arrives before any route sees it:
 * - Node's own parser errors (`clientError`: bad request lines, control
 *   characters, oversized headers, timeouts) get 400 / 431 / 408 and the
 *   socket is destroyed, logged as hostile rather than by Node's default;
 * - upgrades on paths no endpoint owns (`ownedPrefixes`) are refused — 400
 *   if the target does not parse, 404 otherwise — instead of hanging open.
 *   The owners refuse malformed targets under their own prefixes;
 * - CONNECT is refused with 405.
 */
export function guardHttpServer(server: HttpServer, logger: Logger, ownedPrefixes: readonly string[]): void {
  const warn = hostileRequestLog(logger);
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const code = err.code ?? '';
    // A peer that hung up is not an attack worth a line.
    if (code !== 'ECONNRESET' && code !== 'EPIPE') warn({ kind: 'client-error', code }, 'refused a request the HTTP parser could not read');
    const status = clientErrorStatus[code] ?? 400;
    // As Node's default: answer only if nothing was written yet on this connection.
    if (socket.writable && (socket as Duplex & { bytesWritten?: number }).bytesWritten === 0) {
      socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
    socket.destroy();
  });
  // This is no proxy: CONNECT, which Node would otherwise drop without a word, gets a 405.
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    warn({ kind: 'connect', target: targetForLog(req.url) }, 'refused a CONNECT request');
    refuseUpgrade(socket, 405);
  });
  server.prependListener('upgrade', (req: IncomingMessage, socket: Duplex) => {
    const url = req.url ?? '';
    if (ownedPrefixes.some((prefix) => url.startsWith(prefix))) return;
    const malformed = !wellFormedUpgrade(req);
    warn({ kind: malformed ? 'malformed-upgrade' : 'unknown-upgrade', target: targetForLog(url) }, 'refused an upgrade no endpoint serves');
    refuseUpgrade(socket, malformed ? 400 : 404);
  });
}
