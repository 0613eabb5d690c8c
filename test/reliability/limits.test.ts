import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDocument, startServer } from '../helpers/server.ts';
import { connectYjs, eventually, rawYjsSocket } from '../helpers/yjs.ts';
import { CloseCode } from '../../shared/errors.ts';
import { yjsPath } from '../../shared/collab.ts';
import type { Store, Collection, BaseDoc } from '../../server/store/types.ts';
import { openEmbeddedStore } from '../../server/store/embedded.ts';

const heapMb = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

/** A store whose document loads take `delayMs`: the window in which a connection is not yet ready. */
async function slowLoadingStore(dir: string, delayMs: number): Promise<Store> {
  const real = await openEmbeddedStore(dir);
  return {
    kind: real.kind,
    close: () => real.close(),
    collection<T extends BaseDoc>(name: string): Collection<T> {
      const c = real.collection<T>(name);
      if (name !== 'yjs_updates') return c;
      return new Proxy(c, {
        get: (target, prop, receiver) =>
          prop === 'find'
            ? async (...args: Parameters<Collection<T>['find']>) => {
                await new Promise((r) => setTimeout(r, delayMs));
                return target.find(...args);
              }
            : Reflect.get(target, prop, receiver),
      });
    },
  };
}

describe('limits before a connection is ready', () => {
  it('closes a connection that floods messages before its document is loaded', async () => {
    const dir = (await startServer()).dataDir;
    const s = await startServer({ dataDir: `${dir}/slow`, store: await slowLoadingStore(`${dir}/slow`, 1_000) });
    const { owner, document } = await createDocument(s.url);
    const raw = rawYjsSocket(s.wsUrl, document.id, owner.cookie);
    await raw.open;
    for (let i = 0; i < 200; i++) raw.ws.send(Uint8Array.of(3));
    expect((await raw.closed).code).toBe(CloseCode.policyViolation);
  });

  it('closes a connection that sends too many bytes before it is ready', async () => {
    const dir = (await startServer()).dataDir;
    const s = await startServer({ dataDir: `${dir}/slow`, store: await slowLoadingStore(`${dir}/slow`, 1_000), config: { preReady: { messages: 64, bytes: 64 * 1024, timeoutMs: 10_000 } } });
    const { owner, document } = await createDocument(s.url);
    const raw = rawYjsSocket(s.wsUrl, document.id, owner.cookie);
    await raw.open;
    raw.ws.send(new Uint8Array(100 * 1024));
    expect((await raw.closed).code).toBe(CloseCode.policyViolation);
  });

  it('closes a connection whose document does not open in time, and refuses unauthenticated ones at once', async () => {
    const dir = (await startServer()).dataDir;
    const s = await startServer({ dataDir: `${dir}/slow`, store: await slowLoadingStore(`${dir}/slow`, 3_000), config: { preReady: { messages: 64, bytes: 1 << 20, timeoutMs: 500 } } });
    const { owner, document } = await createDocument(s.url);
    const raw = rawYjsSocket(s.wsUrl, document.id, owner.cookie);
    // The document would open after 3 s; it is the 500 ms pre-ready limit that closes the connection
    // (the close code says so; both are timers in the server, so a busy machine delays both alike).
    expect((await raw.closed).code).toBe(CloseCode.documentUnavailable);

    const anonymous = new WebSocket(`${s.wsUrl}${yjsPath}/${document.id}`);
    const code = await new Promise<number>((resolve) => anonymous.once('close', resolve));
    expect(code).toBe(CloseCode.unauthorized);
  });
});

describe('connection churn', () => {
  it('1,000 connect/disconnect cycles leave no document loaded and the heap within 10% of its baseline', async () => {
    // One account, ten at a time plus those still closing: the per-account cap is not what this measures.
    const s = await startServer({ config: { roomIdleMs: 100, yjsConnectionsPerAccount: 100 } });
    const { owner, document } = await createDocument(s.url);
    const cycle = async () => {
      // A bare client, not kept for cleanup: only the server's memory is in question.
      const c = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie, keep: false });
      await c.synced;
      c.doc.getText('t').insert(0, 'x');
      c.destroy();
    };
    const rounds = async (n: number) => {
      for (let i = 0; i < n; i += 10) await Promise.all(Array.from({ length: 10 }, cycle));
    };
    await rounds(100); // warm up: module caches, pools, JIT
    await eventually(() => s.server.rooms.loadedCount === 0, 'the room to unload after warm-up');
    const baseline = heapMb();

    await rounds(1_000);
    await eventually(() => s.server.rooms.loadedCount === 0, 'every room to unload', 10_000);
    const after = heapMb();
    console.log(`churn: heap ${baseline.toFixed(1)} MB → ${after.toFixed(1)} MB after 1,000 cycles`);
    expect(after).toBeLessThanOrEqual(baseline * 1.1);
  });
});
