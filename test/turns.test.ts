import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { turnShare } from '../server/collab/turns.ts';

let server: WebSocketServer | undefined;
afterEach(() => server?.close());

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('a connection’s share of a turn', () => {
  it('pauses the socket after its budget of messages and resumes it on the next turn', async () => {
    const calls: string[] = [];
    const counted = turnShare({ pause: () => calls.push('pause'), resume: () => calls.push('resume') }, 4);
    for (let i = 0; i < 3; i++) counted();
    expect(calls).toEqual([]);
    counted();
    expect(calls).toEqual(['pause']);
    await nextTurn();
    expect(calls).toEqual(['pause', 'resume']);
    for (let i = 0; i < 4; i++) counted();
    expect(calls).toEqual(['pause', 'resume', 'pause']);
  });

  it('spreads a flood from one socket over many turns, in order and without losing a message', async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const [ws] = (await once(server, 'connection')) as [WebSocket];
    await once(client, 'open');

    // Turns of the event loop, counted by a ticker; which turn handled each message.
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const perTurn = new Map<number, number>();
    const received: number[] = [];
    const counted = turnShare(ws);
    ws.on('message', (data: Buffer) => {
      counted();
      received.push(data.readUInt32LE(0));
      perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
    });

    // 100,000 messages (1.2 MB) written at once: unshared, Node reads up to 2 MiB of them in one turn.
    const total = 100_000;
    for (let i = 0; i < total; i++) {
      const b = Buffer.alloc(6);
      b.writeUInt32LE(i, 0);
      client.send(b);
    }
    while (received.length < total) await nextTurn();
    ticking = false;
    client.close();

    expect(received.every((n, i) => n === i)).toBe(true);
    // What one turn handles is what was already read when the budget ran out: a chunk or two, not the flood.
    expect(Math.max(...perTurn.values())).toBeLessThan(total / 5);
  });
});
