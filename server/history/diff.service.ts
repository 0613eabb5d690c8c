import * as Y from 'yjs';
import type { Store } from '../store/types.ts';
import type { DiffQuery, DocumentDiff } from '../../shared/history.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import type { Access } from '../members/access.ts';
import { DocumentUnavailableError, type RoomRegistry } from '../collab/rooms.ts';
import type { UpdateLog } from '../collab/persistence.ts';
import { threadsCollection } from '../comments/comments.repository.ts';
import type { VersionsService } from './versions.service.ts';
import { loadAttribution } from './attribution.load.ts';
import { attributionAuthors } from './attribution.authors.ts';
import { diffDocument } from './diff.engine.ts';
import { threadFates } from './diff.fates.ts';

interface End {
  snapshot: Y.Snapshot;
  versionId: string | null;
  at: string | null;
}

/**
 * Compares two states of a document for a member who may read it: two
 * versions, a version and now, or their last visit and now. The room's
 * document keeps every deleted character (rooms run without garbage
 * collection), so both ends are states of it; who made each change comes
 * from the attribution recorded with the update log, shown as comments show
 * their authors (alias and group, never a name).
 */
export class DiffService {
  constructor(
    private readonly store: Store,
    private readonly access: Access,
    private readonly rooms: RoomRegistry,
    private readonly log: UpdateLog,
    private readonly versions: VersionsService,
  ) {}

  async diff(userId: string, documentId: string, query: DiffQuery): Promise<DocumentDiff> {
    const { membership, document } = await this.access.authorizeDocument(userId, documentId, 'document.view');
    const room = await this.rooms.acquire(documentId).catch((err: unknown) => {
      throw err instanceof DocumentUnavailableError ? new AppError(ErrorCode.unavailable, 'The document could not be read; try again later') : err;
    });
    try {
      const end = async (e: DiffQuery['from']): Promise<End> => {
        if (e === 'now') return { snapshot: Y.snapshot(room.doc), versionId: null, at: null };
        if (e === 'visit') {
          // Never left it yet: everything is new to them, so the comparison starts at the beginning.
          const visit = await this.versions.lastVisitAt(membership._id, documentId);
          return visit ? { snapshot: visit.snapshot, versionId: null, at: visit.at } : { snapshot: Y.emptySnapshot, versionId: null, at: null };
        }
        const version = await this.versions.versionEnd(documentId, e);
        if (!version) throw AppError.notFound('Version');
        return { snapshot: version.snapshot, versionId: e, at: version.at };
      };
      const from = await end(query.from);
      const to = await end(query.to);
      const index = await loadAttribution(documentId, this.log, this.rooms);
      const authorOf = await attributionAuthors(this.store, document.consultationId);
      const threads = await threadsCollection(this.store).find({ documentId });
      // No await from here on: the engine reads the live document in one go.
      const { blocks, fields, counts } = diffDocument(room.doc, from.snapshot, to.snapshot, index, authorOf);
      const fates = threadFates(threads, room.doc, from.snapshot, to.snapshot, index, { from: from.at, to: to.at });
      return { from: { versionId: from.versionId, at: from.at }, to: { versionId: to.versionId, at: to.at }, blocks, fields, counts, threads: fates };
    } finally {
      this.rooms.release(room);
    }
  }
}
