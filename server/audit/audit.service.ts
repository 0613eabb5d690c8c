import { randomUUID } from 'node:crypto';
import type { Filter, Store } from '../store/types.ts';
import type { AuditAction, AuditEntry, AuditFilter, AuditQuery } from '../../shared/audit.ts';
import type { Page } from '../../shared/schemas.ts';
import { paginate } from '../pagination.ts';
import type { Access, Granted } from '../members/access.ts';
import { membershipsCollection, type MembershipRecord } from '../members/members.repository.ts';
import { usersCollection } from '../accounts/accounts.repository.ts';
import { auditRepository, type AuditRecord } from './audit.repository.ts';
import { auditCsv } from './audit.csv.ts';
import { withIdentities } from './audit.identity.ts';

export interface AuditSubject {
  type: NonNullable<AuditEntry['subject']>['type'];
  id: string;
  name?: string | null;
  /** For a member: their display name is looked up now, so the entry keeps the name they had at the time. */
  userId?: string;
  /** For a member: their alias, when their membership is gone already (else it is looked up). */
  alias?: number;
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
  readonly #memberships;

  constructor(
    store: Store,
    private readonly access: Access,
  ) {
    this.#entries = auditRepository(store);
    this.#users = usersCollection(store);
    this.#memberships = membershipsCollection(store);
  }

  /** `actor` is null when the server acts on its own, and for what is recorded for a group only (positions). */
  async record(consultationId: string, actor: MembershipRecord | null, action: AuditAction, what: AuditDetails = {}): Promise<void> {
    const { subject, reason = null, details = {} } = what;
    const [actorName, subjectName, subjectAlias] = await Promise.all([
      actor ? this.#nameOf(actor.userId) : null,
      subject?.userId ? this.#nameOf(subject.userId) : (subject?.name ?? null),
      subject?.type === 'member' ? (subject.alias ?? this.#aliasOf(subject.id)) : undefined,
    ]);
    await this.#entries.insert({
      _id: randomUUID(),
      consultationId,
      action,
      // The alias is kept too: the membership (and with it the alias) is gone once the member is removed.
      actor: actor && { memberId: actor._id, displayName: actorName ?? '', alias: actor.alias, role: actor.role, group: actor.group },
      subject: subject ? { type: subject.type, id: subject.id, name: subjectName, ...(subjectAlias === undefined ? {} : { alias: subjectAlias }) } : null,
      reason,
      details,
      createdAt: new Date().toISOString(),
    });
  }

  async list(userId: string, consultationId: string, query: AuditQuery): Promise<Page<AuditEntry>> {
    const viewer = await this.access.authorize(userId, consultationId, 'audit.view');
    const page = await paginate(this.#entries, this.#filter(consultationId, query), query, toWire);
    return { ...page, items: await this.#asSeenBy(viewer, page.items) };
  }

  /** Every matching entry, newest first, as CSV. */
  async csv(userId: string, consultationId: string, filter: AuditFilter): Promise<string> {
    const viewer = await this.access.authorize(userId, consultationId, 'audit.view');
    const records = await this.#entries.find(this.#filter(consultationId, filter), { sort: { createdAt: -1, _id: -1 } });
    return auditCsv(await this.#asSeenBy(viewer, records.map(toWire)));
  }

  /** Names and aliases by `identityVisible`, with the consultation's members as they are now. */
  async #asSeenBy({ consultation, membership }: Granted, entries: AuditEntry[]): Promise<AuditEntry[]> {
    const members = await this.#memberships.find({ consultationId: consultation._id });
    return withIdentities(entries, consultation, membership, new Map(members.map((m) => [m._id, m])));
  }

  #filter(consultationId: string, f: AuditFilter): Filter {
    return {
      consultationId,
      ...(f.action ? { action: f.action } : {}),
      ...(f.actor ? { 'actor.memberId': f.actor } : {}),
    };
  }

  async #aliasOf(memberId: string): Promise<number | undefined> {
    return (await this.#memberships.findOne({ _id: memberId }))?.alias;
  }

  async #nameOf(userId: string): Promise<string | null> {
    return (await this.#users.findOne({ _id: userId }))?.displayName ?? null;
  }
}
