import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { takeBackup } from './backup.ts';
import { defaultReadLimits, type ReadLimits } from './format.ts';
import { restoreBackup, RestoreRefusedError } from './restore.ts';

/**
 * `npm run backup -- [file] [--offline]` and
 * `npm run restore -- <file> [--force] [--offline] [--max-bytes N]`.
 * DATA_DIR and MONGODB_URI are read from the environment, as the server reads them.
 */

const usage = `Usage:
  npm run backup -- [file] [--offline]
  npm run restore -- <file> [--force] [--offline] [--max-bytes <n>]`;

function limitsFrom(maxBytes: string | undefined): ReadLimits {
  if (maxBytes === undefined) return defaultReadLimits;
  const n = Number(maxBytes);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--max-bytes must be a positive whole number, not ${JSON.stringify(maxBytes)}`);
  return { maxBytes: n, maxLineBytes: Math.min(n, defaultReadLimits.maxLineBytes) };
}

const stamp = () => new Date().toISOString().replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z');

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { force: { type: 'boolean' }, offline: { type: 'boolean' }, 'max-bytes': { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) return void console.log(usage);
  const config = loadConfig(process.env);
  const store = config.mongodbUri ? 'MongoDB (MONGODB_URI)' : `the embedded store in ${path.resolve(config.dataDir)}`;
  const limits = limitsFrom(values['max-bytes']);

  if (command === 'backup') {
    if (positionals.length > 1 || values.force) throw new Error(usage);
    const out = path.resolve(positionals[0] ?? `convene-backup-${stamp()}.jsonl.gz`);
    const result = await takeBackup({ dataDir: config.dataDir, mongodbUri: config.mongodbUri, out, offline: values.offline, limits });
    const how = result.via === 'server' ? 'taken by the running server' : 'read from the store (no server running)';
    console.log(`Backed up ${store}, ${how}: ${result.documents} documents in ${result.header.collections.length} collections.`);
    console.log(`Written to ${result.file} (sha256 of its contents ${result.sha256}).`);
    console.log('It holds every account\'s e-mail address and password hash: keep it encrypted and access-controlled.');
    return;
  }
  if (command === 'restore') {
    if (positionals.length !== 1) throw new Error(usage);
    const result = await restoreBackup({
      file: path.resolve(positionals[0]!),
      dataDir: config.dataDir,
      mongodbUri: config.mongodbUri,
      force: values.force,
      offline: values.offline,
      limits,
    });
    console.log(`Restored ${result.documents} documents in ${result.header.collections.length} collections into ${store}, from a backup taken ${result.header.createdAt}.`);
    if (result.replacedDir) console.log(`The files it replaced are in ${result.replacedDir}; delete them once the restored instance is confirmed.`);
    return;
  }
  throw new Error(usage);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  const verb = process.argv[2] === 'restore' ? 'Restore' : 'Backup';
  if (err instanceof RestoreRefusedError) console.error(`Restore refused: ${message}`);
  else if (process.argv[2] === 'restore') console.error(`Restore failed: ${message}. Nothing was restored.`);
  else console.error(`${verb} failed: ${message}`);
  process.exit(1);
});
