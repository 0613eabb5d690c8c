import type { Store } from '../store/types.ts';
import { blockedWhenMuted, can, type Action } from '../../shared/permissions.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import { consultationsCollection, type ConsultationRecord } from '../consultations/consultations.repository.ts';
import { documentsCollection, type DocumentRecord } from '../documents/documents.repository.ts';
import { membershipsCollection, type MembershipRecord } from './members.repository.ts';

export interface Granted {
  consultation: ConsultationRecord;
  membership: MembershipRecord;
}

export type DocumentAccess = 'none' | 'read' | 'write';

/** What a writer may do to the plan's blocks beyond typing and editing fields (shared/permissions.ts). */
export interface PlanRights {
  /** Add, remove or reorder goals, objectives and actions (`plan.structure`). */
  structure: boolean;
  /** Change the recommendations and SDG targets an action links to (`plan.link`). */
  link: boolean;
}

export const noPlanRights: PlanRights = { structure: false, link: false };

/** Whether a member is muted right now; a mute simply lapses when its time has passed. */
export const mutedNow = (m: MembershipRecord, now = Date.now()): boolean => !!m.mutedUntil && Date.parse(m.mutedUntil) > now;

/**
 * The one permission check. REST routes, Socket.IO handlers and the Yjs
 * endpoint all come here, and here reads only the shared permission table.
 * Non-members get "not found", never "forbidden": a consultation's existence
 * is itself private.
 */
export class Access {
  readonly #consultations;
  readonly #documents;
  readonly #memberships;

  constructor(store: Store) {
    this.#consultations = consultationsCollection(store);
    this.#documents = documentsCollection(store);
    this.#memberships = membershipsCollection(store);
  }

  async authorize(userId: string, consultationId: string, action: Action): Promise<Granted> {
    const granted = await this.#membership(userId, consultationId);
    if (!granted) throw AppError.notFound('Consultation');
    this.check(granted.consultation, granted.membership, action);
    return granted;
  }

  /** The consultation and the person's membership in it, or null when either is missing. */
  async #membership(userId: string, consultationId: string): Promise<Granted | null> {
    const [consultation, membership] = await Promise.all([
      this.#consultations.findOne({ _id: consultationId }),
      this.#memberships.findOne({ consultationId, userId }),
    ]);
    return consultation && membership ? { consultation, membership } : null;
  }

  /**
   * The rule itself, for a member already loaded: the caller (through
   * `authorize`) or someone the caller acts on, such as the member a
   * facilitator gives the floor to. A mute outranks the table.
   */
  check(consultation: ConsultationRecord, membership: MembershipRecord, action: Action): void {
    const denied = this.#denial(consultation, membership, action);
    if (denied) throw denied;
  }

  #denial(consultation: ConsultationRecord, membership: MembershipRecord, action: Action): AppError | null {
    if (!can(membership.role, consultation.phase, action)) {
      return new AppError(
        ErrorCode.forbidden,
        `A ${membership.role} may not do this while the consultation is in ${consultation.phase}`,
        { action, role: membership.role, phase: consultation.phase },
      );
    }
    if (blockedWhenMuted(action) && mutedNow(membership)) {
      return new AppError(ErrorCode.muted, 'A facilitator has muted this member for a while', { action, until: membership.mutedUntil });
    }
    return null;
  }

  async authorizeDocument(userId: string, documentId: string, action: Action): Promise<Granted & { document: DocumentRecord }> {
    const document = await this.#documents.findOne({ _id: documentId });
    if (!document) throw AppError.notFound('Document');
    try {
      return { ...(await this.authorize(userId, document.consultationId, action)), document };
    } catch (err) {
      if (err instanceof AppError && err.code === ErrorCode.notFound) throw AppError.notFound('Document');
      throw err;
    }
  }

  /**
   * What a person may do with a document's text right now: nothing, read it,
   * or write it, and as a writer what they may do to the plan's blocks. Also
   * hands back the consultation and membership it read, so that callers need
   * not read them again.
   */
  async documentAccess(
    userId: string,
    documentId: string,
  ): Promise<{ access: DocumentAccess; consultationId?: string; granted?: Granted; plan?: PlanRights }> {
    const document = await this.#documents.findOne({ _id: documentId });
    if (!document) return { access: 'none' };
    const { consultationId } = document;
    const granted = await this.#membership(userId, consultationId);
    // The same rules as every other channel, mutes included, through the same check.
    const allows = (action: Action) => granted !== null && this.#denial(granted.consultation, granted.membership, action) === null;
    if (!granted || !allows('document.view')) return { access: 'none', consultationId };
    // A locked or archived document is read-only for everyone, facilitators included.
    const frozen = document.locked || !!document.archivedAt;
    const write = !frozen && allows('document.edit');
    const plan: PlanRights = write ? { structure: allows('plan.structure'), link: allows('plan.link') } : noPlanRights;
    return { access: write ? 'write' : 'read', consultationId, granted, plan };
  }
}
