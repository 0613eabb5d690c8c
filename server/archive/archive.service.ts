import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { Store } from '../store/types.ts';
import { archiveFormat, archiveVersion, type ArchiveImportResult } from '../../shared/archive.ts';
import type { StakeholderGroup } from '../../shared/groups.ts';
import { KeyedLock } from '../lock.ts';
import type { Logger } from '../logger.ts';
import type { Access } from '../members/access.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import type { RoomRegistry } from '../collab/rooms.ts';
import { consultationsCollection, type ConsultationRecord } from '../consultations/consultations.repository.ts';
import { membershipsCollection, type MembershipRecord } from '../members/members.repository.ts';
import { consentOnJoining } from '../members/identity.ts';
import { writeArchive } from './archive.export.ts';
import { checkArchive, refuseExisting } from './archive.check.ts';
import { restoreArchive } from './archive.restore.ts';

export interface ArchiveLimits {
  maxImportBytes: number;
  maxUnpackedBytes: number;
}

/**
 * A whole consultation as one file, and back (shared/archive.ts has the
 * format, collections.ts what goes in). Importing is all or nothing: the
 * whole file is read and checked before anything is written
 * (archive.check.ts), and if a write fails midway what was written is removed
 * again (archive.restore.ts).
 */
export class ArchiveService {
  /** One import at a time: a failed import removes exactly the records it wrote, which no other import can have written too. */
  readonly #importing = new KeyedLock();

  constructor(
    private readonly store: Store,
    private readonly access: Access,
    private readonly audit: AuditLog,
    private readonly rooms: RoomRegistry,
    private readonly logger: Logger,
    readonly limits: ArchiveLimits,
  ) {}

  /** Checks the caller may export, and records that they did; `write` then streams the file. */
  async prepareExport(userId: string, consultationId: string): Promise<{ consultation: ConsultationRecord; write: (out: Writable) => Promise<void> }> {
    const { consultation, membership } = await this.access.authorize(userId, consultationId, 'archive.export');
    // Recorded first, so that the archive itself says when and by whom it was taken.
    await this.audit.record(consultationId, membership, 'consultation.exported', {
      subject: { type: 'consultation', id: consultationId, name: consultation.title },
      details: { format: archiveFormat, version: archiveVersion },
    });
    // Edits still waiting to be written are written now, so the archive holds everything typed so far.
    await this.rooms.flushAll();
    return { consultation, write: (out) => writeArchive(this.store, consultation, membership, out) };
  }

  /** Restores an archive as a new consultation on this server, the caller one of its facilitators. */
  async import(userId: string, file: Uint8Array, group: StakeholderGroup): Promise<ArchiveImportResult> {
    const limits = { maxUnpackedBytes: this.limits.maxUnpackedBytes };
    const { header, ids } = await checkArchive(file, limits);
    return this.#importing.run('import', async () => {
      await refuseExisting(this.store, ids);
      return restoreArchive(this.store, this.logger, file, header, limits, async (restored, counts, written) => {
        // Whoever imports becomes a facilitator of the restored consultation, with the next alias.
        const memberships = membershipsCollection(this.store);
        const highest = (await memberships.find({ consultationId: restored._id }, { sort: { alias: -1 }, limit: 1 }))[0]?.alias ?? 0;
        const alias = Math.max(highest, restored.memberSeq) + 1;
        await consultationsCollection(this.store).updateOne({ _id: restored._id }, { $set: { memberSeq: alias } });
        const membership: MembershipRecord = {
          _id: randomUUID(),
          consultationId: restored._id,
          userId,
          role: 'facilitator',
          group,
          organisation: null,
          alias,
          joinedAt: new Date().toISOString(),
          mutedUntil: null,
          namedInEpoch: consentOnJoining(restored),
        };
        written.note('memberships', [membership._id]);
        await memberships.insertOne(membership);
        const records = Object.values(counts).reduce((a, b) => a + b, 0);
        await this.audit.record(restored._id, membership, 'consultation.imported', {
          subject: { type: 'consultation', id: restored._id, name: restored.title },
          details: { format: archiveFormat, version: archiveVersion, exportedAt: header.exportedAt, records },
        });
        this.logger.info({ consultationId: restored._id, records }, 'consultation archive imported');
        return { consultationId: restored._id, title: restored.title, counts };
      });
    });
  }
}
