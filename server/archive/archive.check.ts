import type { Store } from '../store/types.ts';
import { ErrorCode } from '../../shared/errors.ts';
import type { ArchiveHeader, ArchiveProblem } from '../../shared/archive.ts';
import { AppError } from '../errors.ts';
import { archiveCollections, collectionByName } from './collections.ts';
import { readArchive, type ReadLimits } from './format.ts';

const invalid = (reason: ArchiveProblem, message: string, details: Record<string, unknown> = {}) =>
  new AppError(ErrorCode.archiveInvalid, message, { reason, ...details });

/** The ids an archive would write, per store collection. */
export type ArchiveIds = Map<string, Set<string>>;

/**
 * The first pass of an import: the whole file read and every record checked
 * (its schema, no id twice, every record of this consultation and pointing
 * only at records before it). Nothing is written.
 */
export async function checkArchive(file: Uint8Array, limits: ReadLimits): Promise<{ header: ArchiveHeader; ids: ArchiveIds }> {
  const seen = new Map<string, Set<string>>();
  const ids: ArchiveIds = new Map();
  let cid = '';
  let order = 0;
  const { header } = await readArchive(
    file,
    limits,
    (h) => {
      cid = h.consultationId;
    },
    (name, raw, line) => {
      const collection = collectionByName.get(name);
      if (!collection) throw invalid('schema', `The archive holds records of an unknown kind, "${name}"`, { collection: name, line });
      // Records come collection by collection in the registry's order, so each one's links can be checked against those before it.
      const position = archiveCollections.indexOf(collection);
      if (position < order) throw invalid('order', `The "${name}" records are out of order`, { collection: name, line });
      order = position;
      const parsed = collection.schema.safeParse(raw);
      if (!parsed.success) {
        throw invalid('schema', `A "${name}" record is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { collection: name, line });
      }
      const badKey = unsafeKey(raw);
      if (badKey !== null) throw invalid('schema', `A "${name}" record has a field named "${badKey}", which no store accepts`, { collection: name, line });
      const id = String(raw._id);
      const mine = seen.get(name) ?? new Set<string>();
      seen.set(name, mine);
      if (mine.has(id)) throw invalid('duplicate', `The archive holds "${name}" ${id} twice`, { collection: name, id, line });
      const problem = collection.check(raw, cid, seen);
      if (problem) throw invalid(problem, problemMessage(problem, name, id), { collection: name, id, line });
      mine.add(id);
      const targetIds = ids.get(collection.target) ?? new Set<string>();
      ids.set(collection.target, targetIds);
      targetIds.add(id);
    },
  );
  if ((seen.get('consultations')?.size ?? 0) !== 1) throw invalid('missing', 'The archive holds no consultation', { collection: 'consultations' });
  return { header, ids };
}

const chunk = 200;

/** Nothing of the archive may be here already: importing twice, or into the server it came from, would mix two copies. */
export async function refuseExisting(store: Store, ids: ArchiveIds): Promise<void> {
  for (const [target, set] of ids) {
    const all = [...set];
    for (let i = 0; i < all.length; i += chunk) {
      const found = await store.collection(target).find({ _id: { $in: all.slice(i, i + chunk) } }, { limit: 1 });
      if (found.length > 0) {
        throw new AppError(ErrorCode.archiveExists, 'Records of this archive are already on this server', { collection: target, id: found[0]!._id });
      }
    }
  }
}

/**
 * A field name a store would refuse or read as an operator (`$…`, or with a
 * dot): caught while checking, so that it cannot fail the write halfway.
 */
function unsafeKey(value: unknown): string | null {
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    if (!Array.isArray(value) && (key.startsWith('$') || key.includes('.') || key.includes('\0'))) return key;
    const found = unsafeKey(child);
    if (found !== null) return found;
  }
  return null;
}

function problemMessage(problem: ArchiveProblem, name: string, id: string): string {
  switch (problem) {
    case 'foreign':
      return `The "${name}" record ${id} belongs to another consultation, or to something not in the archive`;
    case 'missing':
      return `The "${name}" record ${id} points at something the archive does not hold`;
    case 'duplicate':
      return `The archive holds more than one "${name}" record`;
    default:
      return `The "${name}" record ${id} is not valid`;
  }
}
