import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startServer, api, registerUser } from './helpers/server.ts';
import type { Consultation, DocumentMeta, Health, Page } from '../shared/schemas.ts';
import type { ErrorBody } from '../shared/errors.ts';
import { version } from '../server/app.ts';

describe('REST API', () => {
  it('answers health with the store in use and the version', async () => {
    const s = await startServer();
    const res = await api<Health>(s.url, 'GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', store: 'embedded', version });
  });

  it('creates consultations and documents, lists them and opens them', async () => {
    const s = await startServer();
    const me = await registerUser(s.url);
    const created = await me.call<Consultation>('POST', '/consultations', {
      title: '  National Human Rights Action Plan  ',
      summary: 'Second cycle, following the 4th UPR.',
      country: 'ke',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'National Human Rights Action Plan', country: 'KE', phase: 'preparation' });
    expect(created.body.you.role).toBe('facilitator');

    const doc = await me.call<DocumentMeta>('POST', `/consultations/${created.body.id}/documents`, { title: 'Chapter 1' });
    expect(doc.status).toBe(201);
    expect(doc.body.consultationId).toBe(created.body.id);

    expect((await me.call<Consultation>('GET', `/consultations/${created.body.id}`)).body).toEqual(created.body);
    expect((await me.call<DocumentMeta>('GET', `/documents/${doc.body.id}`)).body).toEqual(doc.body);
    const docs = await me.call<Page<DocumentMeta>>('GET', `/consultations/${created.body.id}/documents`);
    expect(docs.body).toEqual({ items: [doc.body], nextCursor: null });
  });

  it('paginates newest first, without gaps or repeats', async () => {
    const s = await startServer();
    const me = await registerUser(s.url);
    const titles: string[] = [];
    for (let i = 0; i < 7; i++) {
      titles.push(`Consultation ${i}`);
      await me.call('POST', '/consultations', { title: `Consultation ${i}` });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=3&cursor=${encodeURIComponent(cursor)}` : '?limit=3';
      const page: { body: Page<Consultation> } = await me.call<Page<Consultation>>('GET', `/consultations${query}`);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((c) => c.title));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...titles].reverse());
  });

  const cases: [string, string, string, unknown, number, string][] = [
    ['an empty title', 'POST', '/consultations', { title: '   ' }, 400, 'validation_failed'],
    ['a bad country code', 'POST', '/consultations', { title: 'x', country: 'Kenya' }, 400, 'validation_failed'],
    ['a malformed id', 'GET', '/consultations/123', undefined, 400, 'validation_failed'],
    ['an unknown consultation', 'GET', `/consultations/${randomUUID()}`, undefined, 404, 'not_found'],
    ['an unknown document', 'GET', `/documents/${randomUUID()}`, undefined, 404, 'not_found'],
    ['a document in an unknown consultation', 'POST', `/consultations/${randomUUID()}/documents`, { title: 'x' }, 404, 'not_found'],
    ['a limit over the maximum', 'GET', '/consultations?limit=5000', undefined, 400, 'validation_failed'],
    ['a forged cursor', 'GET', '/consultations?cursor=abc', undefined, 400, 'validation_failed'],
    ['an unknown route', 'GET', '/nothing-here', undefined, 404, 'not_found'],
  ];
  for (const [name, method, route, body, status, code] of cases) {
    it(`refuses ${name} with ${status} ${code}`, async () => {
      const s = await startServer();
      const me = await registerUser(s.url);
      const res = await me.call<ErrorBody>(method, route, body);
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(res.body.error.message).toEqual(expect.any(String));
      expect((await me.call<Page<Consultation>>('GET', '/consultations')).body.items).toHaveLength(0);
    });
  }

  it('refuses a body that is not JSON, and one over the size limit', async () => {
    const s = await startServer({ config: { limits: { httpBodyBytes: 2048, socketMessageBytes: 1 << 20, yjsMessageBytes: 1 << 20 } } });
    const me = await registerUser(s.url);
    const bad = await fetch(`${s.url}/api/consultations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: me.cookie },
      body: '{"title": "x",',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.code).toBe('bad_request');
    const big = await me.call<ErrorBody>('POST', '/consultations', { title: 'x', summary: 'y'.repeat(4000) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    expect((await me.call<Page<Consultation>>('GET', '/consultations')).body.items).toHaveLength(0);
  });
});
