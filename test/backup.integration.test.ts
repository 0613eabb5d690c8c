import { readFile, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { resolveRange } from '../shared/anchors.ts';
import type { Thread } from '../shared/comments.ts';
import type { Me } from '../shared/accounts.ts';
import { startServerProcess, type ServerProcess } from './helpers/process.ts';
import { addMember, api, cookieFrom, createDocument, tempDir, type TestUser } from './helpers/server.ts';
import { connectYjs, eventually } from './helpers/yjs.ts';
import { connectSocket } from './helpers/socket.ts';
import { anchorOn, plainText, writeParagraph } from './helpers/comments.ts';
import { backupLines, documentInBackup, embeddedInstance, mongoInstance, MONGODB_URI, runCli, type InstanceFactory } from './helpers/backup.ts';

if (!MONGODB_URI) console.info('[backup] MONGODB_URI is not set: the MongoDB backup suite is not run.');

async function stop(server: ServerProcess): Promise<void> {
  server.child.kill('SIGTERM');
  expect((await server.exited).code).toBe(0);
}

async function signIn(url: string, email: string, password: string): Promise<{ status: number; cookie: string | undefined }> {
  const res = await api<Me>(url, 'POST', '/auth/login', { email, password });
  return { status: res.status, cookie: res.status === 200 ? cookieFrom(res.headers) : undefined };
}

/** Whether every change `before` knows of is in `after` (state vectors compared client by client). */
function includes(after: Y.Doc, before: Y.Doc): boolean {
  const have = Y.decodeStateVector(Y.encodeStateVector(after));
  return [...Y.decodeStateVector(Y.encodeStateVector(before))].every(([client, clock]) => (have.get(client) ?? 0) >= clock);
}

const stateVector = (doc: Y.Doc) => [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort(([a], [b]) => a - b);

/** A small instance with an account, a document with some text, stopped; and a backup of it taken offline. */
async function stoppedInstanceWithBackup(instance: InstanceFactory) {
  const source = await instance();
  const server = await startServerProcess(source.env);
  const { owner, document } = await createDocument(server.url);
  const writer = connectYjs(server.wsUrl, document.id, { cookie: owner.cookie });
  await writer.synced;
  writeParagraph(writer.doc, 'Words worth keeping.');
  const watcher = connectYjs(server.wsUrl, document.id, { cookie: owner.cookie });
  await eventually(() => plainText(watcher.doc) === 'Words worth keeping.', 'the server to have the words');
  await stop(server);
  writer.destroy();
  watcher.destroy();
  const file = path.join(await tempDir(), 'offline.jsonl.gz');
  const taken = await runCli('backup', [file], source.env);
  expect(taken.stderr).toBe('');
  expect(taken.code).toBe(0);
  expect(taken.stdout).toMatch(/read from the store \(no server running\)/);
  return { source, owner, document, file, bytes: await readFile(file) };
}

function backupSuite(label: string, instance: InstanceFactory) {
  describe(`instance backup and restore (${label})`, () => {
    it('backs up a running server while people edit, and restores it into a fresh instance', async () => {
      const source = await instance();
      const first = await startServerProcess(source.env);
      const { owner, consultation, document } = await createDocument(first.url);
      const member = await addMember(first.url, owner, consultation.id, 'contributor', 'nhri');
      for (const phase of ['drafting', 'open_for_comment']) expect((await owner.call('POST', `/consultations/${consultation.id}/phase`, { phase })).status).toBe(200);

      const writer = connectYjs(first.wsUrl, document.id, { cookie: owner.cookie });
      await writer.synced;
      const paragraph = writeParagraph(writer.doc, 'The State shall consult civil society early.');
      const watcher = connectYjs(first.wsUrl, document.id, { cookie: owner.cookie });
      await eventually(() => plainText(watcher.doc).includes('consult civil society'), 'the server to have the paragraph');

      const socket = await connectSocket(first.url, owner.cookie);
      expect((await socket.emitWithAck('document:watch', document.id)).ok).toBe(true);
      const created = await socket.emitWithAck('thread:create', { documentId: document.id, anchor: anchorOn(paragraph, 'consult civil society'), body: 'Which groups, and how early?' });
      if (!created.ok) throw new Error(created.error.code);
      const replied = await socket.emitWithAck('comment:reply', { threadId: created.data.id, body: 'NHRIs too.' });
      expect(replied.ok).toBe(true);
      const auditBefore = await owner.call<{ items: { id: string }[] }>('GET', `/consultations/${consultation.id}/audit?limit=100`);
      expect(auditBefore.status).toBe(200);
      expect(auditBefore.body.items.length).toBeGreaterThan(0);

      // What the server had sent out before the backup began: it must all be in the backup.
      const before = new Y.Doc();
      Y.applyUpdate(before, Y.encodeStateAsUpdate(watcher.doc));
      const textBefore = plainText(before);

      // Edits go on while the backup is taken.
      let typing = true;
      let edits = 0;
      const typist = (async () => {
        for (; typing; edits++) {
          paragraph.insert(paragraph.length, ` edit ${edits}`);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      const file = path.join(await tempDir(), 'instance.jsonl.gz');
      const taken = await runCli('backup', [file], source.env);
      typing = false;
      await typist;
      expect(taken.stderr).toBe('');
      expect(taken.code).toBe(0);
      expect(taken.stdout).toMatch(/taken by the running server/);
      // It holds e-mail addresses and password hashes: only its owner may read it.
      expect((await stat(file)).mode & 0o777).toBe(0o600);

      const bytes = await readFile(file);
      const persisted = documentInBackup(bytes, document.id);
      expect(includes(persisted, before)).toBe(true);
      expect(plainText(persisted).startsWith(textBefore)).toBe(true);
      const lines = backupLines(bytes);
      expect(lines[0]).toMatchObject({ format: 'convene-backup', version: 1 });
      expect(lines.some((l) => l.c === 'users' && JSON.stringify(l.d).includes(owner.me.email))).toBe(true);

      expect(edits).toBeGreaterThan(0);
      // The running instance lost nothing to the backup: every edit, made during it too, is there after a restart.
      const final = plainText(writer.doc);
      await eventually(() => plainText(watcher.doc) === final, 'the server to have every edit');
      await stop(first);
      writer.destroy();
      watcher.destroy();
      const restarted = await startServerProcess(source.env);
      const check = connectYjs(restarted.wsUrl, document.id, { cookie: (await signIn(restarted.url, owner.me.email, owner.password)).cookie });
      await check.synced;
      expect(plainText(check.doc)).toBe(final);
      check.destroy();
      await stop(restarted);

      const target = await instance();
      const restored = await runCli('restore', [file], target.env);
      expect(restored.stderr).toBe('');
      expect(restored.code).toBe(0);
      const second = await startServerProcess(target.env);

      const again = await signIn(second.url, owner.me.email, owner.password);
      expect(again.status).toBe(200);
      expect((await signIn(second.url, member.me.email, member.password)).status).toBe(200);
      expect((await signIn(second.url, member.me.email, 'not the password at all')).status).toBe(401);
      const as = (u: TestUser, cookie: string) => ({ ...u, call: <T>(m: string, r: string, b?: unknown) => api<T>(second.url, m, r, b, cookie) });
      const restoredOwner = as(owner, again.cookie!);

      const reader = connectYjs(second.wsUrl, document.id, { cookie: again.cookie });
      await reader.synced;
      expect(stateVector(reader.doc)).toEqual(stateVector(persisted));
      expect(plainText(reader.doc)).toBe(plainText(persisted));

      const threads = await restoredOwner.call<{ threads: Thread[] }>('GET', `/documents/${document.id}/threads`);
      expect(threads.status).toBe(200);
      expect(threads.body.threads.map((t) => t.comments.map((c) => c.body))).toEqual([['Which groups, and how early?', 'NHRIs too.']]);
      const range = resolveRange(threads.body.threads[0]!.anchor, reader.doc);
      expect(range).not.toBeNull();
      expect(range!.type.toString().slice(range!.from, range!.to)).toBe('consult civil society');

      const auditAfter = await restoredOwner.call<{ items: { id: string }[] }>('GET', `/consultations/${consultation.id}/audit?limit=100`);
      expect(auditAfter.status).toBe(200);
      const restoredIds = new Set(auditAfter.body.items.map((e) => e.id));
      expect(auditBefore.body.items.filter((e) => !restoredIds.has(e.id))).toEqual([]);
    });

    it('holds every edit the server had when asked, even those not yet written; only the owner can reach the channel', async () => {
      const source = await instance();
      // Writes wait up to a second: a backup taken at once must still have the last edit.
      const server = await startServerProcess({ ...source.env, PERSIST_MAX_DELAY_MS: '1000', PERSIST_DEBOUNCE_MS: '1000' });
      const { owner, document } = await createDocument(server.url);
      const writer = connectYjs(server.wsUrl, document.id, { cookie: owner.cookie });
      await writer.synced;
      writeParagraph(writer.doc, 'typed just now');
      const watcher = connectYjs(server.wsUrl, document.id, { cookie: owner.cookie });
      await eventually(() => plainText(watcher.doc) === 'typed just now', 'the server to have the edit');

      const socketPath = path.join(source.dataDir, 'run', 'backup.sock');
      const channel = net.connect(socketPath);
      channel.write('{"op":"backup"}\n');
      const received: Buffer[] = [];
      channel.on('data', (d: Buffer) => received.push(d));
      await new Promise((resolve) => channel.once('close', resolve));
      const all = Buffer.concat(received);
      const nl = all.indexOf(10);
      expect(JSON.parse(all.subarray(0, nl).toString())).toEqual({ ok: true });
      expect(plainText(documentInBackup(all.subarray(nl + 1), document.id))).toBe('typed just now');

      expect((await stat(socketPath)).mode & 0o777).toBe(0o600);
      expect((await stat(path.dirname(socketPath))).mode & 0o777).toBe(0o700);
      await stop(server);
      // A server that stops takes its channel with it.
      await expect(stat(path.dirname(socketPath))).rejects.toThrow();
    });

    it('refuses bad files with a clear error and writes nothing', async () => {
      const { bytes } = await stoppedInstanceWithBackup(instance);
      const text = gunzipSync(bytes).toString('utf8');
      const dir = await tempDir();
      const variant = async (name: string, content: Buffer) => {
        const file = path.join(dir, name);
        await writeFile(file, content);
        return file;
      };
      const flipped = Buffer.from(bytes);
      for (let i = Math.floor(flipped.length / 3); i < Math.floor(flipped.length / 3) + 16; i++) flipped[i]! ^= 0xff;
      const lines = text.split('\n');
      const userLine = lines.findIndex((l) => l.startsWith('{"c":"users"'));
      const tampered = [...lines];
      tampered[userLine] = tampered[userLine]!.replace('@example.org', '@example.net');
      const duplicated = [...lines];
      duplicated.splice(userLine, 0, lines[userLine]!);

      const cases: { name: string; file: string; args?: string[]; error: RegExp }[] = [
        { name: 'corrupt', file: await variant('corrupt.gz', flipped), error: /corrupt/ },
        { name: 'truncated', file: await variant('truncated.gz', bytes.subarray(0, Math.floor(bytes.length / 2))), error: /truncated/ },
        { name: 'unknown version', file: await variant('version.gz', gzipSync(text.replace('"version":1', '"version":99'))), error: /format version 99/ },
        { name: 'checksum', file: await variant('tampered.gz', gzipSync(tampered.join('\n'))), error: /checksum does not match/ },
        { name: 'duplicate ids', file: await variant('duplicate.gz', gzipSync(duplicated.join('\n'))), error: /twice in users/ },
        { name: 'not a backup', file: await variant('other.gz', gzipSync('{"hello":"world"}\n')), error: /not a Convene backup/ },
        { name: 'not gzip', file: await variant('plain.jsonl', Buffer.from(text)), error: /corrupt \(not valid gzip/ },
        { name: 'oversize', file: await variant('good.gz', bytes), args: ['--max-bytes', '256'], error: /larger than the limit of 256 bytes/ },
      ];
      for (const c of cases) {
        const target = await instance();
        const result = await runCli('restore', [c.file, ...(c.args ?? [])], target.env);
        expect({ case: c.name, code: result.code, error: result.stderr }).toMatchObject({ case: c.name, code: 1, error: expect.stringMatching(c.error) });
        expect(result.stderr).toMatch(/Nothing was restored/);
        expect({ case: c.name, empty: await target.holdsNothing() }).toEqual({ case: c.name, empty: true });
      }
    });

    it('refuses an instance that already holds data unless --force, and then replaces it', async () => {
      const { owner, file, document } = await stoppedInstanceWithBackup(instance);
      const target = await instance();
      const server = await startServerProcess(target.env);
      const other = await createDocument(server.url);
      await stop(server);

      const refused = await runCli('restore', [file], target.env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/Restore refused: .*already holds data.*--force/);

      const forced = await runCli('restore', [file, '--force'], target.env);
      expect(forced.stderr).toBe('');
      expect(forced.code).toBe(0);
      const restarted = await startServerProcess(target.env);
      expect((await signIn(restarted.url, other.owner.me.email, other.owner.password)).status).toBe(401);
      const signedIn = await signIn(restarted.url, owner.me.email, owner.password);
      expect(signedIn.status).toBe(200);
      const reader = connectYjs(restarted.wsUrl, document.id, { cookie: signedIn.cookie });
      await reader.synced;
      expect(plainText(reader.doc)).toBe('Words worth keeping.');
    });

    it('refuses to restore into a running server and leaves it untouched', async () => {
      const { owner, file } = await stoppedInstanceWithBackup(instance);
      const target = await instance();
      const server = await startServerProcess(target.env);
      const result = await runCli('restore', [file, '--force'], target.env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Restore refused: A Convene server is running on DATA_DIR/);
      expect((await signIn(server.url, owner.me.email, owner.password)).status).toBe(401);
      expect((await api(server.url, 'GET', '/health')).status).toBe(200);
    });
  });
}

backupSuite('embedded store', embeddedInstance);
describe.runIf(MONGODB_URI !== '')('MongoDB', () => backupSuite('MongoDB', mongoInstance));
