import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's headers, with the HTTPS-only ones (CSP `upgrade-insecure-requests`
 * and Strict-Transport-Security) sent only on requests that came over HTTPS,
 * directly or through a proxy `trust proxy` trusts (`req.secure`). Over plain
 * HTTP on a venue's network, `upgrade-insecure-requests` made the browser ask
 * for every script over HTTPS, and the page stayed blank. The rest of the
 * policy is the same on both. `dev` turns the CSP off for Vite's hot reload.
 */
export function securityHeaders(dev: boolean): RequestHandler {
  const options = (secure: boolean): HelmetOptions => ({
    contentSecurityPolicy: dev
      ? false
      : {
          directives: {
            'connect-src': ["'self'", 'ws:', 'wss:'],
            // The offline app shell's service worker (sw.js), from this origin only.
            'worker-src': ["'self'"],
            'upgrade-insecure-requests': secure ? [] : null,
          },
        },
    strictTransportSecurity: secure,
  });
  const overHttps = helmet(options(true));
  const overHttp = helmet(options(false));
  return (req, res, next) => (hashedScriptOrStyle.test(req.path) ? scriptOrStyle : req.secure ? overHttps : overHttp)(req, res, next);
}

/**
 * The app's hashed scripts and stylesheets. A policy for documents (CSP,
 * framing, referrer, HSTS, which the page itself carries) does nothing on a
 * script or a stylesheet, yet it was about 1 KB of headers on each of the two
 * dozen files a first visit loads: half a second on a slow mobile line.
 * What does apply to them stays: no MIME sniffing, no use by other sites.
 */
const hashedScriptOrStyle = /^\/assets\/[^/]+\.(?:js|css)$/;

const scriptOrStyle: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  next();
};
