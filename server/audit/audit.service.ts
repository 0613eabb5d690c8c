import { randomUUID } from 'node:crypto';
import type { Filter, Store } from '../store/types.ts';
import type { AuditAction, AuditEntry, AuditFilter, AuditQuery } from '../../shared/audit.ts';
import type { Page } from '../../shared/schemas.ts';
import { paginate } from '../pagination.ts';
import type { Access } from '../members/access.ts';
import type { MembershipRecord } from '../members/members.repository.ts';
import { usersCollection } from '../accounts/accounts.repository.ts';
import { auditRepository, type AuditRecord } from './audit.repository.ts';
import { auditCsv } from './audit.csv.ts';

export interface AuditSubject {
  type: NonNullable<AuditEntry['subject']>['type'];
  id: string;
  name?: string | null;
  /** For a member: their display name is looked up now, so the entry keeps the name they had at the time. */
  userId?: string;
}

export interface AuditDetails {
  subject?: AuditSubject;
  reason?: string | null;
  details?: AuditEntry['details'];
}

const toWire = (r: AuditRecord): AuditEntry => ({
  id: r._id,
  action: r.action,
  at: r.createdAt,
  actor: r.actor,
  subject: r.subject,
  reason: r.reason,
  details: r.details,
});

/**
 * Who did what, when and why, per consultation. Services call `record` after
 * each audited action succeeds; facilitators read the log and export it.
 */
export class AuditLog {
  readonly #entries;
  readonly #users;

  constructor(
    store: Store,
    private readonly access: Access,
  ) {
    this.#entries = auditRepository(store);
    this.#users = usersCollection(store);
  }

  /** `actor` is null when the server acts on its own. */
  async record(consultationId: string, actor: MembershipRecord | null, action: AuditAction, what: AuditDetails = {}): Promise<void> {
    const { subject, reason = null, details = {} } = what;
    const [actorName, subjectName] = await Promise.all([
      actor ? this.#nameOf(actor.userId) : null,
      subject?.userId ? this.#nameOf(subject.userId) : (subject?.name ?? null),
    ]);
    await this.#entries.insert({
      _id: randomUUID(),
      consultationId,
      action,
      actor: actor && { memberId: actor._id, displayName: actorName ?? '', role: actor.role, group: actor.group },
      subject: subject ? { type: subject.type, id: subject.id, name: subjectName } : null,
      reason,
      details,
      createdAt: new Date().toISOString(),
    });
  }

  async list(userId: string, consultationId: string, query: AuditQuery): Promise<Page<AuditEntry>> {
    await this.access.authorize(userId, consultationId, 'audit.view');
    return paginate(this.#entries, this.#filter(consultationId, query), query, toWire);
  }

  /** Every matching entry, newest first, as CSV. */
  async csv(userId: string, consultationId: string, filter: AuditFilter): Promise<string> {
    await this.access.authorize(userId, consultationId, 'audit.view');
    const records = await this.#entries.find(this.#filter(consultationId, filter), { sort: { createdAt: -1, _id: -1 } });
    return auditCsv(records.map(toWire));
  }

  #filter(consultationId: string, f: AuditFilter): Filter {
    return {
      consultationId,
      ...(f.action ? { action: f.action } : {}),
      ...(f.actor ? { 'actor.memberId': f.actor } : {}),
    };
  }

  async #nameOf(userId: string): Promise<string | null> {
    return (await this.#users.findOne({ _id: userId }))?.displayName ?? null;
  }
}
