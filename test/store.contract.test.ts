import { describe, it, expect, beforeEach, afterEach, afterAll } from 'vitest';
import { chmod, mkdtemp, rm, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { openEmbeddedStore } from '../server/store/embedded.ts';
import { openMongoStore } from '../server/store/mongo.ts';
import { openStore, DuplicateKeyError, StoreUnavailableError } from '../server/store/index.ts';
import type { Collection, Store } from '../server/store/index.ts';

interface Item {
  _id: string;
  n?: number;
  tag?: string | null;
  tags?: string[];
  meta?: { score: number; label?: string };
  at?: Date;
  data?: unknown;
  list?: unknown[];
}

const ITEMS: Item[] = [
  { _id: 'a', n: 1, tag: 'x', tags: ['p', 'q'], meta: { score: 30 } },
  { _id: 'b', n: 2, tag: 'y', tags: ['q'], meta: { score: 10 } },
  { _id: 'c', n: 3, tag: 'x', meta: { score: 20 } },
  { _id: 'd', n: 4, tag: null },
  { _id: 'e', n: 5 },
];

const ids = (docs: Item[]) => docs.map((d) => d._id);
const allBytes = () => Uint8Array.from({ length: 256 }, (_, i) => i);

function expectBytes(value: unknown, expected: Uint8Array) {
  expect(value).toBeInstanceOf(Uint8Array);
  expect(Buffer.from(value as Uint8Array).equals(Buffer.from(expected))).toBe(true);
}

function contract(name: string, open: () => Promise<Store>) {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    let items: Collection<Item>;

    beforeEach(async () => {
      store = await open();
      items = store.collection<Item>('items');
    });
    afterEach(() => store.close());

    const seed = () => items.insertMany(ITEMS.map((d) => structuredClone(d)));

    it('inserts and finds one, returning copies', async () => {
      await items.insertOne({ _id: 'k', n: 7, meta: { score: 1 } });
      const found = await items.findOne({ _id: 'k' });
      expect(found).toEqual({ _id: 'k', n: 7, meta: { score: 1 } });
      found!.meta!.score = 99;
      expect((await items.findOne({ _id: 'k' }))?.meta?.score).toBe(1);
      expect(await items.findOne({ _id: 'nope' })).toBeNull();
    });

    it('rejects duplicate _id and unique-index clashes with DuplicateKeyError', async () => {
      await items.insertOne({ _id: 'a', tag: 't1' });
      await expect(items.insertOne({ _id: 'a' })).rejects.toBeInstanceOf(DuplicateKeyError);
      await items.createIndex({ tag: 1 }, { unique: true });
      await expect(items.insertOne({ _id: 'b', tag: 't1' })).rejects.toBeInstanceOf(DuplicateKeyError);
      await items.insertOne({ _id: 'c', tag: 't2' });
      await expect(items.updateOne({ _id: 'c' }, { $set: { tag: 't1' } })).rejects.toBeInstanceOf(DuplicateKeyError);
      // Ordered insert: documents before the clash stay, the rest are not written.
      await expect(items.insertMany([{ _id: 'd', tag: 't3' }, { _id: 'a' }, { _id: 'e', tag: 't4' }])).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(ids(await items.find({}, { sort: { _id: 1 } }))).toEqual(['a', 'c', 'd']);
    });

    it('filters with comparison, membership, existence, $or and dotted paths', async () => {
      await seed();
      const q = async (filter: Record<string, unknown>) => ids(await items.find(filter, { sort: { _id: 1 } }));
      expect(await q({ n: { $gt: 3 } })).toEqual(['d', 'e']);
      expect(await q({ n: { $gte: 3 } })).toEqual(['c', 'd', 'e']);
      expect(await q({ n: { $lt: 2 } })).toEqual(['a']);
      expect(await q({ n: { $lte: 2 } })).toEqual(['a', 'b']);
      expect(await q({ n: { $gt: 1, $lt: 4 } })).toEqual(['b', 'c']);
      expect(await q({ tag: { $in: ['x', 'y'] } })).toEqual(['a', 'b', 'c']);
      expect(await q({ tag: { $nin: ['x', 'y'] } })).toEqual(['d', 'e']);
      expect(await q({ tag: { $ne: 'x' } })).toEqual(['b', 'd', 'e']);
      expect(await q({ tag: { $eq: 'y' } })).toEqual(['b']);
      expect(await q({ tag: { $exists: true } })).toEqual(['a', 'b', 'c', 'd']);
      expect(await q({ tag: { $exists: false } })).toEqual(['e']);
      expect(await q({ tag: null })).toEqual(['d', 'e']);
      expect(await q({ tag: { $ne: null } })).toEqual(['a', 'b', 'c']);
      expect(await q({ $or: [{ n: 1 }, { tag: 'y' }, { n: { $gte: 5 } }] })).toEqual(['a', 'b', 'e']);
      expect(await q({ $and: [{ tag: 'x' }, { n: { $gt: 1 } }] })).toEqual(['c']);
      expect(await q({ 'meta.score': { $gte: 20 } })).toEqual(['a', 'c']);
      expect(await q({ 'meta.score': 10 })).toEqual(['b']);
      expect(await q({ tags: 'q' })).toEqual(['a', 'b']);
      expect(await q({ tags: { $ne: 'p' } })).toEqual(['b', 'c', 'd', 'e']);
      expect(await q({})).toEqual(['a', 'b', 'c', 'd', 'e']);
    });

    it('sorts, skips and limits', async () => {
      await seed();
      expect(ids(await items.find({}, { sort: { n: 1 } }))).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(ids(await items.find({}, { sort: { n: -1 } }))).toEqual(['e', 'd', 'c', 'b', 'a']);
      expect(ids(await items.find({ tag: { $in: ['x', 'y'] } }, { sort: { tag: 1, n: -1 } }))).toEqual(['c', 'a', 'b']);
      expect(ids(await items.find({}, { sort: { 'meta.score': -1 }, limit: 2 }))).toEqual(['a', 'c']);
      expect(ids(await items.find({}, { sort: { n: 1 }, skip: 1, limit: 2 }))).toEqual(['b', 'c']);
      expect(ids(await items.find({}, { sort: { n: 1 }, skip: 3 }))).toEqual(['d', 'e']);
      expect(await items.find({}, { limit: 3 })).toHaveLength(3);
    });

    it('updates one document with $set, $unset, $inc, $push and $pull', async () => {
      await seed();
      expect(await items.updateOne({ _id: 'a' }, { $set: { tag: 'z', 'meta.label': 'L' }, $inc: { n: 10 } })).toEqual({
        matchedCount: 1, modifiedCount: 1, upsertedId: null,
      });
      await items.updateOne({ _id: 'a' }, { $unset: { tag: 1 }, $push: { tags: 'r' } });
      await items.updateOne({ _id: 'a' }, { $pull: { tags: 'p' } });
      await items.updateOne({ _id: 'e' }, { $inc: { n: -2 }, $push: { tags: 'new' } });
      expect(await items.findOne({ _id: 'a' })).toEqual({ _id: 'a', n: 11, tags: ['q', 'r'], meta: { score: 30, label: 'L' } });
      expect(await items.findOne({ _id: 'e' })).toEqual({ _id: 'e', n: 3, tags: ['new'] });
      expect(await items.updateOne({ _id: 'b' }, { $set: { n: 2 } })).toEqual({ matchedCount: 1, modifiedCount: 0, upsertedId: null });
      expect(await items.updateOne({ _id: 'zz' }, { $set: { n: 1 } })).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: null });
    });

    it('updates only one document when several match', async () => {
      await seed();
      const res = await items.updateOne({ tag: 'x' }, { $set: { n: 100 } });
      expect(res).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
      expect(await items.countDocuments({ n: 100 })).toBe(1);
      expect(await items.countDocuments({ tag: 'x' })).toBe(2);
    });

    it('upserts from the filter equalities plus the update', async () => {
      const res = await items.updateOne({ _id: 'u1', tag: 'x', n: { $gt: 0 } }, { $set: { meta: { score: 5 } }, $inc: { n: 2 } }, { upsert: true });
      expect(res).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: 'u1' });
      expect(await items.findOne({ _id: 'u1' })).toEqual({ _id: 'u1', tag: 'x', n: 2, meta: { score: 5 } });
      const again = await items.updateOne({ _id: 'u1' }, { $inc: { n: 1 } }, { upsert: true });
      expect(again).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
      const generated = await items.updateOne({ tag: 'fresh' }, { $set: { n: 9 } }, { upsert: true });
      expect(typeof generated.upsertedId).toBe('string');
      expect(await items.findOne({ _id: generated.upsertedId })).toEqual({ _id: generated.upsertedId, tag: 'fresh', n: 9 });
    });

    it('findOneAndUpdate returns the document after the update, or null', async () => {
      await seed();
      expect(await items.findOneAndUpdate({ _id: 'b' }, { $inc: { n: 5 }, $push: { tags: 'z' } })).toEqual({
        _id: 'b', n: 7, tag: 'y', tags: ['q', 'z'], meta: { score: 10 },
      });
      expect(await items.findOneAndUpdate({ _id: 'zz' }, { $set: { n: 1 } })).toBeNull();
      expect(await items.findOneAndUpdate({ _id: 'zz' }, { $set: { n: 1 } }, { upsert: true })).toEqual({ _id: 'zz', n: 1 });
      await items.findOneAndUpdate({ n: { $gte: 4 } }, { $set: { tag: 'one' } });
      expect(await items.countDocuments({ tag: 'one' })).toBe(1);
    });

    it('deletes and counts', async () => {
      await seed();
      expect(await items.countDocuments()).toBe(5);
      expect(await items.countDocuments({ tag: 'x' })).toBe(2);
      expect(await items.deleteOne({ tag: 'x' })).toBe(1);
      expect(await items.deleteOne({ tag: 'nope' })).toBe(0);
      expect(await items.deleteMany({ n: { $gte: 4 } })).toBe(2);
      expect(await items.deleteMany({ n: { $gte: 4 } })).toBe(0);
      expect(await items.countDocuments({})).toBe(2);
    });

    it('round-trips binary values as Uint8Array, byte for byte', async () => {
      const bytes = allBytes();
      const buffer = Buffer.from('héllo, wörld');
      const view = allBytes().subarray(10, 20);
      await items.insertOne({ _id: 'bin', data: bytes, meta: { score: 1 }, list: [new Uint8Array(0), 'text', { inner: buffer }] });
      await items.insertOne({ _id: 'view', data: view });
      const doc = await items.findOne({ _id: 'bin' });
      expectBytes(doc?.data, bytes);
      expectBytes(doc?.list?.[0], new Uint8Array(0));
      expect(doc?.list?.[1]).toBe('text');
      expectBytes((doc?.list?.[2] as { inner: unknown }).inner, buffer);
      expectBytes((await items.findOne({ _id: 'view' }))?.data, view);

      await items.updateOne({ _id: 'bin' }, { $set: { 'meta.blob': bytes.slice(0, 3) }, $push: { list: Uint8Array.of(255, 0) } });
      const updated = await items.findOneAndUpdate({ _id: 'bin' }, { $push: { list: Buffer.from([7]) } });
      expectBytes((updated?.meta as Record<string, unknown>).blob, Uint8Array.of(0, 1, 2));
      expectBytes(updated?.list?.[3], Uint8Array.of(255, 0));
      expectBytes(updated?.list?.[4], Uint8Array.of(7));

      expect(ids(await items.find({ data: view }))).toEqual(['view']);
      await items.updateOne({ _id: 'bin' }, { $pull: { list: Uint8Array.of(255, 0) } });
      expect((await items.findOne({ _id: 'bin' }))?.list).toHaveLength(4);
    });

    it('round-trips dates and compares them', async () => {
      const at = new Date('2024-05-06T07:08:09.010Z');
      await items.insertMany([{ _id: 'early', at }, { _id: 'late', at: new Date(at.getTime() + 1000) }]);
      const doc = await items.findOne({ _id: 'early' });
      expect(doc?.at).toBeInstanceOf(Date);
      expect(doc?.at?.getTime()).toBe(at.getTime());
      expect(ids(await items.find({ at: { $gt: at } }))).toEqual(['late']);
    });

    it('rejects every method after close', async () => {
      await items.insertOne({ _id: 'a' });
      await store.close();
      await expect(items.findOne({ _id: 'a' })).rejects.toThrow();
      await expect(items.insertOne({ _id: 'b' })).rejects.toThrow();
      await expect(items.countDocuments()).rejects.toThrow();
      await expect(store.collection<Item>('other').find({})).rejects.toThrow();
    });
  });
}

describe('embedded store', () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'convene-store-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  contract('embedded', async () => openEmbeddedStore(await tempDir()));

  it('keeps data, binary and indexes across close and re-open', async () => {
    const dir = join(await tempDir(), 'nested', 'data');
    const first = await openEmbeddedStore(dir);
    const coll = first.collection<Item>('items');
    await coll.createIndex({ tag: 1 }, { unique: true });
    await coll.insertMany([{ _id: 'a', tag: 'x', data: allBytes() }, { _id: 'b', tag: 'y' }]);
    await coll.updateOne({ _id: 'b' }, { $set: { n: 2 } });
    await coll.deleteOne({ _id: 'a' });
    await coll.insertOne({ _id: 'c', tag: 'x', data: allBytes() });
    await first.close();
    expect(await readdir(dir)).toEqual(['items.db']);

    const second = await openEmbeddedStore(dir);
    const again = second.collection<Item>('items');
    expect(await again.find({}, { sort: { _id: 1 } })).toEqual([
      { _id: 'b', tag: 'y', n: 2 },
      { _id: 'c', tag: 'x', data: allBytes() },
    ]);
    expectBytes((await again.findOne({ _id: 'c' }))?.data, allBytes());
    await expect(again.insertOne({ _id: 'd', tag: 'y' })).rejects.toBeInstanceOf(DuplicateKeyError);
    await second.close();
  });

  it('compact() leaves nothing deleted or overwritten in the files', async () => {
    const dir = await tempDir();
    const first = await openEmbeddedStore(dir);
    await first.collection<Item>('cold').insertOne({ _id: 'x', tag: 'erase-me-cold' });
    await first.close();
    const store = await openEmbeddedStore(dir);
    const items = store.collection<Item>('items');
    await items.insertMany([{ _id: 'a', tag: 'erase-me-deleted' }, { _id: 'b', tag: 'erase-me-overwritten' }, { _id: 'c', tag: 'kept' }]);
    await items.deleteOne({ _id: 'a' });
    await items.updateOne({ _id: 'b' }, { $set: { tag: 'new' } });
    const onDisk = async () => (await Promise.all((await readdir(dir)).map((f) => readFile(join(dir, f), 'utf8')))).join('\n');
    expect(await onDisk()).toContain('erase-me-deleted');
    expect(await onDisk()).toContain('erase-me-overwritten');
    // 'cold' was written by an earlier process: its old lines are rewritten too.
    await store.collection<Item>('cold').deleteOne({ _id: 'x' });
    await store.compact!(['items', 'cold']);
    const after = await onDisk();
    expect(after).not.toContain('erase-me');
    expect(after).toContain('kept');
    expect(await items.find({}, { sort: { _id: 1 } })).toEqual([{ _id: 'b', tag: 'new' }, { _id: 'c', tag: 'kept' }]);
    await store.close();
  });

  it('keeps strings holding U+0085, U+2028 and U+2029 across close and re-open (NeDB splits its file at them)', async () => {
    const dir = await tempDir();
    const odd = ['next\u0085line', 'line\u2028separator', 'paragraph\u2029separator'];
    const first = await openEmbeddedStore(dir);
    await first.collection<Item>('items').insertMany(odd.map((tag, i) => ({ _id: `k${i}`, tag, tags: [tag] })));
    await first.close();
    const second = await openEmbeddedStore(dir);
    expect((await second.collection<Item>('items').find({}, { sort: { _id: 1 } })).map((d) => d.tag)).toEqual(odd);
    await second.close();
  });

  it('keeps its folder and files readable by the server account only, tightening files from before', async () => {
    const dir = join(await tempDir(), 'data');
    const first = await openEmbeddedStore(dir);
    await first.collection<Item>('users').insertOne({ _id: 'u', tag: 'someone@example.org' });
    await first.compact!(['users']);
    await first.close();
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'users.db'))).mode & 0o777).toBe(0o600);
    // A file an earlier version left world-readable.
    await writeFile(join(dir, 'old.db'), '');
    await chmod(join(dir, 'old.db'), 0o644);
    const second = await openEmbeddedStore(dir);
    expect((await stat(join(dir, 'old.db'))).mode & 0o777).toBe(0o600);
    expect(await second.collection<Item>('users').findOne({ _id: 'u' })).toEqual({ _id: 'u', tag: 'someone@example.org' });
    await second.close();
  });

  it('refuses collection names that would escape the data directory', async () => {
    const store = await openEmbeddedStore(await tempDir());
    expect(() => store.collection('../evil')).toThrow();
    await store.close();
  });

  it('openStore picks the embedded store when no MongoDB URI is given', async () => {
    for (const mongodbUri of ['', undefined]) {
      const store = await openStore({ dataDir: await tempDir(), mongodbUri });
      expect(store.kind).toBe('embedded');
      await store.close();
    }
  });
});

describe('MongoDB store, unreachable server', () => {
  it('rejects with StoreUnavailableError once its server selection timeout runs out', async () => {
    const attempt = openMongoStore('mongodb://127.0.0.1:1/convene', { serverSelectionTimeoutMS: 1000 });
    await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(attempt).rejects.toThrow(/MongoDB could not be reached at 127\.0\.0\.1:1/);
    // Given up by the driver's server selection, which the option bounds, rather than left hanging.
    await expect(attempt).rejects.toMatchObject({ cause: { name: 'MongoServerSelectionError' } });
  });

  it('never puts the password in the error message', async () => {
    const attempt = openMongoStore('mongodb://convene:s3cr%40t@127.0.0.1:1/convene', { serverSelectionTimeoutMS: 500 });
    const err = await attempt.then(() => null, (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect(err?.message).not.toMatch(/s3cr/);
  });
});

const MONGODB_URI = process.env.MONGODB_URI ?? '';
if (!MONGODB_URI) console.info('[store.contract] MONGODB_URI is not set: the MongoDB contract suite is not run.');

/**
 * Same server and options, another database: tests never touch the database named in MONGODB_URI. That
 * database is also where credentials are checked unless authSource says otherwise, so it is kept as such.
 */
function withDatabase(uri: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/([^/?]*))(?:\/([^?]*))?(?:\?(.*))?$/.exec(uri);
  if (!match) throw new Error('MONGODB_URI is not a mongodb:// or mongodb+srv:// connection string');
  const [, base, authority, path, query] = match;
  const params = new URLSearchParams(query ?? '');
  if (authority.includes('@') && !params.has('authSource')) params.set('authSource', path || 'admin');
  const search = params.toString();
  return `${base}/${dbName}${search ? `?${search}` : ''}`;
}

describe.runIf(MONGODB_URI !== '')('MongoDB store', () => {
  const dbName = `convene_test_${process.pid}_${Date.now().toString(36)}`;
  const uri = MONGODB_URI ? withDatabase(MONGODB_URI, dbName) : '';
  let admin: MongoClient | undefined;
  const dropDatabase = () => (admin ??= new MongoClient(uri)).db(dbName).dropDatabase();

  afterAll(async () => {
    await dropDatabase();
    await admin?.close();
  });

  contract('mongodb', async () => {
    await dropDatabase();
    return openMongoStore(uri);
  });

  it('openStore picks MongoDB when a URI is given', async () => {
    const store = await openStore({ dataDir: '/nonexistent', mongodbUri: uri });
    expect(store.kind).toBe('mongodb');
    await store.close();
  });
});
