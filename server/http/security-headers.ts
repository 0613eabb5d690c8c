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
  return (req, res, next) => (req.secure ? overHttps : overHttp)(req, res, next);
}
