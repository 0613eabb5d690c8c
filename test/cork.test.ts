import { afterEach, describe, expect, it, vi } from 'vitest';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import * as wsModule from 'ws';
import { WebSocket, WebSocketServer } from 'ws';
import { corkedSender } from '../server/collab/cork.ts';

let server: WebSocketServer | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  server?.close();
  server = undefined;
});

/** A real server-side WebSocket with a connected client, and the server socket's writes counted. */
async function pair() {
  server ??= new WebSocketServer({ port: 0, host: '127.0.0.1' });
  if (!server.address()) await once(server, 'listening');
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const [ws] = (await once(server, 'connection')) as [WebSocket];
  if (client.readyState !== client.OPEN) await once(client, 'open');
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

  it('frames a message once however many people it goes to, and each receives it whole', async () => {
    const frame = vi.spyOn((wsModule as unknown as { Sender: { frame: (...a: unknown[]) => unknown } }).Sender, 'frame');
    const one = await pair();
    const two = await pair();
    const small = Uint8Array.from({ length: 300 }, (_, i) => i % 251);
    const large = Uint8Array.from({ length: 100_000 }, (_, i) => i % 241);
    for (const data of [small, large]) for (const p of [one, two]) corkedSender(p.ws)(data);
    // Binary frames only: close frames from earlier tests' connections may be built meanwhile.
    const built = frame.mock.calls.filter(([, options]) => (options as { opcode: number }).opcode === 2);
    expect(built.map(([payload]) => (payload as Buffer).length)).toEqual([300, 100_000]);

    for (const p of [one, two]) {
      while (p.received.length < 2) await once(p.client, 'message');
      expect(p.received.map((d) => Buffer.compare(d, Buffer.from(small)) === 0 || Buffer.compare(d, Buffer.from(large)) === 0)).toEqual([true, true]);
      expect(p.received.map((d) => d.length)).toEqual([300, 100_000]);
      p.client.close();
    }
  });

  it('leaves a connection that is closing to ws.send, which refuses quietly', async () => {
    const { ws, client } = await pair();
    ws.close();
    const send = corkedSender(ws);
    expect(() => send(Uint8Array.of(1, 2, 3))).not.toThrow();
    // ws.send counts what it could not send on a closing socket; writing a frame directly would not.
    expect(ws.bufferedAmount).toBe(3);
    await once(client, 'close');
  });
});
