import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { randomUUID } from 'node:crypto';
import { startServer, createDocument } from './helpers/server.ts';
import { connectYjs, eventually, rawYjsSocket, updateFrame } from './helpers/yjs.ts';
import { CloseCode } from '../shared/errors.ts';
import type { Store, Collection, BaseDoc } from '../server/store/types.ts';

/** A valid update inserting `text`, made on a throwaway doc. */
function textUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

async function setup() {
  const s = await startServer();
  const { document, owner } = await createDocument(s.url);
  const honest = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
  await honest.synced;
  honest.text.insert(0, 'Draft text.');
  await eventually(async () => (await s.server.updateLog.stats(document.id)).entries > 0, 'the draft to be stored');
  return { s, document, honest, owner };
}

describe('bad input on the Yjs endpoint', () => {
  const malformed: Record<string, Uint8Array> = {
    'an unknown message type': Uint8Array.of(9, 1, 2, 3),
    'a truncated sync message': Uint8Array.of(0, 2, 50, 1, 2),
    'a truncated update': updateFrame(textUpdate('injected text').slice(0, 9)),
    // Yjs would integrate the inserted text before failing on the delete set: only full validation stops it.
    'an update cut short inside its delete set': (() => {
      const doc = new Y.Doc();
      doc.getText('t').insert(0, 'injected text');
      doc.getText('t').delete(0, 3);
      const update = Y.encodeStateAsUpdate(doc);
      return updateFrame(update.slice(0, update.length - 1));
    })(),
    'an update with garbage inside': updateFrame(Uint8Array.of(5, 200, 1, 255, 255, 255, 255, 15, 7, 7)),
    'trailing bytes after a valid update': Uint8Array.of(...updateFrame(textUpdate('injected')), 0, 0),
    'an awareness message with broken JSON': (() => {
      const inner = encoding.createEncoder();
      encoding.writeVarUint(inner, 1);
      encoding.writeVarUint(inner, 77);
      encoding.writeVarUint(inner, 1);
      encoding.writeVarString(inner, '{"user": ');
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
      return encoding.toUint8Array(e);
    })(),
    'an empty frame': new Uint8Array(0),
  };

  for (const [name, frame] of Object.entries(malformed)) {
    it(`closes the socket on ${name} and changes nothing`, async () => {
      const { s, document, honest, owner } = await setup();
      const before = await s.server.updateLog.stats(document.id);
      const raw = rawYjsSocket(s.wsUrl, document.id, owner.cookie);
      await raw.open;
      raw.ws.send(frame);
      const closed = await raw.closed;
      expect(closed.code).toBe(CloseCode.badMessage);
      expect(closed.reason).not.toBe('');

      // The others keep editing; the document and the store hold only honest text.
      honest.text.insert(honest.text.length, ' More.');
      const other = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
      await eventually(() => other.text.toString() === 'Draft text. More.', 'a new client to see only honest text');
      await s.server.rooms.flushAll();
      const after = await s.server.updateLog.stats(document.id);
      expect(after.entries).toBeGreaterThanOrEqual(before.entries);
      const stored = new Y.Doc();
      Y.applyUpdate(stored, (await s.server.updateLog.load(document.id)).update);
      expect(stored.getText('t').toString()).toBe('Draft text. More.');
    });
  }

  it('closes the socket with 1009 on a message over the size limit, and changes nothing', async () => {
    const s = await startServer({ config: { limits: { httpBodyBytes: 1 << 20, socketMessageBytes: 1 << 20, yjsMessageBytes: 4096 } } });
    const { document, owner } = await createDocument(s.url);
    const raw = rawYjsSocket(s.wsUrl, document.id, owner.cookie);
    await raw.open;
    raw.ws.send(updateFrame(textUpdate('x'.repeat(10_000))));
    expect((await raw.closed).code).toBe(CloseCode.messageTooBig);
    const reader = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
    await reader.synced;
    expect(reader.text.toString()).toBe('');
    expect((await s.server.updateLog.stats(document.id)).entries).toBe(0);
  });

  it('refuses unknown and malformed document ids with 4404', async () => {
    const s = await startServer();
    const { owner } = await createDocument(s.url);
    for (const id of [randomUUID(), 'not-a-uuid', '..%2F..%2Fetc']) {
      const raw = rawYjsSocket(s.wsUrl, id, owner.cookie);
      expect((await raw.closed).code).toBe(CloseCode.documentNotFound);
    }
    expect(s.server.rooms.loadedCount).toBe(0);
  });

  it('refuses a document whose stored log cannot be read, and never overwrites it', async () => {
    const dataDir = (await startServer()).dataDir; // only for a temp dir cleaned up later
    const { openEmbeddedStore } = await import('../server/store/embedded.ts');
    const real = await openEmbeddedStore(`${dataDir}/failing`);
    let failLoads = true;
    const store: Store = {
      kind: real.kind,
      close: () => real.close(),
      collection<T extends BaseDoc>(name: string): Collection<T> {
        const c = real.collection<T>(name);
        if (name !== 'yjs_updates') return c;
        return { ...bindAll(c), find: (f, o) => (failLoads ? Promise.reject(new Error('disk on fire')) : c.find(f, o)) };
      },
    };
    const s = await startServer({ store, dataDir: `${dataDir}/failing` });
    const { document, owner } = await createDocument(s.url);
    await s.server.updateLog.append(document.id, 1, [textUpdate('precious words')]);

    const raw = rawYjsSocket(s.wsUrl, document.id, owner.cookie);
    await raw.open;
    raw.ws.send(updateFrame(textUpdate('would overwrite')));
    expect((await raw.closed).code).toBe(CloseCode.documentUnavailable);
    expect(s.server.rooms.isLoaded(document.id)).toBe(false);

    failLoads = false;
    const reader = connectYjs(s.wsUrl, document.id, { cookie: owner.cookie });
    await reader.synced;
    expect(reader.text.toString()).toBe('precious words');
  });
});

function bindAll<T extends BaseDoc>(c: Collection<T>): Collection<T> {
  return {
    insertOne: (d) => c.insertOne(d),
    insertMany: (d) => c.insertMany(d),
    findOne: (f) => c.findOne(f),
    find: (f, o) => c.find(f, o),
    updateOne: (f, u, o) => c.updateOne(f, u, o),
    findOneAndUpdate: (f, u, o) => c.findOneAndUpdate(f, u, o),
    deleteOne: (f) => c.deleteOne(f),
    deleteMany: (f) => c.deleteMany(f),
    countDocuments: (f) => c.countDocuments(f),
    createIndex: (k, o) => c.createIndex(k, o),
  };
}
