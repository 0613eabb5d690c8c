import type { Store } from '../store/types.ts';
import type { MuteInput, UnmuteInput } from '../../shared/moderation.ts';
import type { MuteState } from '../../shared/events.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import type { DomainEventBus } from '../events.ts';
import type { Access } from '../members/access.ts';
import { membershipsCollection, type MembershipRecord } from '../members/members.repository.ts';
import type { AuditLog } from '../audit/audit.service.ts';

/**
 * Muting a member for a while. The mute is a time on the membership, read by
 * the one permission check (`Access.check`), so every channel refuses the
 * blocked actions and the mute lapses on its own.
 */
export class MutesService {
  readonly #memberships;

  constructor(
    store: Store,
    private readonly access: Access,
    private readonly events: DomainEventBus,
    private readonly audit: AuditLog,
  ) {
    this.#memberships = membershipsCollection(store);
  }

  async mute(userId: string, consultationId: string, memberId: string, input: MuteInput): Promise<MuteState> {
    const { membership: actor } = await this.access.authorize(userId, consultationId, 'moderation.manage');
    const member = await this.#find(consultationId, memberId);
    // Facilitators run the meeting; to silence one, change their role first.
    if (member.role === 'facilitator') throw new AppError(ErrorCode.forbidden, 'Facilitators cannot be muted');
    const mutedUntil = new Date(Date.now() + input.minutes * 60_000).toISOString();
    await this.#memberships.updateOne({ _id: member._id }, { $set: { mutedUntil } });
    this.events.emit('membershipChanged', consultationId, member.userId);
    this.events.emit('memberMuted', consultationId, member._id, member.userId);
    await this.audit.record(consultationId, actor, 'member.muted', {
      subject: { type: 'member', id: member._id, userId: member.userId },
      reason: input.reason,
      details: { minutes: input.minutes, until: mutedUntil },
    });
    return { memberId: member._id, mutedUntil };
  }

  async unmute(userId: string, consultationId: string, memberId: string, input: UnmuteInput): Promise<MuteState> {
    const { membership: actor } = await this.access.authorize(userId, consultationId, 'moderation.manage');
    const member = await this.#find(consultationId, memberId);
    await this.#memberships.updateOne({ _id: member._id }, { $set: { mutedUntil: null } });
    this.events.emit('membershipChanged', consultationId, member.userId);
    await this.audit.record(consultationId, actor, 'member.unmuted', {
      subject: { type: 'member', id: member._id, userId: member.userId },
      reason: input.reason,
    });
    return { memberId: member._id, mutedUntil: null };
  }

  async #find(consultationId: string, memberId: string): Promise<MembershipRecord> {
    const member = await this.#memberships.findOne({ _id: memberId, consultationId });
    if (!member) throw AppError.notFound('Member');
    return member;
  }
}
