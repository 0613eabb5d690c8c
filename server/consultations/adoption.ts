import type { Store } from '../store/types.ts';
import { adoptionCheckLimit, type AdoptionCheck, type OutstandingThread } from '../../shared/adoption.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import type { CommentsService } from '../comments/comments.service.ts';
import { outstandingThreads, threadsCollection, type ThreadRecord } from '../comments/comments.repository.ts';
import { documentsCollection } from '../documents/documents.repository.ts';
import { consultationsCollection } from './consultations.repository.ts';
import type { MembershipRecord } from '../members/members.repository.ts';

/** Audit subjects name a thread by its passage; long passages are cut. */
const short = (text: string, max = 120) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * What adopting a plan does to the conversation around it: before, the list
 * of open threads and pending proposals the facilitator must confirm; after,
 * a defined outcome for each, recorded in the audit log.
 */
export class Adoption {
  readonly #threads;
  readonly #documents;
  readonly #consultations;

  constructor(
    store: Store,
    private readonly comments: CommentsService,
    private readonly audit: AuditLog,
  ) {
    this.#threads = threadsCollection(store);
    this.#documents = documentsCollection(store);
    this.#consultations = consultationsCollection(store);
  }

  async check(consultationId: string): Promise<AdoptionCheck> {
    const threads = await outstandingThreads(this.#threads, consultationId);
    // Only the documents that hold something outstanding are named.
    const documentIds = [...new Set(threads.map((t) => t.documentId))];
    const documents = documentIds.length === 0 ? [] : await this.#documents.find({ _id: { $in: documentIds } });
    const titles = new Map(documents.map((d) => [d._id, d.title]));
    const item = (t: ThreadRecord, proposal: boolean): OutstandingThread => ({
      threadId: t._id,
      documentId: t.documentId,
      documentTitle: titles.get(t.documentId) ?? '',
      quote: t.anchor.quote,
      proposal: proposal ? t.proposal!.text : null,
    });
    const open = threads.filter((t) => t.status === 'open');
    const pending = threads.filter((t) => t.proposal?.status === 'pending');
    return {
      openThreads: { count: open.length, items: open.slice(0, adoptionCheckLimit).map((t) => item(t, false)) },
      pendingProposals: { count: pending.length, items: pending.slice(0, adoptionCheckLimit).map((t) => item(t, true)) },
    };
  }

  /** After the phase changed: close what is open, lapse what is pending, one audit entry each, by the adopting facilitator. */
  async settle(consultationId: string, actor: MembershipRecord | null, reason = 'The plan was adopted'): Promise<void> {
    for (const { thread, closed, lapsed } of await this.comments.settleAtAdoption(consultationId)) {
      const subject = { type: 'thread' as const, id: thread._id, name: short(thread.anchor.quote) };
      const details = { documentId: thread.documentId };
      if (closed) await this.audit.record(consultationId, actor, 'thread.closed_at_adoption', { subject, reason, details });
      if (lapsed) await this.audit.record(consultationId, actor, 'proposal.lapsed', { subject, reason, details: { ...details, proposal: short(thread.proposal!.text, 500) } });
    }
  }

  /**
   * At start-up: finishes an adoption that a crash or restart interrupted
   * between the phase change and the settling (the server acts on its own).
   * Hands back the adopted consultations, for the versions' own sweep.
   */
  async sweep(): Promise<string[]> {
    const adopted = await this.#consultations.find({ phase: 'adopted' });
    // `settle` finds what is still outstanding and does nothing where nothing is.
    for (const { _id } of adopted) await this.settle(_id, null, 'The plan was adopted (settled after a restart)');
    return adopted.map((c) => c._id);
  }
}
