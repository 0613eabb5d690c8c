import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Request, Response } from 'express';
import { hostileRequestLog, targetForLog, wellFormedTarget } from '../server/http/malformed.ts';
import { documentIdFromUrl } from '../server/collab/yjs.endpoint.ts';
import { errorHandler } from '../server/http/errors.middleware.ts';
import { capturingLogger } from './helpers/logger.ts';

const malformed = ['/yjs/%', '/yjs/%E0%A4%A', '//', '/\\', 'http://[::1', '/%E0', '/api/invitations/%E0', '*', 'example.org:443', '', '/a\\b', '/%ED%A0%80'];

describe('which request targets are well formed', () => {
  it.each(malformed)('%j is not', (target) => expect(wellFormedTarget(target)).toBe(false));
  it.each(['/', '/api/health', '/yjs/0b4c6f0e-3c1e-4c5e-9f43-6a0e9a1d2b7c', '/a%20b?x=%E0', '/assets/x.js#%', '/%E0%A4%A8'])('%j is', (target) =>
    expect(wellFormedTarget(target)).toBe(true),
  );
});

describe('the Yjs endpoint reading its target', () => {
  it.each(malformed)('never throws on %j', (target) => expect(() => documentIdFromUrl(target)).not.toThrow());
  it('tells its own malformed targets from other paths and from document ids', () => {
    expect(documentIdFromUrl('/yjs/%')).toBe('malformed');
    expect(documentIdFromUrl('/yjs/%E0%A4%A')).toBe('malformed');
    expect(documentIdFromUrl('//')).toBeNull();
    expect(documentIdFromUrl('/socket.io/?EIO=4')).toBeNull();
    expect(documentIdFromUrl('/yjs/abc?x=1')).toEqual({ docId: 'abc', schemaVersion: 0 });
    expect(documentIdFromUrl('/yjs/malformed')).toEqual({ docId: 'malformed', schemaVersion: 0 });
  });
  it('reads the schema version a client declares, and nothing else as one', () => {
    expect(documentIdFromUrl('/yjs/abc?schema=1')).toEqual({ docId: 'abc', schemaVersion: 1 });
    expect(documentIdFromUrl('/yjs/abc?x=%E0&schema=2#%')).toEqual({ docId: 'abc', schemaVersion: 2 });
    for (const query of ['', '?schema', '?schema=', '?schema=-1', '?schema=1e3', '?schema=0x1', '?schema=%E0', '?schema=9999999', '?schema= 1'])
      expect(documentIdFromUrl(`/yjs/abc${query}`)).toEqual({ docId: 'abc', schemaVersion: 0 });
  });
});

describe('the hostile-request log', () => {
  afterEach(() => void vi.useRealTimers());

  it('never carries an invitation token, however the target is mangled', () => {
    const token = 'Qx3_9aZk-L0pWm2Yt7RbN4cVe8HsJd1Gf6Ui5Oy0Tq_';
    expect(targetForLog(`/api/invitations/${token}%E0`)).toBe('/api/invitations/…%E0');
    expect(targetForLog(`/api/invitations/%E0${token}`)).not.toContain(token.slice(0, 16));
  });

  it('writes one warning per 10 s at most, then says how many it left out', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const { logger, lines } = capturingLogger();
    const warn = hostileRequestLog(logger);
    for (let i = 0; i < 1_000; i++) warn({ kind: 'test' }, 'hostile');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, suppressed: 0 });
    vi.advanceTimersByTime(9_000);
    warn({ kind: 'test' }, 'hostile');
    expect(lines).toHaveLength(1);
    vi.advanceTimersByTime(1_000);
    warn({ kind: 'test' }, 'hostile');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ level: 40, suppressed: 1_000 });
  });
});

describe('the error middleware', () => {
  it('answers a parameter whose percent-encoding Express cannot decode with 400 bad_request, not 500, and logs no error', () => {
    const { logger, lines } = capturingLogger();
    let status = 0;
    let body: unknown;
    const res = {
      setHeader: () => res,
      status: (s: number) => ((status = s), res),
      json: (b: unknown) => ((body = b), res),
    } as unknown as Response;
    // What Express 5's router throws for /api/invitations/%E0.
    const err = Object.assign(new URIError("Failed to decode param '%E0'"), { status: 400 });
    errorHandler(logger)(err, { method: 'GET', originalUrl: '/api/invitations/%E0' } as Request, res, () => undefined);
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: { code: 'bad_request' } });
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });
});
