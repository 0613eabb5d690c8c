import { Binary, MongoClient } from 'mongodb';
import type { Collection as MongoCollection, Document, Filter as MongoFilter, UpdateFilter } from 'mongodb';
import { randomBytes } from 'node:crypto';
import { DuplicateKeyError, StoreUnavailableError } from './types.ts';
import type { BaseDoc, Collection, Filter, FindOptions, IndexOptions, SortSpec, Store, StoreSnapshot, UpdateResult, UpdateSpec } from './types.ts';

const newId = () => randomBytes(12).toString('base64url');
const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && [Object.prototype, null].includes(Object.getPrototypeOf(v));

/** The driver hands stored bytes back as `Binary`; callers get plain `Uint8Array`s, as from the embedded store. */
function decode(v: unknown): unknown {
  if (v instanceof Binary) return new Uint8Array(v.value());
  if (Array.isArray(v)) return v.map(decode);
  if (!isPlain(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
}

/** Hosts and database from a connection string, without credentials (they may contain '@' or be unencoded). */
function describeUri(uri: string): { hosts: string; dbName: string } {
  const rest = uri.replace(/^[a-z+]+:\/\//i, '').split('?')[0];
  const afterCredentials = rest.slice(rest.lastIndexOf('@') + 1);
  const slash = afterCredentials.indexOf('/');
  const hosts = slash < 0 ? afterCredentials : afterCredentials.slice(0, slash);
  const path = slash < 0 ? '' : afterCredentials.slice(slash + 1);
  let dbName = path;
  try {
    dbName = decodeURIComponent(path);
  } catch {
    // A malformed escape is left as written; the driver reports the bad URI itself.
  }
  return { hosts: hosts || '(no host)', dbName: dbName || 'convene' };
}

const redact = (text: string) => text.replace(/\/\/[^/\s]*@/g, '//');

/** Whether an upsert would take `_id` from the filter; otherwise we supply a string one instead of an ObjectId. */
function pinsId(filter: Filter): boolean {
  const id = filter._id;
  if (id !== undefined) {
    if (!isPlain(id) || !Object.keys(id)[0]?.startsWith('$')) return true;
    if ('$eq' in id || (Array.isArray(id.$in) && id.$in.length === 1)) return true;
  }
  return Array.isArray(filter.$and) && (filter.$and as Filter[]).some(pinsId);
}

function mapError(err: unknown): unknown {
  const e = err as { code?: unknown; message?: string };
  return e?.code === 11000 ? new DuplicateKeyError(String(e.message), { cause: err }) : err;
}

class MongoStoreCollection<T extends BaseDoc> implements Collection<T> {
  constructor(
    private readonly coll: MongoCollection<Document>,
    private readonly isClosed: () => boolean,
  ) {}

  private async run<R>(fn: () => Promise<R>): Promise<R> {
    // The driver would quietly reconnect after close(); the embedded store refuses, so this one does too.
    if (this.isClosed()) throw new Error('Store is closed');
    try {
      return await fn();
    } catch (err) {
      throw mapError(err);
    }
  }

  private upsertSpec(filter: Filter, update: UpdateSpec, upsert: boolean): UpdateFilter<Document> {
    if (!upsert || pinsId(filter)) return update as UpdateFilter<Document>;
    return { ...update, $setOnInsert: { _id: newId() } } as UpdateFilter<Document>;
  }

  insertOne(doc: T): Promise<void> {
    return this.run(async () => void (await this.coll.insertOne(doc as Document)));
  }

  insertMany(docs: T[]): Promise<void> {
    return this.run(async () => {
      if (docs.length > 0) await this.coll.insertMany(docs as Document[], { ordered: true });
    });
  }

  findOne(filter: Filter): Promise<T | null> {
    return this.run(async () => decode(await this.coll.findOne(filter as MongoFilter<Document>)) as T | null);
  }

  find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    return this.run(async () => {
      const cursor = this.coll.find(filter as MongoFilter<Document>);
      if (options.sort) cursor.sort(options.sort);
      if (options.skip) cursor.skip(options.skip);
      if (options.limit) cursor.limit(options.limit);
      return (await cursor.toArray()).map(decode) as T[];
    });
  }

  updateOne(filter: Filter, update: UpdateSpec, options: { upsert?: boolean } = {}): Promise<UpdateResult> {
    const upsert = options.upsert === true;
    return this.run(async () => {
      const res = await this.coll.updateOne(filter as MongoFilter<Document>, this.upsertSpec(filter, update, upsert), { upsert });
      const upsertedId = res.upsertedId === null || res.upsertedId === undefined ? null : String(res.upsertedId);
      return { matchedCount: res.matchedCount, modifiedCount: res.modifiedCount, upsertedId };
    });
  }

  findOneAndUpdate(filter: Filter, update: UpdateSpec, options: { upsert?: boolean } = {}): Promise<T | null> {
    const upsert = options.upsert === true;
    return this.run(async () => {
      const spec = this.upsertSpec(filter, update, upsert);
      const doc = await this.coll.findOneAndUpdate(filter as MongoFilter<Document>, spec, { upsert, returnDocument: 'after' });
      return decode(doc) as T | null;
    });
  }

  deleteOne(filter: Filter): Promise<number> {
    return this.run(async () => (await this.coll.deleteOne(filter as MongoFilter<Document>)).deletedCount);
  }

  deleteMany(filter: Filter): Promise<number> {
    return this.run(async () => (await this.coll.deleteMany(filter as MongoFilter<Document>)).deletedCount);
  }

  countDocuments(filter: Filter = {}): Promise<number> {
    return this.run(() => this.coll.countDocuments(filter as MongoFilter<Document>));
  }

  createIndex(keys: SortSpec, options: IndexOptions = {}): Promise<void> {
    return this.run(async () => void (await this.coll.createIndex(keys, options.unique ? { unique: true } : {})));
  }
}

/**
 * Reads a collection in pages ordered by `keys` (fields that together identify
 * a document, under an index), each page starting after the last document of
 * the one before. Writes go on meanwhile.
 */
async function* pages(coll: MongoCollection<Document>, keys: readonly string[], batchSize: number, isClosed: () => boolean): AsyncIterable<BaseDoc[]> {
  let last: Document | undefined;
  for (;;) {
    if (isClosed()) throw new Error('Store is closed');
    const after = last;
    // (k0, k1, …) > (v0, v1, …), spelled out for the query language.
    const filter = after ? { $or: keys.map((k, i) => ({ ...Object.fromEntries(keys.slice(0, i).map((p) => [p, after[p]])), [k]: { $gt: after[k] } })) } : {};
    const batch = await coll.find(filter, { sort: Object.fromEntries(keys.map((k) => [k, 1 as const])), limit: batchSize }).toArray();
    if (batch.length === 0) return;
    last = batch[batch.length - 1];
    yield batch.map((d) => decode(d) as BaseDoc);
    if (batch.length < batchSize) return;
  }
}

export async function openMongoStore(uri: string, options: { serverSelectionTimeoutMS?: number } = {}): Promise<Store> {
  const { hosts, dbName } = describeUri(uri);
  const timeout = options.serverSelectionTimeoutMS ?? 5000;
  let client: MongoClient;
  try {
    // ignoreUndefined: undefined fields are dropped, as the embedded store does, instead of stored as null.
    client = new MongoClient(uri, { serverSelectionTimeoutMS: timeout, connectTimeoutMS: timeout, ignoreUndefined: true });
  } catch (err) {
    throw new StoreUnavailableError(`MongoDB connection string for ${hosts} is invalid: ${redact(String((err as Error).message))}`);
  }
  try {
    await client.connect();
    await client.db(dbName).command({ ping: 1 });
  } catch (err) {
    await client.close().catch(() => undefined);
    const reason = redact(String((err as Error).message));
    throw new StoreUnavailableError(`MongoDB could not be reached at ${hosts} (database "${dbName}"): ${reason}`, { cause: err });
  }

  const db = client.db(dbName);
  let closed = false;
  return {
    kind: 'mongodb',
    collection<T extends BaseDoc>(name: string): Collection<T> {
      return new MongoStoreCollection<T>(db.collection(name), () => closed);
    },
    // MongoDB rewrites a document in place and reuses the space of deleted ones: no append-only file keeps old values.
    async compact() {
      if (closed) throw new Error('Store is closed');
    },
    async snapshot(): Promise<StoreSnapshot> {
      if (closed) throw new Error('Store is closed');
      const listed = await db.listCollections({}, { nameOnly: true }).toArray();
      const collections = listed.map((c) => c.name).filter((n) => !n.startsWith('system.')).sort();
      return {
        collections,
        read: (name, batchSize, order = ['_id']) => pages(db.collection(name), order, batchSize, () => closed),
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}
