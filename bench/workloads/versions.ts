/**
 * v: versions. The automerge-paper trace typed into a document through a
 * real y-websocket client in 100 steps, with a named version after each
 * (100 versions, the deletions of the whole history kept). Then, as a reader
 * would ask: the version list (one page of 100) and one version's text
 * (versions spread over the history, each read once), each timed over the
 * API, with the document's room loaded (someone has it open) and not loaded
 * (the read loads it from the stored log). Target: ≤ 200 ms each.
 */
import * as Y from 'yjs';
import { cookieProvider } from '../lib/cookie-provider.ts';
import { now } from '../lib/clock.ts';
import { startServer } from '../lib/server-proc.ts';
import { ConveneApi } from '../lib/convene-api.ts';
import { summarize } from '../lib/stats.ts';
import { withUnit, type Row } from '../lib/report.ts';
import { applyEdit, edits, loadTrace } from '../lib/trace.ts';

export interface VersionsOptions {
  versions: number;
  repeats: number;
  profile: boolean;
  log: (line: string) => void;
}

const connect = (url: string, docId: string, cookie: string) => cookieProvider(url, docId, cookie, { schema: '1' });

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function versionsWorkload(o: VersionsOptions): Promise<Row[]> {
  const trace = loadTrace();
  const all = [...edits(trace)];
  o.log(`v: typing the automerge-paper trace (${all.length} edits) in ${o.versions} steps, a version after each`);
  const server = await startServer('convene', { profile: o.profile, name: 'server-convene-versions', config: { roomIdleMs: 300 } });
  try {
    const api = new ConveneApi(server.httpUrl);
    await api.signIn();
    const docId = await api.document(await api.consultation(), 'Versions');
    const writer = connect(`ws://127.0.0.1:${server.port}/yjs`, docId, api.cookie);
    const watcher = connect(`ws://127.0.0.1:${server.port}/yjs`, docId, api.cookie);
    await Promise.all([writer.synced, watcher.synced]);
    const text = writer.doc.getText('t');
    const ids: string[] = [];
    const per = Math.ceil(all.length / o.versions);
    for (let v = 0; v < o.versions; v++) {
      writer.doc.transact(() => {
        for (const edit of all.slice(v * per, (v + 1) * per)) applyEdit(text, edit);
      });
      const expected = text.toString();
      // The server has the step once another client has it.
      await until(() => watcher.doc.getText('t').toString() === expected, 'the step to reach the server');
      const res = await api.request<{ id: string }>('POST', `/documents/${docId}/versions`, { name: `Step ${v + 1}` });
      if (res.status !== 201) throw new Error(`making a version: ${res.status} ${JSON.stringify(res.body)}`);
      ids.push(res.body.id);
    }
    if (text.toString() !== trace.endContent) throw new Error('the trace did not end as it should');

    const time = async (what: string, routes: string[], check: (body: unknown) => boolean, before?: () => Promise<void>) => {
      const samples: number[] = [];
      for (const route of routes) {
        await before?.();
        const from = now();
        const res = await api.request<unknown>('GET', route);
        samples.push(now() - from);
        if (res.status !== 200 || !check(res.body)) throw new Error(`${what}: ${res.status}`);
      }
      return summarize(samples);
    };
    const listed = (body: unknown) => (body as { items: unknown[] }).items.length === o.versions;
    const textOf = (body: unknown) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Buffer.from((body as { update: string }).update, 'base64'));
      return doc.getText('t').toString();
    };
    // The newest version's text must be the trace's end.
    const newest = `/documents/${docId}/versions/${ids.at(-1)}`;
    const endsRight = (body: unknown) => textOf(body) === trace.endContent;
    /** `repeats` versions spread over the history, each read once (what a reader opening one asks of the server). */
    const spread = (offset: number) =>
      Array.from({ length: o.repeats }, (_, i) => `/documents/${docId}/versions/${ids[Math.min(ids.length - 1, Math.floor(((i + offset) * ids.length) / o.repeats))]}`);
    const list = Array.from({ length: o.repeats }, () => `/documents/${docId}/versions?limit=100`);
    const any = () => true;

    const rows: Row[] = [];
    const row = (workload: string, s: ReturnType<typeof summarize>, notes: string): Row => ({
      workload,
      server: 'convene',
      p50: s.p50,
      p95: s.p95,
      p99: s.p99,
      // Every read answered and checked (the list whole, the newest text the trace's end), or the step fails.
      lost: 0,
      identical: 'yes',
      notes: `${notes}; max ${withUnit(s.max)}`,
      detail: { ...s, versions: o.versions },
    });
    await server.measureStart();
    const listLoaded = await time('the list', list, listed);
    const textsLoaded = await time('a version', spread(0), any);
    await time('the newest', [newest], endsRight);
    writer.provider.destroy();
    watcher.provider.destroy();
    const unloaded = () => until(async () => !(await server.child.call<boolean>('loaded', { docId })), 'the room to be unloaded');
    await unloaded();
    // The list never loads the room; a version's text does (and keeps it for its idle time, 300 ms here): each of
    // these reads waits for the room to be unloaded first, so each one parses the stored log.
    const listCold = await time('the list', list, listed);
    const textsCold = await time('a version', spread(0.5), any, unloaded);
    // Then the reads after a first one, while the room it loaded is still there (what a reader browsing versions gets).
    await time('the newest', [newest], endsRight, unloaded);
    const textsAfter = await time('a version', spread(0.25), any);
    const metrics = await server.measureStop();
    rows.push(row(`v. version list (${o.versions} versions)`, listCold, `room not loaded; loaded: p50 ${withUnit(listLoaded.p50)}, p95 ${withUnit(listLoaded.p95)}`));
    rows.push(row(`v. one version's text (room not loaded)`, textsCold, `${o.repeats} versions across the history, each read with the room unloaded first (the read loads it from the stored log)`));
    rows.push(row(`v. one version's text (room loaded)`, textsLoaded, `${o.repeats} versions across the history, each read once while the document is open; right after another version's read: p50 ${withUnit(textsAfter.p50)}, p95 ${withUnit(textsAfter.p95)}`));
    for (const r of rows) r.serverMetrics = metrics;
    o.log(`v: list p95 ${withUnit(listCold.p95)}; a version's text p95 ${withUnit(textsCold.p95)} (not loaded), ${withUnit(textsLoaded.p95)} (loaded)`);
    return rows;
  } finally {
    await server.stop();
  }
}
