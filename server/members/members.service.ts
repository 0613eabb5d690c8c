import type { Store } from '../store/types.ts';
import type { Member, UpdateMemberInput } from '../../shared/accounts.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import type { DomainEventBus } from '../events.ts';
import { usersCollection } from '../accounts/accounts.repository.ts';
import type { Access, Granted } from './access.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import { membershipsCollection, notFormer, type MembershipRecord } from './members.repository.ts';
import { awarenessUserOf, consentNow, identityVisible, namedToOthers } from './identity.ts';
import { FacilitatorGuard } from './facilitator-guard.ts';
import type { AwarenessUser } from '../../shared/collab.ts';

export class MembersService {
  readonly #memberships;
  readonly #users;

  constructor(
    store: Store,
    private readonly access: Access,
    private readonly events: DomainEventBus,
    private readonly audit: AuditLog,
    private readonly guard = new FacilitatorGuard(),
  ) {
    this.#memberships = membershipsCollection(store);
    this.#users = usersCollection(store);
  }

  /**
   * How a member appears beside their cursor in the consultation's documents,
   * to everyone else, or null when they are not a member. No permission
   * check: the Yjs endpoint asks after it has checked access.
   */
  async awarenessUser(userId: string, { consultation, membership }: Granted): Promise<AwarenessUser | null> {
    const user = await this.#users.findOne({ _id: userId });
    if (!user) return null;
    return awarenessUserOf(consultation, membership, user.displayName);
  }

  async list(userId: string, consultationId: string): Promise<Member[]> {
    const { consultation, membership: viewer } = await this.access.authorize(userId, consultationId, 'members.view');
    const members = await this.#memberships.find({ consultationId }, { sort: { alias: 1 } });
    const users = await this.#users.find({ _id: { $in: members.map((m) => m.userId) } });
    const names = new Map(users.map((u) => [u._id, u.displayName]));
    return members.map((m) => {
      // A former participant's record points to no account: nothing of them is shown but their face.
      const former = m.formerSince !== undefined;
      const visible = !former && identityVisible(consultation, viewer, m);
      return {
        id: m._id,
        userId: visible ? m.userId : null,
        displayName: visible ? (names.get(m.userId) ?? null) : null,
        alias: m.alias,
        role: m.role,
        group: m.group,
        organisation: visible ? m.organisation : null,
        joinedAt: m.joinedAt,
        isYou: m._id === viewer._id,
        // Being muted is between the member and those who moderate.
        mutedUntil: !former && (m._id === viewer._id || viewer.role === 'facilitator') ? (m.mutedUntil ?? null) : null,
        aliasToOthers: former || !namedToOthers(consultation, m),
        former,
      };
    });
  }

  /**
   * A member's own choice to show their name to the other members, or to
   * withdraw it. Nobody else can make it for them; while the consultation
   * hides identities it takes effect only once hiding is turned off.
   */
  async setIdentity(userId: string, consultationId: string, showName: boolean): Promise<void> {
    const { consultation, membership } = await this.access.authorize(userId, consultationId, 'identity.choose');
    await this.#memberships.updateOne({ _id: membership._id }, { $set: { namedInEpoch: consentNow(consultation, showName) } });
    this.events.emit('membershipChanged', consultationId, userId);
  }

  update(userId: string, consultationId: string, memberId: string, input: UpdateMemberInput): Promise<void> {
    // The actor's own right is checked inside too: a facilitator demoted a moment ago may no longer act.
    return this.guard.run(() => this.#update(userId, consultationId, memberId, input));
  }

  async #update(userId: string, consultationId: string, memberId: string, input: UpdateMemberInput): Promise<void> {
    const { membership: actor } = await this.access.authorize(userId, consultationId, 'members.manage');
    const member = await this.#find(consultationId, memberId);
    if (input.role && input.role !== 'facilitator' && member.role === 'facilitator') await this.#keepAFacilitator(consultationId);
    const { reason, ...changes } = input;
    const $set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    await this.#memberships.updateOne({ _id: memberId }, { $set });
    this.events.emit('membershipChanged', consultationId, member.userId);
    const details = Object.fromEntries(
      (['role', 'group', 'organisation'] as const)
        .filter((k) => changes[k] !== undefined && changes[k] !== member[k])
        .map((k) => [k, `${member[k] ?? ''} → ${changes[k] ?? ''}`]),
    );
    await this.audit.record(consultationId, actor, details.role ? 'member.role_changed' : 'member.updated', {
      subject: { type: 'member', id: member._id, userId: member.userId },
      reason,
      details,
    });
  }

  remove(userId: string, consultationId: string, memberId: string, reason?: string): Promise<void> {
    return this.guard.run(() => this.#remove(userId, consultationId, memberId, reason));
  }

  async #remove(userId: string, consultationId: string, memberId: string, reason?: string): Promise<void> {
    const { membership: actor } = await this.access.authorize(userId, consultationId, 'members.manage');
    const member = await this.#find(consultationId, memberId);
    if (member.role === 'facilitator') await this.#keepAFacilitator(consultationId);
    await this.#memberships.deleteOne({ _id: memberId });
    this.events.emit('membershipRemoved', consultationId, member.userId);
    await this.audit.record(consultationId, actor, 'member.removed', {
      subject: { type: 'member', id: member._id, userId: member.userId, alias: member.alias },
      reason,
      details: { role: member.role, group: member.group },
    });
  }

  async #find(consultationId: string, memberId: string): Promise<MembershipRecord> {
    const member = await this.#memberships.findOne({ _id: memberId, consultationId });
    if (!member) throw AppError.notFound('Member');
    return member;
  }

  async #keepAFacilitator(consultationId: string): Promise<void> {
    if ((await this.#memberships.countDocuments({ consultationId, role: 'facilitator', ...notFormer })) <= 1)
      throw new AppError(ErrorCode.lastFacilitator, 'A consultation needs at least one facilitator');
  }
}
