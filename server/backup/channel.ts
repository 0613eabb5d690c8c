import { chmod, mkdir, rmdir, unlink } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/types.ts';
import { writeBackup } from './format.ts';

/**
 * The running server's backup channel: a Unix socket in DATA_DIR/run/ (the
 * folder 0700, the socket 0600), so only the account the server runs as (and
 * root) can reach it. `npm run backup` asks it for a backup because a second
 * process must never open the embedded store's files while the server has
 * them (loading rewrites them); `npm run restore` connects only to learn that
 * a server is running.
 *
 * Protocol: the client sends one line, {"op":"backup"}; the server answers
 * one line, {"ok":true} or {"ok":false,"error":"…"}, then (when ok) the backup
 * file's bytes, and closes. A backup that fails half-way is cut off; the
 * client's check of the file then fails.
 */
export const channelDir = (dataDir: string) => path.resolve(dataDir, 'run');
export const channelPath = (dataDir: string) => path.join(channelDir(dataDir), 'backup.sock');

/** Unix socket paths are limited (108 bytes on Linux, 104 on macOS). */
const maxSocketPath = 100;

export type ChannelProbe = 'running' | 'stopped' | 'unreachable';

/** Whether a server answers on the channel: `unreachable` when the path is too long for a socket to exist there. */
export function probeChannel(dataDir: string): Promise<ChannelProbe> {
  const socketPath = channelPath(dataDir);
  if (Buffer.byteLength(socketPath) > maxSocketPath) return Promise.resolve('unreachable');
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve('running');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') resolve('stopped');
      else reject(new Error(`Cannot tell whether a server is running: ${socketPath}: ${err.message}`, { cause: err }));
    });
  });
}

export interface BackupChannel {
  readonly path: string;
  close(): Promise<void>;
}

export interface ChannelDeps {
  dataDir: string;
  store: Store;
  /** Writes what the server holds but has not stored yet (documents' pending updates). */
  flush: () => Promise<void>;
  logger: Logger;
}

/**
 * Starts the channel; resolves with null (after logging why) when it cannot be
 * offered. With the embedded store a channel that cannot be opened stops the
 * start: without it, `npm run backup` could not tell the store is in use and
 * would open its files. MongoDB may be read by several processes, so there it
 * only costs the last pending edits in a backup, and the server starts anyway.
 */
export async function startBackupChannel(deps: ChannelDeps): Promise<BackupChannel | null> {
  try {
    return await openChannel(deps);
  } catch (err) {
    const message = `the backup channel could not be opened at ${channelPath(deps.dataDir)}: ${(err as Error).message}`;
    if (deps.store.kind !== 'mongodb') throw new Error(message, { cause: err });
    deps.logger.warn({ err }, message);
    return null;
  }
}

async function openChannel({ dataDir, store, flush, logger }: ChannelDeps): Promise<BackupChannel | null> {
  const socketPath = channelPath(dataDir);
  if (Buffer.byteLength(socketPath) > maxSocketPath) {
    logger.warn({ socketPath }, 'backup channel unavailable: DATA_DIR is too long a path for a Unix socket; back up with the server stopped');
    return null;
  }
  const probe = await probeChannel(dataDir);
  if (probe === 'running') {
    logger.error({ socketPath }, 'backup channel unavailable: another server answers on it (two servers must not share a DATA_DIR)');
    return null;
  }
  await mkdir(channelDir(dataDir), { recursive: true, mode: 0o700 });
  await chmod(channelDir(dataDir), 0o700);
  // Left behind by a server that did not stop cleanly (nothing answers on it: probed above).
  await unlink(socketPath).catch(() => undefined);

  let busy = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let request = '';
    const onData = (chunk: Buffer): void => {
      request += chunk.toString('utf8');
      const nl = request.indexOf('\n');
      if (nl < 0) {
        if (request.length > 1024) socket.destroy();
        return;
      }
      socket.off('data', onData);
      void answer(socket, request.slice(0, nl));
    };
    socket.on('data', onData);
  });

  async function answer(socket: net.Socket, line: string): Promise<void> {
    let op: unknown;
    try {
      op = (JSON.parse(line) as { op?: unknown }).op;
    } catch {
      op = undefined;
    }
    if (op !== 'backup') return void socket.end(`${JSON.stringify({ ok: false, error: 'unknown request' })}\n`);
    if (busy) return void socket.end(`${JSON.stringify({ ok: false, error: 'a backup is already being taken; try again when it has finished' })}\n`);
    if (!store.snapshot) return void socket.end(`${JSON.stringify({ ok: false, error: 'this store cannot be backed up' })}\n`);
    busy = true;
    try {
      // Everything the server had received when the backup was asked for is in it.
      await flush();
      const snapshot = await store.snapshot();
      socket.write(`${JSON.stringify({ ok: true })}\n`);
      const summary = await writeBackup(snapshot, store.kind, socket);
      logger.info({ documents: summary.documents, collections: summary.header.collections.length }, 'backup taken over the backup channel');
    } catch (err) {
      logger.error({ err }, 'backup over the backup channel failed');
      socket.destroy();
    } finally {
      busy = false;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  await chmod(socketPath, 0o600);
  server.on('error', (err) => logger.error({ err }, 'backup channel error'));
  logger.info({ socketPath }, 'backup channel listening');

  return {
    path: socketPath,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
      await unlink(socketPath).catch(() => undefined);
      // A stopped instance's DATA_DIR holds the store's files only.
      await rmdir(channelDir(dataDir)).catch(() => undefined);
    },
  };
}
