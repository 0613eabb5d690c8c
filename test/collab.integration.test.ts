import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer, createDocument, tempDir, storedText } from './helpers/server.ts';
import { connectYjs, eventually } from './helpers/yjs.ts';
import { openEmbeddedStore } from '../server/store/embedded.ts';

/** Text as the store has it: every stored update applied to a fresh doc. */
describe('live co-editing over the Yjs endpoint', () => {
  it('converges when several clients edit the same document concurrently', async () => {
    const s = await startServer();
    const { document, owner } = await createDocument(s.url);
    const clients = Array.from({ length: 4 }, () => connectYjs(s.wsUrl, document.id, { cookie: owner.cookie }));
    await Promise.all(clients.map((c) => c.synced));

    // Everyone types at once, at both ends and in the middle, without waiting for the others.
    clients.forEach((c, i) => {
      for (let k = 0; k < 25; k++) {
        const pos = k % 3 === 0 ? 0 : k % 3 === 1 ? c.text.length : Math.floor(c.text.length / 2);
        c.text.insert(pos, `${i}`);
      }
    });
    await eventually(() => clients.every((c) => c.text.length === 100), 'every client to hold all 100 characters');
    const texts = clients.map((c) => c.text.toString());
    expect(new Set(texts).size).toBe(1);
    for (let i = 0; i < 4; i++) expect(texts[0]!.split(String(i)).length - 1).toBe(25);

    await eventually(async () => (await storedText(s.server, document.id)) === texts[0], 'the store to hold the same text');
  });

  it('stores every applied update within the persistence window', async () => {
    const s = await startServer({ config: { persistence: { maxDelayMs: 500, debounceMs: 100, compactAfterUpdates: 200 } } });
    const { document, owner } = await createDocument(s.url);
    const client = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
    await client.synced;
    // Keep typing faster than the debounce so only the maximum delay can trigger the write: the first
    // edit reaches the store while the typing goes on. (How soon is a speed question, left to the bench.)
    client.text.insert(0, 'Article 1. ');
    const typing = setInterval(() => client.text.insert(client.text.length, '.'), 30);
    try {
      await eventually(async () => (await storedText(s.server, document.id)).startsWith('Article 1.'), 'the first edit in the store');
    } finally {
      clearInterval(typing);
    }
  });

  it('keeps a document across a restart and compacts its update log', async () => {
    const dataDir = await tempDir();
    const first = await startServer({ dataDir, config: { persistence: { maxDelayMs: 50, debounceMs: 10, compactAfterUpdates: 5 } } });
    const { document, owner } = await createDocument(first.url);
    const writer = connectYjs(first.wsUrl, document.id, { cookie: owner.cookie });
    await writer.synced;
    for (let i = 0; i < 40; i++) {
      writer.text.insert(writer.text.length, `line ${i}\n`);
      await new Promise((r) => setTimeout(r, 15));
    }
    const expected = writer.text.toString();
    await eventually(async () => (await storedText(first.server, document.id)) === expected, 'all edits stored');
    // Let a compaction that is under way finish (it writes the merged entry before deleting the old ones).
    await first.server.rooms.flushAll();
    const stats = await first.server.updateLog.stats(document.id);
    expect(stats.entries).toBeLessThan(6);
    writer.destroy();
    await first.stop();

    const second = await startServer({ dataDir, store: await openEmbeddedStore(dataDir) });
    const reader = connectYjs(second.wsUrl, document.id, { cookie: owner.cookie });
    await reader.synced;
    expect(reader.text.toString()).toBe(expected);
    // Served from the stored bytes as they are: the server has not had to parse the document for a reader.
    const room = [...second.server.rooms.loaded()].find((r) => r.docId === document.id)!;
    expect(room.parsed).toBe(false);

    // The first edit builds it, and everything carries on as before.
    reader.text.insert(0, 'Preamble\n');
    const other = connectYjs(second.wsUrl, document.id, { cookie: owner.cookie });
    await eventually(() => other.text.toString() === `Preamble\n${expected}`, 'a second reader to see the edit on top of the stored text');
    expect(room.parsed).toBe(true);
    await eventually(async () => (await storedText(second.server, document.id)) === `Preamble\n${expected}`, 'the edit to be stored');
  });

  it('compacts a log that has grown well past its document, however few writes made it', async () => {
    const s = await startServer({ config: { persistence: { maxDelayMs: 20, debounceMs: 5, compactAfterUpdates: 10_000 } } });
    const { document, owner } = await createDocument(s.url);
    const writer = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
    await writer.synced;
    // Write 20 KiB, then replace it again and again: the log grows by many writes. (Documents keep their deleted text for history, so it holds every round once.)
    for (let round = 0; round < 20; round++) {
      writer.doc.transact(() => {
        writer.text.delete(0, writer.text.length);
        writer.text.insert(0, String(round % 10).repeat(20 * 1024));
      });
      await new Promise((r) => setTimeout(r, 40));
    }
    await eventually(async () => (await storedText(s.server, document.id)) === '9'.repeat(20 * 1024), 'the last round stored');
    await s.server.rooms.flushAll(); // compaction runs beside the writes; this waits for any under way
    const stats = await s.server.updateLog.stats(document.id);
    expect(stats.entries).toBeLessThan(15);
    // Deleted text is kept for the document's history (versions rebuild past states from it): the log holds what
    // was ever typed, 20 rounds of 20 KiB, once, not the many copies that uncompacted entries would add up to.
    expect(stats.bytes).toBeLessThan(21 * 20 * 1024);
  });

  it('merges edits made offline when the connection returns', async () => {
    const s = await startServer();
    const { document, owner } = await createDocument(s.url);
    const a = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
    const b = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
    await Promise.all([a.synced, b.synced]);
    a.text.insert(0, 'shared ');
    await eventually(() => b.text.toString() === 'shared ', 'b to see a');

    b.provider.disconnect();
    b.text.insert(b.text.length, 'offline-b ');
    a.text.insert(a.text.length, 'online-a ');
    await eventually(() => a.text.toString() === 'shared online-a ', 'a alone');
    expect(b.text.toString()).toBe('shared offline-b ');

    b.provider.connect();
    await eventually(() => a.text.toString() === b.text.toString() && a.text.length === 'shared offline-b online-a '.length, 'a and b to merge');
    expect(a.text.toString()).toContain('offline-b');
    expect(a.text.toString()).toContain('online-a');
  });

  it('unloads a document from memory once nobody has had it open for the idle timeout', async () => {
    const s = await startServer({ config: { roomIdleMs: 100 } });
    const { document, owner } = await createDocument(s.url);
    const c = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
    await c.synced;
    c.text.insert(0, 'kept after unload');
    expect(s.server.rooms.isLoaded(document.id)).toBe(true);
    c.destroy();
    await eventually(() => !s.server.rooms.isLoaded(document.id), 'the room to unload');
    expect(await storedText(s.server, document.id)).toBe('kept after unload');

    const again = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
    await again.synced;
    expect(again.text.toString()).toBe('kept after unload');
  });
});

