import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MongoClient } from 'mongodb';
import * as Y from 'yjs';
import { projectRoot } from '../../server/http/client.ts';
import { onCleanup } from './cleanup.ts';
import { tempDir } from './server.ts';

/** `npm run backup` / `npm run restore` as the operator runs them (the same entry, without npm's wrapper). */
export function runCli(command: 'backup' | 'restore', args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'server', 'backup', 'cli.ts'), command, ...args], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  onCleanup(() => void (child.exitCode === null && child.kill('SIGKILL')));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** The lines of a backup file, read back with zlib and JSON only (not with the code that wrote it). */
export function backupLines(file: Buffer): Record<string, unknown>[] {
  return gunzipSync(file)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The Yjs document a backup file holds for one document: its stored updates, applied in log order. */
export function documentInBackup(file: Buffer, docId: string): Y.Doc {
  const entries = backupLines(file)
    .filter((l) => l.c === 'yjs_updates' && (l.d as { docId?: string }).docId === docId)
    .map((l) => l.d as { seq: number; update: { $binary: string } })
    .sort((a, b) => a.seq - b.seq);
  const doc = new Y.Doc();
  for (const e of entries) Y.applyUpdate(doc, Buffer.from(e.update.$binary, 'base64'));
  return doc;
}

export const MONGODB_URI = process.env.MONGODB_URI ?? '';

/** Same server and options, another database (as test/store.contract.test.ts does it). */
function withDatabase(uri: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/([^/?]*))(?:\/([^?]*))?(?:\?(.*))?$/.exec(uri);
  if (!match) throw new Error('MONGODB_URI is not a mongodb:// or mongodb+srv:// connection string');
  const [, base, authority, dbPath, query] = match;
  const params = new URLSearchParams(query ?? '');
  if (authority!.includes('@') && !params.has('authSource')) params.set('authSource', dbPath || 'admin');
  const search = params.toString();
  return `${base}/${dbName}${search ? `?${search}` : ''}`;
}

/** One instance's storage: the environment a server and the CLI get, and whether it holds anything. */
export interface Instance {
  env: Record<string, string>;
  dataDir: string;
  /** No collection with documents, no half-written files. */
  holdsNothing(): Promise<boolean>;
}

export type InstanceFactory = () => Promise<Instance>;

export const embeddedInstance: InstanceFactory = async () => {
  const dataDir = await tempDir('convene-backup-');
  return {
    dataDir,
    env: { DATA_DIR: dataDir, MONGODB_URI: '' },
    async holdsNothing() {
      const files = await readdir(dataDir).catch(() => [] as string[]);
      return !files.some((f) => f.endsWith('.db') || f.startsWith('.restore-') || f.startsWith('replaced-'));
    },
  };
};

let databases = 0;
export const mongoInstance: InstanceFactory = async () => {
  const dataDir = await tempDir('convene-backup-');
  const dbName = `convene_backup_test_${process.pid}_${Date.now().toString(36)}_${++databases}`;
  const uri = withDatabase(MONGODB_URI, dbName);
  const client = new MongoClient(uri);
  onCleanup(async () => {
    await client.db(dbName).dropDatabase();
    await client.close();
  });
  return {
    dataDir,
    env: { DATA_DIR: dataDir, MONGODB_URI: uri },
    async holdsNothing() {
      const db = client.db(dbName);
      for (const c of await db.listCollections({}, { nameOnly: true }).toArray()) if ((await db.collection(c.name).countDocuments()) > 0) return false;
      return true;
    },
  };
};
