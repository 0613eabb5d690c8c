import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openStore } from '../store/index.ts';
import { channelPath, probeChannel } from './channel.ts';
import { BackupFileError, readBackup, writeBackup, type BackupSummary, type ReadLimits, defaultReadLimits } from './format.ts';

export interface BackupOptions {
  dataDir: string;
  mongodbUri?: string;
  /** Where the backup file goes; written as `<out>.partial` first and renamed once checked. */
  out: string;
  /** The operator says the server is stopped (needed only when the channel cannot exist: DATA_DIR too long). */
  offline?: boolean;
  limits?: ReadLimits;
}

export interface BackupResult extends BackupSummary {
  /** `server`: taken by the running server over its channel; `direct`: read from the store with the server stopped. */
  via: 'server' | 'direct';
  file: string;
}

/** The file only its owner may read: a backup holds every account's e-mail address and password hash. */
const privateFile = (file: string) => createWriteStream(file, { mode: 0o600 });

/** Asks the running server for a backup and writes what it sends to `file`. */
async function fromServer(dataDir: string, file: string): Promise<void> {
  const socket = net.connect(channelPath(dataDir));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(`${JSON.stringify({ op: 'backup' })}\n`);
  // The first line says whether the server took the backup; the bytes after it are the file.
  const chunks = socket[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head = Buffer.alloc(0);
  let nl = -1;
  while (nl < 0) {
    const next = await chunks.next();
    if (next.done) throw new Error('the server closed the backup channel without answering');
    head = Buffer.concat([head, next.value]);
    nl = head.indexOf(10);
  }
  const answer = JSON.parse(head.subarray(0, nl).toString('utf8')) as { ok: boolean; error?: string };
  if (!answer.ok) {
    socket.destroy();
    throw new Error(`the server refused the backup: ${answer.error ?? 'no reason given'}`);
  }
  async function* body(): AsyncIterable<Buffer> {
    yield head.subarray(nl + 1);
    try {
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    } catch {
      // A cut connection (the server failed half-way) shows up as a truncated file in the check that follows.
    }
  }
  await pipeline(Readable.from(body()), privateFile(file));
}

/** Reads the store itself: only while no server runs on it. */
async function direct(options: BackupOptions, file: string): Promise<void> {
  if (!options.mongodbUri) {
    const found = await stat(options.dataDir).catch(() => null);
    if (!found?.isDirectory()) throw new Error(`DATA_DIR ${options.dataDir} does not exist: there is nothing to back up`);
  }
  const store = await openStore({ dataDir: options.dataDir, mongodbUri: options.mongodbUri });
  try {
    if (!store.snapshot) throw new Error('this store cannot be backed up');
    await writeBackup(await store.snapshot(), store.kind, privateFile(file));
  } finally {
    await store.close();
  }
}

/**
 * Takes a backup of the whole instance: through the running server when one
 * answers on DATA_DIR's channel, otherwise straight from the store. The file
 * is read back and checked before it gets its name.
 */
export async function takeBackup(options: BackupOptions): Promise<BackupResult> {
  const probe = await probeChannel(options.dataDir);
  if (probe === 'unreachable' && !options.offline) {
    throw new Error(
      `DATA_DIR ${options.dataDir} is too long a path for the backup channel, so a running server cannot be reached or ruled out. ` +
        'Stop the server and run the backup with --offline, or use a shorter DATA_DIR.',
    );
  }
  const partial = `${options.out}.partial`;
  // One left by a backup that was killed would keep its old permissions: start afresh.
  await rm(partial, { force: true });
  try {
    if (probe === 'running') await fromServer(options.dataDir, partial);
    else await direct(options, partial);
    let summary: BackupSummary;
    try {
      summary = await readBackup(createReadStream(partial), options.limits ?? defaultReadLimits);
    } catch (err) {
      if (probe === 'running' && err instanceof BackupFileError) throw new Error(`the backup from the server is incomplete (${err.message}); see the server's log`, { cause: err });
      throw err;
    }
    await rename(partial, options.out);
    return { ...summary, via: probe === 'running' ? 'server' : 'direct', file: options.out };
  } finally {
    await rm(partial, { force: true });
  }
}
