import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServerProcess, spawnServer } from './helpers/process.ts';
import { createDocument, tempDir } from './helpers/server.ts';
import { connectYjs, eventually } from './helpers/yjs.ts';
import { CloseCode } from '../shared/errors.ts';

/**
 * The text (`getText('t')`) a server process's embedded store holds on disk
 * for a document, read from NeDB's append-only file without opening it
 * (opening would rewrite the file under the running server). A torn last line
 * is skipped: it is not on disk yet.
 */
async function textOnDisk(dataDir: string, docId: string): Promise<string> {
  const raw = await readFile(path.join(dataDir, 'yjs_updates.db'), 'utf8').catch(() => '');
  const records = new Map<string, { seq: number; bytes: string }>();
  for (const line of raw.split('\n')) {
    let rec: { _id?: string; $$deleted?: boolean; docId?: string; seq?: number; update?: { __convene_bin?: string } };
    try {
      rec = JSON.parse(line) as typeof rec;
    } catch {
      continue;
    }
    if (rec.$$deleted && rec._id) records.delete(rec._id);
    else if (rec._id && rec.docId === docId && rec.update?.__convene_bin) records.set(rec._id, { seq: rec.seq ?? 0, bytes: rec.update.__convene_bin });
  }
  const doc = new Y.Doc();
  for (const { bytes } of [...records.values()].sort((a, b) => a.seq - b.seq)) Y.applyUpdate(doc, Buffer.from(bytes, 'base64'));
  return doc.getText('t').toString();
}

describe('durability of the running server', () => {
  it('keeps every edit older than the persistence window through SIGKILL', async () => {
    const dataDir = await tempDir();
    const first = await startServerProcess({ DATA_DIR: dataDir });
    const { document, owner } = await createDocument(first.url);
    const writer = connectYjs(first.wsUrl, document.id, { cookie: owner.cookie });
    await writer.synced;
    for (let i = 0; i < 50; i++) writer.text.insert(writer.text.length, `edit ${i}; `);
    const expected = writer.text.toString();
    // The window runs from when the server has the edits: wait until it does (another client sees them).
    const watcher = connectYjs(first.wsUrl, document.id, { cookie: owner.cookie });
    await eventually(() => watcher.text.toString() === expected, 'the server to have every edit');
    // The documented window is at most 1 s, but on a busy machine the write can land later: wait for it on disk.
    await eventually(async () => (await textOnDisk(dataDir, document.id)) === expected, 'the edits to be on disk');
    first.child.kill('SIGKILL');
    await first.exited;
    writer.destroy();
    watcher.destroy();

    const second = await startServerProcess({ DATA_DIR: dataDir });
    const reader = connectYjs(second.wsUrl, document.id, { cookie: owner.cookie });
    await reader.synced;
    expect(reader.text.toString()).toBe(expected);
  });

  it('writes everything and closes connections on SIGTERM, even edits made just before it', async () => {
    const dataDir = await tempDir();
    const first = await startServerProcess({ DATA_DIR: dataDir, PERSIST_MAX_DELAY_MS: '1000', PERSIST_DEBOUNCE_MS: '1000' });
    const { document, owner } = await createDocument(first.url);
    const writer = connectYjs(first.wsUrl, document.id, { cookie: owner.cookie });
    await writer.synced;
    const closeCodes: number[] = [];
    writer.provider.on('connection-close', (event) => closeCodes.push(event?.code ?? 0));
    writer.provider.on('status', ({ status }) => status === 'disconnected' && writer.provider.disconnect());

    writer.text.insert(0, 'typed a moment before shutdown');
    // Wait until the server has the update (another client sees it), then stop at once, inside the 1 s window.
    const watcher = connectYjs(first.wsUrl, document.id, { cookie: owner.cookie });
    await eventually(() => watcher.text.toString() === 'typed a moment before shutdown', 'the server to have the edit');
    first.child.kill('SIGTERM');
    const exit = await first.exited;
    expect(exit.code).toBe(0);
    await eventually(() => closeCodes.length > 0, 'the client to see its connection closed');
    expect(closeCodes[0]).toBe(CloseCode.goingAway);

    const second = await startServerProcess({ DATA_DIR: dataDir });
    const reader = connectYjs(second.wsUrl, document.id, { cookie: owner.cookie });
    await reader.synced;
    expect(reader.text.toString()).toBe('typed a moment before shutdown');
  });

  it('fails to start, saying why, when MONGODB_URI cannot be reached', async () => {
    // It gives up by itself (the test's timeout is only a backstop against a hang); how fast is not judged here.
    const proc = spawnServer({ MONGODB_URI: 'mongodb://127.0.0.1:1/convene' });
    const exit = await proc.exited;
    expect(exit.code).not.toBe(0);
    expect(proc.output()).toMatch(/could not start/i);
    expect(proc.output()).toMatch(/mongodb/i);
  });
});
