import { randomBytes } from 'node:crypto';
import type { BaseDoc, Store } from '../store/types.ts';
import { DuplicateKeyError } from '../store/types.ts';
import { ErrorCode } from '../../shared/errors.ts';
import type { ArchiveHeader } from '../../shared/archive.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ConsultationRecord } from '../consultations/consultations.repository.ts';
import { pollSecretsCollection } from '../polls/polls.repository.ts';
import { collectionByName, type ArchiveCollection, type ImportContext } from './collections.ts';
import { readArchive, type ReadLimits } from './format.ts';

/** What an import has written so far, so that a failure can remove exactly that. */
export class Written {
  readonly #entries: { target: string; ids: string[] }[] = [];

  /** Noted before the write: a write that fails halfway may have landed in part. */
  note(target: string, ids: string[]): void {
    this.#entries.push({ target, ids });
  }

  /**
   * Removes it all, newest first, audit entries included: they were written
   * moments ago by this import and describe a consultation that is not here.
   */
  async undo(store: Store, logger: Logger): Promise<void> {
    for (const { target, ids } of this.#entries.reverse()) {
      try {
        for (let i = 0; i < ids.length; i += batchSize) await store.collection(target).deleteMany({ _id: { $in: ids.slice(i, i + batchSize) } });
      } catch (err) {
        logger.error({ err, target }, 'could not remove what a failed archive import wrote');
      }
    }
  }
}

const batchSize = 200;

/**
 * The second pass of an import, once the file is known good: every record
 * written, collection by collection in batches, then `finish` (which adds
 * what the importing server adds, noting it in `written`). On any failure
 * everything written is removed again and the error goes out.
 */
export async function restoreArchive<T>(
  store: Store,
  logger: Logger,
  file: Uint8Array,
  header: ArchiveHeader,
  limits: ReadLimits,
  finish: (restored: ConsultationRecord, counts: Record<string, number>, written: Written) => Promise<T>,
): Promise<T> {
  const ctx: ImportContext = { consultationId: header.consultationId, now: new Date().toISOString() };
  const written = new Written();
  const counts: Record<string, number> = {};
  let batch: { collection: ArchiveCollection; docs: BaseDoc[] } | null = null;
  let consultation: ConsultationRecord | null = null;
  const openAnonymous: string[] = [];

  const flush = async () => {
    if (!batch || batch.docs.length === 0) return;
    const { collection, docs } = batch;
    batch = null;
    written.note(collection.target, docs.map((d) => d._id));
    await store.collection(collection.target).insertMany(docs);
  };

  try {
    await readArchive(file, limits, () => undefined, async (name, raw) => {
      const collection = collectionByName.get(name)!;
      if (batch && (batch.collection !== collection || batch.docs.length >= batchSize)) await flush();
      batch ??= { collection, docs: [] };
      const doc = collection.restore ? collection.restore(raw, ctx) : (raw as unknown as BaseDoc);
      batch.docs.push(doc);
      counts[name] = (counts[name] ?? 0) + 1;
      if (name === 'consultations') consultation = doc as ConsultationRecord;
      if (name === 'polls' && raw.anonymous === true && raw.status === 'open') openAnonymous.push(String(raw._id));
    });
    await flush();
    const restored = consultation as ConsultationRecord | null;
    if (!restored) throw new Error('an archive without a consultation passed the check');
    // An open anonymous poll needs a secret to take votes; the old one never left its server, so a new one
    // starts (the archived ballots stay counted, and stay unlinkable to anyone).
    const secrets = openAnonymous.map((pollId) => ({ _id: pollId, secret: randomBytes(32).toString('base64url') }));
    if (secrets.length > 0) {
      written.note('poll_secrets', secrets.map((s) => s._id));
      await pollSecretsCollection(store).insertMany(secrets);
    }
    return await finish(restored, counts, written);
  } catch (err) {
    await written.undo(store, logger);
    if (err instanceof AppError) throw err;
    if (err instanceof DuplicateKeyError) throw new AppError(ErrorCode.archiveExists, 'Records of this archive are already on this server');
    throw err;
  }
}
