import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { corkedSender } from '../server/collab/cork.ts';

let server: WebSocketServer | undefined;
afterEach(() => server?.close());

/** A real server-side WebSocket with a connected client, and the server socket's writes counted. */
async function pair() {
  server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(server, 'listening');
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const [ws] = (await once(server, 'connection')) as [WebSocket];
  await once(client, 'open');
  const raw = (ws as unknown as { _socket: { _write: unknown; _writev: unknown } })._socket;
  const writes = { single: 0, vectored: 0 };
  for (const [name, key] of [['_write', 'single'], ['_writev', 'vectored']] as const) {
    const original = raw[name] as (...a: unknown[]) => unknown;
    raw[name] = function (this: unknown, ...a: unknown[]) {
      writes[key]++;
      return original.apply(this, a);
    };
  }
  const received: Buffer[] = [];
  client.on('message', (d: Buffer) => received.push(d));
  return { ws, client, writes, received };
}

describe('corked sending', () => {
  it('writes every frame sent in one turn of the event loop with one system call, each arriving as its own message', async () => {
    const { ws, client, writes, received } = await pair();
    const send = corkedSender(ws);
    for (let i = 0; i < 10; i++) send(Uint8Array.of(i, i, i));
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual({ single: 0, vectored: 1 });

    while (received.length < 10) await once(client, 'message');
    expect(received.map((d) => d[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    client.close();
  });

  it('lets a long turn\'s frames go in writes of 64 rather than all at its end', async () => {
    const { ws, client, writes, received } = await pair();
    const send = corkedSender(ws);
    for (let i = 0; i < 150; i++) send(Uint8Array.of(i % 256));
    expect(writes.vectored).toBe(2);
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual({ single: 0, vectored: 3 });
    while (received.length < 150) await once(client, 'message');
    expect(received.map((d) => d[0])).toEqual(Array.from({ length: 150 }, (_, i) => i));
    client.close();
  });

  it('corks again on the next turn', async () => {
    const { ws, client, writes, received } = await pair();
    const send = corkedSender(ws);
    send(Uint8Array.of(1));
    send(Uint8Array.of(2));
    await new Promise((r) => setImmediate(r));
    send(Uint8Array.of(3));
    send(Uint8Array.of(4));
    await new Promise((r) => setImmediate(r));
    expect(writes.single + writes.vectored).toBe(2);
    while (received.length < 4) await once(client, 'message');
    expect(received.map((d) => d[0])).toEqual([1, 2, 3, 4]);
    client.close();
  });
});
