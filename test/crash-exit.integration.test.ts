import { describe, expect, it } from 'vitest';
import path from 'node:path';
import * as Y from 'yjs';
import { startServerProcess } from './helpers/process.ts';
import { createDocument, tempDir } from './helpers/server.ts';
import { connectYjs, eventually } from './helpers/yjs.ts';
import { openEmbeddedStore } from '../server/store/embedded.ts';
import { UpdateLog } from '../server/collab/persistence.ts';
import { projectRoot } from '../server/http/client.ts';
import { CloseCode } from '../shared/errors.ts';

const trigger = ['--import', path.join(projectRoot, 'test', 'fixtures', 'crash-trigger.ts')];

async function storedTextIn(dataDir: string, docId: string): Promise<string> {
  const store = await openEmbeddedStore(dataDir);
  try {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await new UpdateLog(store).load(docId)).update);
    return doc.getText('t').toString();
  } finally {
    await store.close();
  }
}

describe('a crash inside the server process', () => {
  it.each([
    ['SIGUSR2', 'uncaught exception', 'test-triggered uncaught exception'],
    ['SIGHUP', 'unhandled promise rejection', 'test-triggered unhandled rejection'],
  ] as const)('(%s: %s) is logged at fatal, documents are written, connections closed, and the exit is non-zero', async (signal, msg, error) => {
    const dataDir = await tempDir();
    // A 1 s persistence window: edits made just before the crash are still only in memory.
    const server = await startServerProcess({ DATA_DIR: dataDir, PERSIST_MAX_DELAY_MS: '1000', PERSIST_DEBOUNCE_MS: '1000' }, trigger);
    const { owner, document } = await createDocument(server.url);
    const writer = connectYjs(server.wsUrl, document.id, { cookie: owner.cookie });
    const watcher = connectYjs(server.wsUrl, document.id, { cookie: owner.cookie });
    await Promise.all([writer.synced, watcher.synced]);
    const closeCodes: number[] = [];
    watcher.provider.on('connection-close', (event) => closeCodes.push(event?.code ?? 0));
    watcher.provider.on('status', ({ status }) => status === 'disconnected' && watcher.provider.disconnect());
    writer.provider.on('status', ({ status }) => status === 'disconnected' && writer.provider.disconnect());

    writer.text.insert(0, 'typed just before the crash');
    // The server has it once another client sees it; the crash comes at once, inside the persistence window.
    await eventually(() => watcher.text.toString() === 'typed just before the crash', 'the edit to reach the server');
    server.child.kill(signal);

    const exit = await server.exited;
    expect(exit.code).toBe(1);
    const fatal = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string; err?: { message?: string } })
      .filter((line) => line.level === 60);
    expect(fatal.find((line) => line.msg === msg)?.err?.message).toBe(error);
    await eventually(() => closeCodes.length > 0, 'the client to see its connection closed');
    expect(closeCodes[0]).toBe(CloseCode.goingAway);
    expect(await storedTextIn(dataDir, document.id)).toBe('typed just before the crash');
  });
});
