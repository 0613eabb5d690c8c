import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openEmbeddedStore, openMongoStore } from '../store/index.ts';
import type { Store } from '../store/types.ts';
import { probeChannel } from './channel.ts';
import { BackupFileError, defaultReadLimits, readBackup, type BackupSummary, type ReadLimits } from './format.ts';

export interface RestoreOptions {
  file: string;
  dataDir: string;
  mongodbUri?: string;
  /** Replace a store that already holds data (embedded: its files are moved aside; MongoDB: its collections are emptied). */
  force?: boolean;
  /** The operator says the server is stopped (needed only when the channel cannot exist: DATA_DIR too long). */
  offline?: boolean;
  limits?: ReadLimits;
}

export interface RestoreResult extends BackupSummary {
  /** Embedded store with --force: where the files it replaced now are. */
  replacedDir?: string;
}

/** Restore will not do this (the store is untouched); the message says why and what to do. */
export class RestoreRefusedError extends Error {
  override readonly name = 'RestoreRefusedError';
}

/** The collections of a store that hold documents, with their counts. */
async function holdings(store: Store): Promise<Map<string, number>> {
  if (!store.snapshot) throw new Error('this store cannot be restored into');
  const found = new Map<string, number>();
  for (const name of (await store.snapshot()).collections) {
    const n = await store.collection(name).countDocuments();
    if (n > 0) found.set(name, n);
  }
  return found;
}

function refuseNonEmpty(found: Map<string, number>, where: string): void {
  if (found.size === 0) return;
  const list = [...found].map(([c, n]) => `${c}: ${n}`).join(', ');
  throw new RestoreRefusedError(
    `${where} already holds data (${list}). Restore refuses to mix two instances' data; ` +
      'pass --force to replace it (the embedded store keeps the replaced files in DATA_DIR/replaced-<time>/; MongoDB collections are emptied).',
  );
}

/** Pass 2: every document of the (already checked) file into `store`; the file is checked again as it is read. */
const load = (file: string, store: Store, limits: ReadLimits) =>
  readBackup(createReadStream(file), limits, (c, docs) => store.collection(c).insertMany(docs));

async function restoreEmbedded(options: RestoreOptions, limits: ReadLimits): Promise<string | undefined> {
  const dataDir = path.resolve(options.dataDir);
  const current = await openEmbeddedStore(dataDir);
  try {
    const found = await holdings(current);
    if (!options.force) refuseNonEmpty(found, `DATA_DIR ${dataDir}`);
  } finally {
    await current.close();
  }
  // Into a fresh folder first; the store's files are swapped in only once everything is written and flushed.
  const staging = path.join(dataDir, `.restore-${randomBytes(6).toString('hex')}`);
  try {
    const store = await openEmbeddedStore(staging);
    try {
      await load(options.file, store, limits);
    } finally {
      await store.close();
    }
    const existing = (await readdir(dataDir)).filter((f) => f.endsWith('.db'));
    let replacedDir: string | undefined;
    if (existing.length > 0) {
      replacedDir = path.join(dataDir, `replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      await mkdir(replacedDir, { mode: 0o700 });
      for (const f of existing) await rename(path.join(dataDir, f), path.join(replacedDir, f));
    }
    for (const f of (await readdir(staging)).filter((f) => f.endsWith('.db'))) await rename(path.join(staging, f), path.join(dataDir, f));
    await rmdir(staging);
    return replacedDir;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function restoreMongo(options: RestoreOptions, uri: string, limits: ReadLimits, collections: readonly string[]): Promise<void> {
  const store = await openMongoStore(uri);
  try {
    const found = await holdings(store);
    if (!options.force) refuseNonEmpty(found, 'The MongoDB database');
    for (const name of found.keys()) await store.collection(name).deleteMany({});
    try {
      await load(options.file, store, limits);
    } catch (err) {
      // Leave the database as empty as it was found (or as --force made it), not half restored.
      for (const name of collections) await store.collection(name).deleteMany({});
      throw err;
    }
  } finally {
    await store.close();
  }
}

/**
 * Restores a backup into a stopped instance, all or nothing as far as the
 * store allows: the whole file is checked first (nothing is written if any of
 * it is wrong), then written; the embedded store is written into a fresh
 * folder and swapped in, MongoDB is emptied again if writing fails.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const limits = options.limits ?? defaultReadLimits;
  const probe = await probeChannel(options.dataDir);
  if (probe === 'running') {
    throw new RestoreRefusedError(`A Convene server is running on DATA_DIR ${path.resolve(options.dataDir)}: stop it first (restore writes only into a stopped instance).`);
  }
  if (probe === 'unreachable' && !options.offline) {
    throw new RestoreRefusedError(
      `DATA_DIR ${options.dataDir} is too long a path for the backup channel, so a running server cannot be ruled out. Stop the server and pass --offline.`,
    );
  }
  const size = (await stat(options.file).catch(() => null))?.size;
  if (size === undefined) throw new BackupFileError(`cannot read ${options.file}`);
  if (size > limits.maxBytes) throw new BackupFileError(`the backup (${size} bytes) is larger than the limit of ${limits.maxBytes} bytes`);
  const summary = await readBackup(createReadStream(options.file), limits);
  const uri = options.mongodbUri?.trim();
  if (uri) {
    await restoreMongo(options, uri, limits, summary.header.collections);
    return summary;
  }
  const replacedDir = await restoreEmbedded(options, limits);
  return { ...summary, ...(replacedDir ? { replacedDir } : {}) };
}
