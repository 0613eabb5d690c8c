import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { BaseDoc, StoreKind, StoreSnapshot } from '../store/types.ts';

/**
 * The instance backup file, format "convene-backup" version 1: gzip (RFC 1952)
 * around UTF-8 JSON lines, each ending in "\n":
 *
 *   {"format":"convene-backup","version":1,"createdAt":"<ISO time>","store":"embedded"|"mongodb","collections":["accounts",…]}
 *   {"c":"<collection>","d":{<document>}}            one line per document, any number
 *   {"end":{"documents":<n>,"counts":{"<collection>":<n>,…},"sha256":"<hex>"}}
 *
 * Values inside documents are JSON, except: bytes are {"$binary":"<base64>"}
 * and dates {"$date":"<ISO time>"} (stored field names never begin with "$",
 * so these cannot clash with data). `sha256` is the hash of every byte before
 * the "end" line; gzip's own CRC guards the compressed bytes.
 */
export const backupFormat = 'convene-backup';
export const backupVersion = 1;

export interface BackupHeader {
  format: typeof backupFormat;
  version: typeof backupVersion;
  createdAt: string;
  store: StoreKind;
  collections: string[];
}

export interface BackupSummary {
  header: BackupHeader;
  documents: number;
  counts: Record<string, number>;
  sha256: string;
}

/** What reading a backup allows, so that a hostile or damaged file cannot exhaust memory or disk. */
export interface ReadLimits {
  /** Uncompressed bytes in all (the compressed file may not exceed this either). */
  maxBytes: number;
  /** One line (one document); a line is held in memory while it is read. */
  maxLineBytes: number;
}

export const defaultReadLimits: ReadLimits = { maxBytes: 64 * 1024 ** 3, maxLineBytes: 256 * 1024 ** 2 };

/** Anything wrong with a backup file; the message says what, for the operator. */
export class BackupFileError extends Error {
  override readonly name = 'BackupFileError';
}

/**
 * Collections read in another order than `_id` where the store pages (MongoDB):
 * the Yjs log's entries are merged into one at the newest `seq` while the
 * backup reads, and reading in `seq` order keeps either the merged entry or
 * every entry it replaced.
 */
const readOrder: Record<string, readonly string[]> = { yjs_updates: ['docId', 'seq'] };
// (docId, seq) is unique: server/collab/persistence.ts indexes it so.

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && [Object.prototype, null].includes(Object.getPrototypeOf(v));

function encodeValue(v: unknown, where: () => string): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`Cannot back up the number ${v} in ${where()}`);
    return v;
  }
  if (v instanceof Uint8Array) return { $binary: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  if (v instanceof Date) return { $date: v.toISOString() };
  if (Array.isArray(v)) return v.map((x) => encodeValue(x ?? null, where));
  if (isPlain(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = encodeValue(x, where);
    return out;
  }
  throw new Error(`Cannot back up a value of type ${Object.prototype.toString.call(v)} in ${where()}`);
}

function decodeValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeValue);
  if (!isPlain(v)) return v;
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0] === '$binary' && typeof v.$binary === 'string') {
    const bytes = Buffer.from(v.$binary, 'base64');
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  if (keys.length === 1 && keys[0] === '$date' && typeof v.$date === 'string') {
    const date = new Date(v.$date);
    if (Number.isNaN(date.getTime())) throw new BackupFileError(`invalid date ${JSON.stringify(v.$date)}`);
    return date;
  }
  return Object.fromEntries(keys.map((k) => [k, decodeValue(v[k])]));
}

/** The backup file's bytes (gzip) for a snapshot, produced batch by batch, written to `out` with back-pressure. */
export async function writeBackup(snapshot: StoreSnapshot, store: StoreKind, out: Writable, batchSize = 100): Promise<BackupSummary> {
  const hash = createHash('sha256');
  const header: BackupHeader = { format: backupFormat, version: backupVersion, createdAt: new Date().toISOString(), store, collections: [...snapshot.collections] };
  const counts: Record<string, number> = Object.create(null) as Record<string, number>; // collection names are keys: no prototype to collide with
  let documents = 0;
  async function* lines(): AsyncIterable<Buffer> {
    const line = (value: unknown) => {
      const bytes = Buffer.from(`${JSON.stringify(value)}\n`);
      hash.update(bytes);
      return bytes;
    };
    yield line(header);
    for (const c of header.collections) {
      counts[c] = 0;
      for await (const batch of snapshot.read(c, batchSize, readOrder[c])) {
        for (const d of batch) {
          counts[c]++;
          documents++;
          yield line({ c, d: encodeValue(d, () => `${c}/${d._id}`) });
        }
      }
    }
    yield Buffer.from(`${JSON.stringify({ end: { documents, counts, sha256: hash.copy().digest('hex') } })}\n`);
  }
  await pipeline(Readable.from(lines()), createGzip(), out);
  return { header, documents, counts, sha256: hash.digest('hex') };
}

/** Splits a byte stream into lines, refusing any longer than `maxLineBytes` and more than `maxBytes` in all. */
async function* splitLines(input: AsyncIterable<Buffer>, limits: ReadLimits): AsyncIterable<Buffer> {
  let parts: Buffer[] = [];
  let pending = 0;
  let total = 0;
  for await (const chunk of input) {
    total += chunk.length;
    if (total > limits.maxBytes) throw new BackupFileError(`the backup is larger than the limit of ${limits.maxBytes} bytes uncompressed`);
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl >= 0; nl = chunk.indexOf(10, start)) {
      if (pending + nl - start > limits.maxLineBytes) throw tooLong(limits);
      parts.push(chunk.subarray(start, nl + 1));
      yield parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      parts = [];
      pending = 0;
      start = nl + 1;
    }
    if (start < chunk.length) {
      pending += chunk.length - start;
      if (pending > limits.maxLineBytes) throw tooLong(limits);
      parts.push(chunk.subarray(start));
    }
  }
  if (pending > 0) throw new BackupFileError('the backup is truncated (its last line is incomplete)');
}

const tooLong = (limits: ReadLimits) => new BackupFileError(`a line of the backup is longer than the limit of ${limits.maxLineBytes} bytes`);

function parseLine(line: Buffer, n: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line.toString('utf8'));
  } catch {
    throw new BackupFileError(`the backup is corrupt (line ${n} is not valid JSON)`);
  }
  if (!isPlain(value)) throw new BackupFileError(`the backup is corrupt (line ${n} is not a JSON object)`);
  return value;
}

function checkHeader(value: Record<string, unknown>): BackupHeader {
  if (value.format !== backupFormat) throw new BackupFileError('this is not a Convene backup (its first line does not name the "convene-backup" format)');
  if (value.version !== backupVersion) {
    throw new BackupFileError(`this backup has format version ${JSON.stringify(value.version)}; this version of Convene reads version ${backupVersion} only`);
  }
  const collections = value.collections;
  if (!Array.isArray(collections) || !collections.every((c) => typeof c === 'string' && /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(c))) {
    throw new BackupFileError('the backup is corrupt (its header lists invalid collection names)');
  }
  if (new Set(collections).size !== collections.length) throw new BackupFileError('the backup is corrupt (its header lists a collection twice)');
  if (value.store !== 'embedded' && value.store !== 'mongodb') throw new BackupFileError('the backup is corrupt (its header names an unknown store)');
  return value as unknown as BackupHeader;
}

/** Plain-language reasons for what zlib says about a damaged file. */
function zlibError(err: unknown): unknown {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(String(e?.message))) return new BackupFileError('the backup is truncated (the compressed data ends early)');
  if (e?.code === 'Z_DATA_ERROR') return new BackupFileError(`the backup is corrupt (not valid gzip data: ${e.message})`);
  return err;
}

/**
 * Reads and checks a whole backup: format, version, every line, counts and
 * checksum. `onBatch` receives the documents of one collection in batches, in
 * file order; nothing is certain to be valid until this resolves.
 */
export async function readBackup(
  input: Readable,
  limits: ReadLimits = defaultReadLimits,
  onBatch?: (collection: string, docs: BaseDoc[]) => Promise<void>,
  batchSize = 100,
): Promise<BackupSummary> {
  const hash = createHash('sha256');
  const gunzip = createGunzip();
  const piping = pipeline(input, gunzip).catch((err: unknown) => {
    throw zlibError(err);
  });
  // Reading stops early on a bad line; the pipeline's own error then says nothing new.
  piping.catch(() => undefined);
  let header: BackupHeader | undefined;
  let end: Record<string, unknown> | undefined;
  const counts: Record<string, number> = Object.create(null) as Record<string, number>; // collection names are keys: no prototype to collide with
  const ids = new Map<string, Set<string>>();
  let documents = 0;
  let batch: BaseDoc[] = [];
  let batchOf = '';
  const flush = async () => {
    if (batch.length > 0 && onBatch) await onBatch(batchOf, batch);
    batch = [];
  };
  let n = 0;
  try {
    for await (const line of splitLines(gunzip, limits)) {
      n++;
      if (end) throw new BackupFileError(`the backup is corrupt (it has data after its end line, at line ${n})`);
      const value = parseLine(line, n);
      if (!header) {
        header = checkHeader(value);
        for (const c of header.collections) (counts[c] = 0), ids.set(c, new Set());
        hash.update(line);
        continue;
      }
      if ('end' in value) {
        if (!isPlain(value.end)) throw new BackupFileError(`the backup is corrupt (line ${n} is a malformed end line)`);
        end = value.end;
        continue;
      }
      hash.update(line);
      const c = value.c;
      const d = value.d;
      if (typeof c !== 'string' || !ids.has(c)) throw new BackupFileError(`the backup is corrupt (line ${n} belongs to no collection its header lists)`);
      if (!isPlain(d) || typeof d._id !== 'string') throw new BackupFileError(`the backup is corrupt (line ${n} is not a document with a string _id)`);
      const seen = ids.get(c)!;
      if (seen.has(d._id)) throw new BackupFileError(`the backup is corrupt (it holds the id ${JSON.stringify(d._id)} twice in ${c})`);
      seen.add(d._id);
      let doc: BaseDoc;
      try {
        doc = decodeValue(d) as BaseDoc;
      } catch (err) {
        throw new BackupFileError(`the backup is corrupt (line ${n}: ${(err as Error).message})`);
      }
      counts[c]!++;
      documents++;
      if (onBatch) {
        if (c !== batchOf || batch.length >= batchSize) await flush();
        batchOf = c;
        batch.push(doc);
      }
    }
    await piping;
  } catch (err) {
    // A damaged gzip stream surfaces in the loop; say what zlib meant.
    const reason = await piping.then(() => err, (pipeErr: unknown) => (pipeErr instanceof BackupFileError ? pipeErr : err));
    throw zlibError(reason);
  }
  if (!header) throw new BackupFileError('the backup is empty');
  if (!end) throw new BackupFileError('the backup is truncated (it has no end line)');
  const sha256 = hash.digest('hex');
  if (end.sha256 !== sha256) throw new BackupFileError('the backup is corrupt (its checksum does not match its contents)');
  const claimed = isPlain(end.counts) ? end.counts : {};
  const countsMatch = Object.keys(claimed).length === header.collections.length && header.collections.every((c) => claimed[c] === counts[c]);
  if (end.documents !== documents || !countsMatch) {
    throw new BackupFileError('the backup is corrupt (its document counts do not match its contents)');
  }
  await flush();
  return { header, documents, counts, sha256 };
}
