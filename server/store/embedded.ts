import Datastore from '@seald-io/nedb';
import { chmod, mkdir, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { DuplicateKeyError } from './types.ts';
import type { BaseDoc, Collection, Filter, FindOptions, IndexOptions, SortSpec, Store, StoreSnapshot, UpdateResult, UpdateSpec } from './types.ts';

type Query = Record<string, unknown>;
type Raw = Query & { _id: string };

// NeDB's published types are loose (`any` everywhere); this is the part we rely on.
interface NedbCursor<R> extends PromiseLike<R> {
  sort(spec: SortSpec): NedbCursor<R>;
  skip(n: number): NedbCursor<R>;
  limit(n: number): NedbCursor<R>;
}
interface Nedb {
  loadDatabaseAsync(): Promise<void>;
  stopAutocompaction(): void;
  compactDatafileAsync(): Promise<void>;
  insertAsync(docs: Raw | Raw[]): Promise<unknown>;
  findAsync(q: Query): NedbCursor<Raw[]>;
  findOneAsync(q: Query): NedbCursor<Raw | null>;
  countAsync(q: Query): NedbCursor<number>;
  updateAsync(q: Query, u: Query, o: { multi: false; returnUpdatedDocs: true }): Promise<{ affectedDocuments: Raw | null }>;
  removeAsync(q: Query, o: { multi: boolean }): Promise<number>;
  ensureIndexAsync(o: { fieldName: string | string[]; unique?: boolean }): Promise<void>;
  /** The cached documents in `_id` order; NeDB never mutates a cached document (updates replace it). */
  getAllData(): Raw[];
}
// Upserts are built here rather than by NeDB, whose own upsert turns `{ n: { $gt: 1 } }` into a field `n: {}`.
const { modify } = createRequire(import.meta.url)('@seald-io/nedb/lib/model.js') as { modify(doc: Query, update: Query): Raw };

const BIN = '__convene_bin';
// The files hold e-mail addresses, password hashes and sessions: readable by the server's account only.
const modes = { fileMode: 0o600, dirMode: 0o700 };

/**
 * NeDB reads its file back split at U+0085, U+2028 and U+2029 as well as at
 * line ends, but JSON leaves those raw inside strings: a comment holding one
 * would load as corrupt lines (and past 10% of a file, the store would refuse
 * to open). Outside strings JSON never has them, so escaping them keeps the
 * same JSON on one line; JSON.parse reads the escapes back unchanged.
 */
const escapeLineBreaks = (line: string) => line.replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const COMPACT_EVERY_MS = 5 * 60_000;
const newId = () => randomBytes(12).toString('base64url');
const isPlain = (v: unknown): v is Query =>
  typeof v === 'object' && v !== null && [Object.prototype, null].includes(Object.getPrototypeOf(v));
const isOperators = (v: unknown): v is Query => isPlain(v) && Object.keys(v)[0]?.startsWith('$') === true;

/** NeDB keeps JSON: binary becomes a tagged base64 object. Dates are copied because NeDB shares them with its cache. */
function encode(v: unknown): unknown {
  if (v instanceof Uint8Array) return { [BIN]: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  if (v instanceof Date) return new Date(v.getTime());
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : encode(x)));
  if (!isPlain(v)) return v;
  // Undefined fields would live on in NeDB's memory but vanish from disk; drop them now (MongoDB adapter ignores them too).
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, encode(x)]));
}

function decode(v: unknown): unknown {
  if (v instanceof Date) return new Date(v.getTime());
  if (Array.isArray(v)) return v.map(decode);
  if (!isPlain(v)) return v;
  const bin = v[BIN];
  if (typeof bin === 'string' && Object.keys(v).length === 1) {
    // A view of the decoded bytes, not a copy of them (a whole document can be tens of MiB).
    const bytes = Buffer.from(bin, 'base64');
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
}

/**
 * Rewrites a MongoDB filter so NeDB matches like MongoDB: NeDB has no `$eq`, lets `{f: null}` miss absent
 * fields, and treats `$ne`/`$nin` on arrays as "some element differs". Plain clauses stay top-level so NeDB
 * can still use its indexes.
 */
function toQuery(filter: Filter): Query {
  const out: Query = {};
  const and: Query[] = [];
  const add = (clause: Query) => {
    const keys = Object.keys(clause);
    if (keys.length === 1 && !keys[0].startsWith('$') && !(keys[0] in out)) out[keys[0]] = clause[keys[0]];
    else and.push(clause);
  };
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$or') add({ $or: (value as Filter[]).map(toQuery) });
    else if (key === '$and') (value as Filter[]).forEach((f) => add(toQuery(f)));
    else if (isOperators(value)) Object.entries(value).forEach(([op, arg]) => add(fieldClause(key, op, arg)));
    else add(fieldClause(key, '$eq', value));
  }
  if (and.length > 0) out.$and = and;
  return out;
}

function fieldClause(key: string, op: string, arg: unknown): Query {
  const isNull = { $or: [{ [key]: null }, { [key]: { $exists: false } }] };
  switch (op) {
    case '$eq':
      return arg === null ? isNull : { [key]: encode(arg) };
    case '$ne':
      return { $not: fieldClause(key, '$eq', arg) };
    case '$in': {
      const values = (arg as unknown[]).filter((x) => x !== null);
      const clause = { [key]: { $in: encode(values) } };
      return values.length === (arg as unknown[]).length ? clause : { $or: [clause, isNull] };
    }
    case '$nin':
      return { $not: fieldClause(key, '$in', arg) };
    default:
      return { [key]: { [op]: encode(arg) } };
  }
}

/** The document an upsert starts from: the filter's equality conditions, as MongoDB does it. */
function upsertSeed(filter: Filter, seed: Query = {}): Query {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and') (value as Filter[]).forEach((f) => upsertSeed(f, seed));
    if (key.startsWith('$')) continue;
    let eq = value;
    if (isOperators(value)) {
      const inList = value.$in;
      if ('$eq' in value) eq = value.$eq;
      else if (Array.isArray(inList) && inList.length === 1) eq = inList[0];
      else continue;
    }
    const path = key.split('.');
    let node = seed;
    for (const part of path.slice(0, -1)) node = isPlain(node[part]) ? (node[part] as Query) : (node[part] = {});
    node[path[path.length - 1]] = eq;
  }
  return seed;
}

function mapError(err: unknown): unknown {
  const e = err as { errorType?: unknown; message?: string };
  return e?.errorType === 'uniqueViolated' ? new DuplicateKeyError(String(e.message), { cause: err }) : err;
}

class EmbeddedCollection<T extends BaseDoc> implements Collection<T> {
  private tail: Promise<unknown> = Promise.resolve();
  private loaded: Promise<Nedb> | undefined;
  dirty = false;

  constructor(
    private readonly filename: string,
    private readonly isClosed: () => boolean,
  ) {}

  private load(): Promise<Nedb> {
    if (!this.loaded) {
      const db = new Datastore({ filename: this.filename, modes, afterSerialization: escapeLineBreaks, beforeDeserialization: (line: string) => line }) as unknown as Nedb;
      db.stopAutocompaction();
      this.loaded = db.loadDatabaseAsync().then(() => db);
    }
    return this.loaded;
  }

  /** Everything on one collection runs in order, so the read-then-write steps below are atomic. */
  run<R>(fn: (db: Nedb) => Promise<R>, write = false, afterClose = false): Promise<R> {
    if (this.isClosed() && !afterClose) return Promise.reject(new Error('Store is closed'));
    if (write) this.dirty = true;
    const result = this.tail.then(() => this.load()).then(fn).catch((err: unknown) => Promise.reject(mapError(err)));
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** The collection's documents now (after everything queued before), without copying them. */
  async documents(): Promise<() => Raw[]> {
    const db = await this.run((d) => Promise.resolve(d));
    return () => db.getAllData();
  }

  /** Never opens a file just to compact it, unless asked to (`open`: erasure must reach what is only on disk). */
  async compact(afterClose = false, open = false): Promise<void> {
    if (!this.loaded && !open) return;
    this.dirty = false;
    await this.run((db) => db.compactDatafileAsync(), false, afterClose).catch((err: unknown) => {
      this.dirty = true;
      throw err;
    });
  }

  insertOne(doc: T): Promise<void> {
    return this.run(async (db) => void (await db.insertAsync(encode(doc) as Raw)), true);
  }

  insertMany(docs: T[]): Promise<void> {
    return this.run(async (db) => {
      const raws = docs.map((d) => encode(d) as Raw);
      try {
        if (raws.length > 0) await db.insertAsync(raws);
      } catch (err) {
        // NeDB rejects the whole batch; MongoDB's ordered insert keeps the documents before the clash.
        if (mapError(err) === err) throw err;
        for (const raw of raws) await db.insertAsync(raw);
      }
    }, true);
  }

  async findOne(filter: Filter): Promise<T | null> {
    return decode(await this.run((db) => Promise.resolve(db.findOneAsync(toQuery(filter))))) as T | null;
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    const raws = await this.run((db) => {
      const cursor = db.findAsync(toQuery(filter));
      if (options.sort) cursor.sort(options.sort);
      if (options.skip) cursor.skip(options.skip);
      if (options.limit) cursor.limit(options.limit);
      return Promise.resolve(cursor);
    });
    return raws.map(decode) as T[];
  }

  async updateOne(filter: Filter, update: UpdateSpec, options: { upsert?: boolean } = {}): Promise<UpdateResult> {
    return (await this.update(filter, update, options.upsert === true)).result;
  }

  async findOneAndUpdate(filter: Filter, update: UpdateSpec, options: { upsert?: boolean } = {}): Promise<T | null> {
    return decode((await this.update(filter, update, options.upsert === true)).doc) as T | null;
  }

  private update(filter: Filter, update: UpdateSpec, upsert: boolean) {
    return this.run(async (db): Promise<{ result: UpdateResult; doc: Raw | null }> => {
      const spec = encode(update) as Query;
      const before = await db.findOneAsync(toQuery(filter));
      if (before) {
        const { affectedDocuments: after } = await db.updateAsync({ _id: before._id }, spec, { multi: false, returnUpdatedDocs: true });
        const modifiedCount = isDeepStrictEqual(before, after) ? 0 : 1;
        return { result: { matchedCount: 1, modifiedCount, upsertedId: null }, doc: after };
      }
      if (!upsert) return { result: { matchedCount: 0, modifiedCount: 0, upsertedId: null }, doc: null };
      const seed = encode(upsertSeed(filter)) as Query;
      const doc = modify({ _id: newId(), ...seed }, spec);
      await db.insertAsync(doc);
      return { result: { matchedCount: 0, modifiedCount: 0, upsertedId: doc._id }, doc };
    }, true);
  }

  deleteOne(filter: Filter): Promise<number> {
    return this.run((db) => db.removeAsync(toQuery(filter), { multi: false }), true);
  }

  deleteMany(filter: Filter): Promise<number> {
    return this.run((db) => db.removeAsync(toQuery(filter), { multi: true }), true);
  }

  countDocuments(filter: Filter = {}): Promise<number> {
    return this.run((db) => Promise.resolve(db.countAsync(toQuery(filter))));
  }

  createIndex(keys: SortSpec, options: IndexOptions = {}): Promise<void> {
    const fields = Object.keys(keys);
    const fieldName = fields.length === 1 ? fields[0] : fields;
    return this.run((db) => db.ensureIndexAsync({ fieldName, unique: options.unique === true }), true);
  }
}

const validName = (name: string) => /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(name);

/**
 * Every collection's documents at one instant: each collection is loaded
 * first, then all are read in the same synchronous step, so the snapshot is
 * exact across collections. It holds references to NeDB's cached documents
 * (never mutated), not copies; documents are copied one batch at a time.
 */
async function snapshotOf(dir: string, collection: (name: string) => EmbeddedCollection<BaseDoc>, open: Iterable<string>): Promise<StoreSnapshot> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.db')).map((f) => f.slice(0, -3));
  const names = [...new Set([...files.filter(validName), ...open])].sort();
  const readers = await Promise.all(names.map((name) => collection(name).documents()));
  const docs = new Map(names.map((name, i) => [name, readers[i]!()]));
  return {
    collections: names,
    async *read(name: string, batchSize: number) {
      const all = docs.get(name) ?? [];
      for (let i = 0; i < all.length; i += batchSize) yield all.slice(i, i + batchSize).map((d) => decode(d) as BaseDoc);
    },
  };
}

export async function openEmbeddedStore(dir: string): Promise<Store> {
  await mkdir(dir, { recursive: true, mode: modes.dirMode });
  // Files from before this rule (NeDB made them world-readable) are tightened now; a rewrite would do it anyway.
  await Promise.all(
    (await readdir(dir)).filter((f) => f.endsWith('.db') || f.endsWith('.db~')).map((f) => chmod(join(dir, f), modes.fileMode).catch(() => undefined)),
  );
  const open = new Map<string, EmbeddedCollection<BaseDoc>>();
  let closed = false;

  // NeDB only appends; rewriting (and fsyncing) the files now and then keeps them from growing forever.
  const timer = setInterval(() => {
    for (const c of open.values()) {
      if (c.dirty) c.compact().catch((err: unknown) => process.emitWarning(`Embedded store compaction failed: ${String(err)}`));
    }
  }, COMPACT_EVERY_MS);
  timer.unref();

  const embedded = (name: string): EmbeddedCollection<BaseDoc> => {
    // The name becomes a file name; keep it from escaping the data directory.
    if (!validName(name)) throw new Error(`Invalid collection name: ${JSON.stringify(name)}`);
    let c = open.get(name);
    if (!c) open.set(name, (c = new EmbeddedCollection(join(dir, `${name}.db`), () => closed)));
    return c;
  };

  return {
    kind: 'embedded',
    collection<T extends BaseDoc>(name: string): Collection<T> {
      return embedded(name) as unknown as Collection<T>;
    },
    async compact(names) {
      // A collection never opened has nothing of this process's in memory; opening it loads what is on disk, and compacting rewrites that.
      await Promise.all(names.map((name) => embedded(name).compact(false, true)));
    },
    snapshot() {
      if (closed) return Promise.reject(new Error('Store is closed'));
      return snapshotOf(dir, embedded, open.keys());
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      // Appends are not fsynced; compaction rewrites each file crash-safely (write, fsync, rename).
      const results = await Promise.allSettled([...open.values()].map((c) => c.compact(true)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}
