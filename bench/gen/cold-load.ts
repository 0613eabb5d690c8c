/**
 * Workload e's newcomer: opens a document, asks for everything (sync step 1
 * with an empty state vector) and times connect → state received → applied.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { serve } from '../lib/ipc.ts';
import { now } from '../lib/clock.ts';
import { readFrame, syncStep1Frame } from '../lib/wire.ts';

const held: WebSocket[] = [];

serve({
  load(o: { url: string; cookie: string; expectLength: number; timeoutMs: number; hold?: boolean }) {
    return new Promise((resolve, reject) => {
      const t0 = now();
      let opened = 0;
      const ws = new WebSocket(o.url, { headers: o.cookie ? { cookie: o.cookie } : {}, perMessageDeflate: false, maxPayload: 2 ** 30 });
      const timer = setTimeout(() => (ws.terminate(), reject(new Error(`no sync within ${o.timeoutMs} ms`))), o.timeoutMs);
      ws.on('open', () => {
        opened = now();
        ws.send(syncStep1Frame());
      });
      ws.on('message', (data: Buffer) => {
        const received = now();
        const msg = readFrame(data, false);
        if (msg.kind !== 'update' || !msg.step2) return;
        const doc = new Y.Doc();
        Y.applyUpdate(doc, msg.update);
        const synced = now();
        const length = doc.getText('t').length;
        clearTimeout(timer);
        if (o.hold) held.push(ws);
        else ws.close();
        resolve({ openMs: opened - t0, receivedMs: received - t0, syncedMs: synced - t0, bytes: msg.update.length, ok: length === o.expectLength, length });
      });
      ws.on('close', (code, reason) => reject(new Error(`closed ${code} ${reason.toString()}`)));
      ws.on('error', reject);
    });
  },
  release() {
    for (const ws of held.splice(0)) ws.close();
  },
});
