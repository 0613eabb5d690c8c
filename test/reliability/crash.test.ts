import { describe, expect, it } from 'vitest';
import net from 'node:net';
import * as Y from 'yjs';
import { startServerProcess } from '../helpers/process.ts';
import { createDocument, tempDir } from '../helpers/server.ts';
import { connectYjs, eventually, type YjsClient } from '../helpers/yjs.ts';
import { openEmbeddedStore } from '../../server/store/embedded.ts';
import { UpdateLog } from '../../server/collab/persistence.ts';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Each client types its own tokens; at the end every token of every client must be everywhere. */
function tokensOf(text: string, client: number): number {
  return text.split(`<${client}:`).length - 1;
}

describe('crash and reconnection', () => {
  it('SIGKILL while 50 clients edit: after restart and reconnection, every client and the store hold every edit', async () => {
    const dataDir = await tempDir();
    const port = String(await freePort());
    // Fifty clients on one account: above the default per-account cap, which is not what this test is about.
    const env = { DATA_DIR: dataDir, PORT: port, YJS_MAX_CONNECTIONS_PER_ACCOUNT: '50' };
    let server = await startServerProcess(env);
    const { owner, document } = await createDocument(server.url);
    const clients: YjsClient[] = Array.from({ length: 50 }, () => connectYjs(server.wsUrl, document.id, { cookie: owner.cookie }));
    await Promise.all(clients.map((c) => c.synced));

    const typed = new Array<number>(clients.length).fill(0);
    const typing = setInterval(() => {
      clients.forEach((c, i) => {
        // At either end, so that no token is split by another and each can be counted.
        c.text.insert(Math.random() < 0.5 ? 0 : c.text.length, `<${i}:${typed[i]!++}>`);
      });
    }, 50);
    await new Promise((r) => setTimeout(r, 1_500));
    server.child.kill('SIGKILL');
    await server.exited;
    // They keep typing while the server is down.
    await new Promise((r) => setTimeout(r, 500));
    server = await startServerProcess(env);
    await new Promise((r) => setTimeout(r, 1_000));
    clearInterval(typing);

    await eventually(() => clients.every((c) => c.provider.wsconnected && c.provider.synced), 'every client to reconnect', 120_000);
    const expected = clients[0]!.text.length;
    await eventually(() => clients.every((c) => c.text.toString() === clients[0]!.text.toString()), 'every client to converge', 120_000);
    for (let i = 0; i < clients.length; i++) expect(tokensOf(clients[0]!.text.toString(), i)).toBe(typed[i]);
    expect(clients[0]!.text.length).toBeGreaterThanOrEqual(expected);

    // The store, read after a clean stop, holds the same.
    const final = clients[0]!.text.toString();
    await new Promise((r) => setTimeout(r, 1_200));
    clients.forEach((c) => c.destroy());
    server.child.kill('SIGTERM');
    await server.exited;
    const store = await openEmbeddedStore(dataDir);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await new UpdateLog(store).load(document.id)).update);
    await store.close();
    expect(doc.getText('t').toString()).toBe(final);
  });

  it('clients offline for 30 s with their own edits merge on reconnect', async () => {
    const dataDir = await tempDir();
    const server = await startServerProcess({ DATA_DIR: dataDir });
    const { owner, document } = await createDocument(server.url);
    const online = connectYjs(server.wsUrl, document.id, { cookie: owner.cookie });
    const offline = [0, 1, 2].map(() => connectYjs(server.wsUrl, document.id, { cookie: owner.cookie }));
    await Promise.all([online, ...offline].map((c) => c.synced));
    online.text.insert(0, 'Shared preamble. ');
    await eventually(() => offline.every((c) => c.text.toString() === 'Shared preamble. '), 'the preamble everywhere');

    offline.forEach((c) => c.provider.disconnect());
    const started = Date.now();
    let round = 0;
    while (Date.now() - started < 30_000) {
      online.text.insert(online.text.length, `[online ${round}]`);
      offline.forEach((c, i) => c.text.insert(c.text.length, `[offline ${i}.${round}]`));
      round++;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(online.text.toString()).not.toContain('offline');

    offline.forEach((c) => c.provider.connect());
    await eventually(() => [online, ...offline].every((c) => c.text.toString() === online.text.toString() && c.text.toString().includes(`[offline 2.${round - 1}]`)), 'everyone to merge', 120_000);
    for (let i = 0; i < 3; i++) for (let r = 0; r < round; r++) expect(online.text.toString()).toContain(`[offline ${i}.${r}]`);
  });
});
