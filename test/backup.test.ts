import { createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBackup, writeBackup, BackupFileError } from '../server/backup/format.ts';
import { restoreBackup } from '../server/backup/restore.ts';
import { openEmbeddedStore, openMongoStore } from '../server/store/index.ts';
import type { Store } from '../server/store/types.ts';
import { tempDir } from './helpers/server.ts';
import { embeddedInstance, mongoInstance, MONGODB_URI, type Instance, type InstanceFactory } from './helpers/backup.ts';

interface Odd {
  _id: string;
  bytes?: Uint8Array;
  at?: Date;
  nested?: { list: unknown[]; deeper: { empty: Uint8Array; when: Date[] } };
  text?: string;
  n?: number;
}

const allBytes = () => Uint8Array.from({ length: 256 }, (_, i) => i);
const odd = (): Odd[] => [
  {
    _id: 'a',
    bytes: allBytes(),
    at: new Date('2026-05-01T12:34:56.789Z'),
    nested: { list: [1, 'two', null, true, { x: allBytes().subarray(10, 20) }], deeper: { empty: new Uint8Array(0), when: [new Date(0)] } },
    text: 'line\nbreak \u2028 and "quotes" and ☂ and {"$binary":"not bytes"}',
    n: -0.5,
  },
  { _id: 'b\n"odd id"', n: 2 ** 53 - 1 },
];

const open = (instance: Instance): Promise<Store> =>
  instance.env.MONGODB_URI ? openMongoStore(instance.env.MONGODB_URI) : openEmbeddedStore(instance.dataDir);

async function backupOf(store: Store, file: string) {
  return writeBackup(await store.snapshot!(), store.kind, createWriteStream(file));
}

function suite(label: string, instance: InstanceFactory) {
  describe(`backup format and snapshot (${label})`, () => {
    it('round-trips bytes, dates, nested values and odd strings exactly', async () => {
      const source = await instance();
      const store = await open(source);
      await store.collection<Odd>('odd').insertMany(odd());
      await store.collection<Odd>('plain').insertOne({ _id: 'p', n: 1 });
      const file = path.join(await tempDir(), 'b.jsonl.gz');
      const written = await backupOf(store, file);
      await store.close();
      expect(written.counts).toEqual({ odd: 2, plain: 1 });

      const target = await instance();
      const result = await restoreBackup({ file, dataDir: target.dataDir, mongodbUri: target.env.MONGODB_URI });
      expect(result.sha256).toBe(written.sha256);
      const restored = await open(target);
      const docs = await restored.collection<Odd>('odd').find({}, { sort: { _id: 1 } });
      await restored.close();
      expect(docs).toEqual(odd());
      expect(docs[0]!.bytes).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(docs[0]!.bytes!).equals(Buffer.from(allBytes()))).toBe(true);
      expect(docs[0]!.at).toBeInstanceOf(Date);
    });

    it('reads every collection as it was when the snapshot was taken, whatever is written after', async () => {
      const source = await instance();
      const store = await open(source);
      const items = store.collection<{ _id: string; v: number }>('items');
      await items.insertMany(Array.from({ length: 1200 }, (_, i) => ({ _id: `k${String(i).padStart(4, '0')}`, v: i })));
      const snapshot = await store.snapshot!();
      if (store.kind === 'embedded') {
        // Exact: the store's state at one instant (MongoDB's pages only promise a document in one state or the other).
        await items.updateOne({ _id: 'k0000' }, { $set: { v: -1 } });
        await items.deleteMany({ v: { $gte: 600 } });
        await items.insertOne({ _id: 'k9999', v: 9999 });
      }
      const seen: { _id: string; v: number }[] = [];
      for await (const batch of snapshot.read('items', 500)) {
        expect(batch.length).toBeLessThanOrEqual(500);
        seen.push(...(batch as typeof seen));
      }
      await store.close();
      expect(seen.map((d) => d.v).sort((a, b) => a - b)).toEqual(Array.from({ length: 1200 }, (_, i) => i));
    });
  });
}

suite('embedded store', embeddedInstance);
describe.runIf(MONGODB_URI !== '')('MongoDB', () => suite('MongoDB', mongoInstance));

describe('reading a backup', () => {
  it('checks the whole file before anything is handed on', async () => {
    const dir = await tempDir();
    const store = await openEmbeddedStore(path.join(dir, 'data'));
    await store.collection('c').insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `d${i}` })));
    const file = path.join(dir, 'b.jsonl.gz');
    await backupOf(store, file);
    await store.close();
    const handed: string[] = [];
    const summary = await readBackup(createReadStream(file), undefined, async (c, docs) => void handed.push(...docs.map((d) => `${c}/${d._id}`)), 7);
    expect(summary.documents).toBe(50);
    expect(handed).toHaveLength(50);
    await expect(readBackup(createReadStream(file), { maxBytes: 1 << 20, maxLineBytes: 10 })).rejects.toThrow(BackupFileError);
    await expect(readBackup(createReadStream(file), { maxBytes: 100, maxLineBytes: 100 })).rejects.toThrow(/larger than the limit/);
  });

});
