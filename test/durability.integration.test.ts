import { describe, expect, it } from 'vitest';
import { startServerProcess, spawnServer } from './helpers/process.ts';
import { createDocument, tempDir } from './helpers/server.ts';
import { connectYjs, eventually } from './helpers/yjs.ts';
import { CloseCode } from '../shared/errors.ts';

describe('durability of the running server', () => {
  it('keeps every edit older than the persistence window through SIGKILL', async () => {
    const dataDir = await tempDir();
    const first = await startServerProcess({ DATA_DIR: dataDir });
    const { document, owner } = await createDocument(first.url);
    const writer = connectYjs(first.wsUrl, document.id, { cookie: owner.cookie });
    await writer.synced;
    for (let i = 0; i < 50; i++) writer.text.insert(writer.text.length, `edit ${i}; `);
    const expected = writer.text.toString();
    // The documented window is at most 1 s; wait it out, then kill without warning.
    await new Promise((r) => setTimeout(r, 1_000));
    first.child.kill('SIGKILL');
    await first.exited;
    writer.destroy();

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
    // Let the update reach the server, but stop well inside the 1 s window.
    await new Promise((r) => setTimeout(r, 100));
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

  it('fails to start within seconds, saying why, when MONGODB_URI cannot be reached', async () => {
    const started = Date.now();
    const proc = spawnServer({ MONGODB_URI: 'mongodb://127.0.0.1:1/convene' });
    const exit = await proc.exited;
    expect(exit.code).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(proc.output()).toMatch(/could not start/i);
    expect(proc.output()).toMatch(/mongodb/i);
  });
});
