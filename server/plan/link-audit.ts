import type { Store } from '../store/types.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import { membershipsCollection } from '../members/members.repository.ts';
import type { ActionLinkChange } from '../collab/plan-links.ts';
import type { Logger } from '../logger.ts';

/** Audit action per link field. */
const auditActionOf = { recommendations: 'action.recommendations_changed', sdgTargets: 'action.sdg_targets_changed' } as const;

/**
 * Writes an audit entry for each change to what an action links to
 * (recommendations, SDG targets), made through the editor: which action (its
 * id and title), what was linked and unlinked, and by whom (the connection's
 * member, with the role and group they have when it arrives). Edits made
 * offline are recorded when they reach the server, as that is when they
 * become part of the plan.
 */
export class PlanLinkAudit {
  readonly #memberships;

  constructor(
    store: Store,
    private readonly audit: AuditLog,
    private readonly logger: Logger,
  ) {
    this.#memberships = membershipsCollection(store);
  }

  async record(who: { userId: string; consultationId: string }, documentId: string, changes: readonly ActionLinkChange[]): Promise<void> {
    const membership = await this.#memberships.findOne({ consultationId: who.consultationId, userId: who.userId });
    if (!membership) return;
    for (const change of changes) {
      await this.audit.record(who.consultationId, membership, auditActionOf[change.field], {
        subject: { type: 'action', id: change.actionId, name: change.title },
        details: { documentId, added: change.added.join(', '), removed: change.removed.join(', ') },
      });
    }
  }

  /** For the room, which must not wait: records in the background, logging (never throwing) when the store fails. */
  recordLater(documentId: string, who: { userId: string; consultationId: string } | undefined, changes: readonly ActionLinkChange[]): void {
    if (!who) return;
    this.record(who, documentId, changes).catch((err: unknown) => this.logger.error({ err, documentId }, 'recording a link change failed'));
  }
}
