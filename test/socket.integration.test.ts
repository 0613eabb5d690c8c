import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startServer, registerUser, addMember } from './helpers/server.ts';
import { connectSocket } from './helpers/socket.ts';
import { eventually } from './helpers/yjs.ts';
import type { Consultation, DocumentMeta } from '../shared/schemas.ts';

describe('Socket.IO: following a consultation live', () => {
  it('refuses a handshake without a valid session', async () => {
    const s = await startServer();
    await expect(connectSocket(s.url)).rejects.toThrow(/unauthenticated/);
    await expect(connectSocket(s.url, 'convene_session=forged')).rejects.toThrow(/unauthenticated/);
  });

  it('lets only members watch a consultation, without revealing that it exists', async () => {
    const s = await startServer();
    const owner = await registerUser(s.url);
    const c = await owner.call<Consultation>('POST', '/consultations', { title: 'Private' });
    const stranger = await connectSocket(s.url, (await registerUser(s.url)).cookie);
    expect(await stranger.emitWithAck('consultation:watch', c.body.id)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const member = await addMember(s.url, owner, c.body.id, 'observer');
    const memberSocket = await connectSocket(s.url, member.cookie);
    expect(await memberSocket.emitWithAck('consultation:watch', c.body.id)).toMatchObject({ ok: true });
  });

  it('tells watchers of a consultation, and only them, about new documents', async () => {
    const s = await startServer();
    const me = await registerUser(s.url);
    const a = await me.call<Consultation>('POST', '/consultations', { title: 'A' });
    const b = await me.call<Consultation>('POST', '/consultations', { title: 'B' });
    const watcher = await connectSocket(s.url, me.cookie);
    const elsewhere = await connectSocket(s.url, me.cookie);
    const ack = await watcher.emitWithAck('consultation:watch', a.body.id);
    expect(ack).toEqual({ ok: true, data: a.body });
    expect((await elsewhere.emitWithAck('consultation:watch', b.body.id)).ok).toBe(true);

    const seen: DocumentMeta[] = [];
    const seenElsewhere: DocumentMeta[] = [];
    watcher.on('document:created', (d) => seen.push(d));
    elsewhere.on('document:created', (d) => seenElsewhere.push(d));
    const created = await me.call<DocumentMeta>('POST', `/consultations/${a.body.id}/documents`, { title: 'Chapter 2' });
    await eventually(() => seen.length === 1, 'the watcher to hear of the document');
    expect(seen[0]).toEqual(created.body);
    expect(seenElsewhere).toEqual([]);
  });

  it('answers bad and unknown ids with an error in the acknowledgement', async () => {
    const s = await startServer();
    const socket = await connectSocket(s.url, (await registerUser(s.url)).cookie);
    const unknown = await socket.emitWithAck('consultation:watch', randomUUID());
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const malformed = await socket.emitWithAck('consultation:watch', { $gt: '' } as unknown as string);
    expect(malformed).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(socket.connected).toBe(true);
  });

  it('disconnects a client that sends a message over the size limit', async () => {
    const s = await startServer({ config: { limits: { httpBodyBytes: 1 << 20, socketMessageBytes: 4096, yjsMessageBytes: 1 << 20 } } });
    const socket = await connectSocket(s.url, (await registerUser(s.url)).cookie);
    const reason = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    socket.emit('consultation:watch', 'x'.repeat(10_000), () => undefined);
    expect(await reason).toBe('transport close');
  });
});
