/**
 * A bare Socket.IO server for workload d's comparison: clients join rooms
 * with `consultation:watch` / `document:watch`, and `thread:create` is
 * acknowledged and broadcast as `thread:changed` to the document's room,
 * shaped like Convene's thread. No auth, no store, default options.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { Server } from 'socket.io';
import { serveBareServer } from '../lib/metrics.ts';

const server = http.createServer();
const io = new Server(server, { serveClient: false });
const groups = ['government', 'nhri', 'civil_society', 'international', 'other'];
let seq = 0;

io.on('connection', (socket) => {
  const join = (room: string) => (id: string, ack: (reply: unknown) => void) => {
    void socket.join(`${room}:${id}`);
    ack({ ok: true, data: room === 'document' ? { threads: [], seq } : { id } });
  };
  socket.on('consultation:watch', join('consultation'));
  socket.on('document:watch', join('document'));
  socket.on('thread:create', (input: { documentId: string; anchor: unknown; body: string }, ack: (reply: unknown) => void) => {
    const at = new Date().toISOString();
    const author = { memberId: randomUUID(), alias: 1, group: 'nhri', role: 'facilitator' };
    const thread = {
      id: randomUUID(),
      documentId: input.documentId,
      anchor: input.anchor,
      status: 'open',
      seq: ++seq,
      comments: [{ id: randomUUID(), author, body: input.body, deleted: false, editedAt: null, createdAt: at }],
      proposal: null,
      counts: Object.fromEntries(groups.map((g) => [g, { support: 0, object: 0, neutral: 0 }])),
      createdAt: at,
      updatedAt: at,
    };
    io.to(`document:${input.documentId}`).emit('thread:changed', thread);
    ack({ ok: true, data: thread });
  });
});
await serveBareServer(server);
