import { createGzip } from 'node:zlib';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { Store } from '../store/types.ts';
import { archiveFormat, archiveVersion, type ArchiveHeader } from '../../shared/archive.ts';
import type { ConsultationRecord } from '../consultations/consultations.repository.ts';
import type { MembershipRecord } from '../members/members.repository.ts';
import { archiveCollections, type ExportContext } from './collections.ts';
import { LineWriter, toPlain } from './format.ts';

/**
 * Writes one consultation's archive to `out` as it reads it: collection by
 * collection, page by page, each line gzipped and sent before the next is
 * read. Nothing holds the whole archive.
 */
export async function writeArchive(store: Store, consultation: ConsultationRecord, exporter: MembershipRecord, out: Writable): Promise<void> {
  const idsOf = async (collection: string) => (await store.collection(collection).find({ consultationId: consultation._id }, { sort: { _id: 1 } })).map((r) => r._id);
  const ctx: ExportContext = { store, consultation, exporter, documentIds: await idsOf('documents'), pollIds: await idsOf('polls') };
  const gzip = createGzip();
  // A download cut short ends the pipeline: the export stops reading instead of waiting for a drain that never comes.
  const cut = new AbortController();
  const piped = pipeline(gzip, out).catch((err: unknown) => {
    cut.abort(err);
    throw err;
  });
  piped.catch(() => undefined);
  const push = async (bytes: Buffer) => {
    cut.signal.throwIfAborted();
    // Back-pressure: a slow download holds the reading of further records, not memory.
    if (!gzip.write(bytes)) await once(gzip, 'drain', { signal: cut.signal });
  };
  const lines = new LineWriter();
  const header: ArchiveHeader = {
    format: archiveFormat,
    version: archiveVersion,
    exportedAt: new Date().toISOString(),
    consultationId: consultation._id,
    collections: archiveCollections.map((c) => c.name),
  };
  await push(lines.line(header));
  const counts: Record<string, number> = {};
  for (const collection of archiveCollections) {
    let n = 0;
    for await (const record of collection.select(ctx)) {
      await push(lines.line({ c: collection.name, r: toPlain(record) }));
      n += 1;
    }
    counts[collection.name] = n;
  }
  gzip.end(lines.trailer(counts));
  await piped;
}
