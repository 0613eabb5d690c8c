import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServerProcess } from './helpers/process.ts';
import { api, createDocument, tempDir } from './helpers/server.ts';
import { connectYjs, eventually } from './helpers/yjs.ts';
import type { Page } from '../shared/schemas.ts';
import type { Version, VersionContent } from '../shared/history.ts';

/**
 * A version is one insert after the log holds everything it covers: killed
 * at any moment (kill -9, no shutdown at all), the server leaves each
 * version whole or absent, and every version it lists reads as a state the
 * document really passed through.
 */
describe('SIGKILL while versions are being made', () => {
  it('leaves each version whole or absent, each one a prefix of the text typed', async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
    let s = seed;
    const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
    const dataDir = await tempDir();
    const env = { DATA_DIR: dataDir, PERSIST_MAX_DELAY_MS: '200', PERSIST_DEBOUNCE_MS: '20', COMPACT_AFTER_UPDATES: '50' };
    const server = await startServerProcess(env);
    const { owner, document } = await createDocument(server.url);
    const writer = connectYjs(server.wsUrl, document.id, { cookie: owner.cookie });
    await writer.synced;
    writer.provider.on('status', ({ status }) => status === 'disconnected' && writer.provider.disconnect());

    // One writer that only appends: every state the document passes through is a prefix of what it typed.
    let n = 0;
    const typing = setInterval(() => writer.text.insert(writer.text.length, `${n++} `), 2);
    let made = 0;
    let stop = false;
    const loop = async () => {
      while (!stop) {
        const res = await api(server.url, 'POST', `/documents/${document.id}/versions`, { name: `v${made}` }, owner.cookie).catch(() => null);
        if (!res) return;
        if (res.status === 201) made++;
      }
    };
    // Two at a time, so that one is always somewhere between its snapshot, its flush and its insert.
    const loops = [loop(), loop()];
    // A random moment soon after a version was answered: the next one is under way, and typing goes on.
    const target = 3 + Math.floor(rand() * 6);
    await eventually(() => made >= target, 'a few versions to be made');
    await new Promise((r) => setTimeout(r, rand() * 30));
    server.child.kill('SIGKILL');
    await server.exited;
    stop = true;
    clearInterval(typing);
    await Promise.all(loops);
    const typed = writer.text.toString();

    const again = await startServerProcess(env);
    const listed: Version[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: Page<Version> } = await api<Page<Version>>(again.url, 'GET', `/documents/${document.id}/versions?limit=100${cursor ? `&cursor=${cursor}` : ''}`, undefined, owner.cookie);
      expect(page.status).toBe(200);
      listed.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(listed.length, `seed ${seed}`).toBeGreaterThanOrEqual(3);

    // Oldest first: each version's text is a prefix of what was typed, and of the next version's.
    let previous = '';
    for (const version of listed.reverse()) {
      const res = await api<VersionContent>(again.url, 'GET', `/documents/${document.id}/versions/${version.id}`, undefined, owner.cookie);
      expect(res.status, `seed ${seed}`).toBe(200);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Buffer.from(res.body.update, 'base64'));
      const text = doc.getText('t').toString();
      expect(typed.startsWith(text), `seed ${seed}: version ${version.name} is a state the document passed through`).toBe(true);
      expect(text.startsWith(previous), `seed ${seed}: version ${version.name} follows the one before`).toBe(true);
      previous = text;
    }
    // The versions go on from there: a new one after the restart reads as the stored document.
    const after = await api<Version>(again.url, 'POST', `/documents/${document.id}/versions`, { name: 'after' }, owner.cookie);
    expect(after.status).toBe(201);
    const content = await api<VersionContent>(again.url, 'GET', `/documents/${document.id}/versions/${after.body.id}`, undefined, owner.cookie);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Buffer.from(content.body.update, 'base64'));
    expect(typed.startsWith(doc.getText('t').toString()) && doc.getText('t').toString().startsWith(previous)).toBe(true);
    again.child.kill('SIGTERM');
    await again.exited;
  }, 180_000);
});
