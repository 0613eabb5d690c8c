/**
 * The narrow collection interface every repository is written against: the
 * subset of MongoDB's collection API that Convene uses. Two implementations
 * sit behind it — the embedded store (default, no server needed) and MongoDB
 * through the official driver — and `test/store.contract.test.ts` runs the
 * same cases against both.
 *
 * Documents carry a string `_id` chosen by the caller. Binary values are
 * `Uint8Array`s (Node `Buffer`s are accepted too) and come back as
 * `Uint8Array`s with the same bytes from either implementation.
 */

export interface BaseDoc {
  _id: string;
}

/**
 * Query filters in MongoDB's language. Supported: equality on fields (dotted
 * paths too), `$eq $ne $gt $gte $lt $lte $in $nin $exists`, and `$or`/`$and`
 * at the top level.
 */
export type Filter = Record<string, unknown>;

export type SortSpec = Record<string, 1 | -1>;

export interface FindOptions {
  sort?: SortSpec;
  skip?: number;
  limit?: number;
}

/** Single-document atomic updates: `$set $unset $inc $push $pull`. */
export interface UpdateSpec {
  $set?: Record<string, unknown>;
  $unset?: Record<string, true | 1 | ''>;
  $inc?: Record<string, number>;
  $push?: Record<string, unknown>;
  $pull?: Record<string, unknown>;
}

export interface UpdateResult {
  matchedCount: number;
  modifiedCount: number;
  upsertedId: string | null;
}

export interface IndexOptions {
  unique?: boolean;
}

export interface Collection<T extends BaseDoc> {
  /** Fails with a `DuplicateKeyError` when `_id` or a unique index clashes. */
  insertOne(doc: T): Promise<void>;
  insertMany(docs: T[]): Promise<void>;
  findOne(filter: Filter): Promise<T | null>;
  find(filter: Filter, options?: FindOptions): Promise<T[]>;
  updateOne(filter: Filter, update: UpdateSpec, options?: { upsert?: boolean }): Promise<UpdateResult>;
  /** Atomically updates one document and returns it as it is after the update, or null. */
  findOneAndUpdate(filter: Filter, update: UpdateSpec, options?: { upsert?: boolean }): Promise<T | null>;
  deleteOne(filter: Filter): Promise<number>;
  deleteMany(filter: Filter): Promise<number>;
  countDocuments(filter?: Filter): Promise<number>;
  createIndex(keys: SortSpec, options?: IndexOptions): Promise<void>;
}

export type StoreKind = 'embedded' | 'mongodb';

/**
 * Every collection of a store as it was at one moment, for a backup. The
 * embedded store's snapshot is exact (taken in one step of its in-memory
 * state); MongoDB's is read in pages while writes go on, so a document
 * changed during the backup may appear in either state.
 */
export interface StoreSnapshot {
  /** The collections that exist, sorted by name. */
  readonly collections: readonly string[];
  /**
   * One collection's documents in batches of at most `batchSize`. Where the
   * store pages (MongoDB), they come in `order`: fields that together identify
   * a document and have an index (default `_id`); a log read in its sequence
   * order loses nothing to entries merged while it is read.
   */
  read(name: string, batchSize: number, order?: readonly string[]): AsyncIterable<BaseDoc[]>;
}

export interface Store {
  readonly kind: StoreKind;
  collection<T extends BaseDoc>(name: string): Collection<T>;
  /** A snapshot of every collection (both built-in stores have one; wrappers in tests may not). */
  snapshot?(): Promise<StoreSnapshot>;
  /** Makes sure everything written so far is on disk (embedded) and releases resources. */
  close(): Promise<void>;
  /**
   * Rewrites the named collections so that nothing deleted or overwritten in
   * them lingers on disk: the embedded store only appends until it compacts,
   * so an erased name would otherwise stay in its files. MongoDB frees the
   * space itself and has nothing to do here. Optional for stand-in stores.
   */
  compact?(names: readonly string[]): Promise<void>;
}

export class DuplicateKeyError extends Error {
  override readonly name = 'DuplicateKeyError';
}

export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}
