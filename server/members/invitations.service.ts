import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Collection, Store } from '../store/types.ts';
import { DuplicateKeyError } from '../store/types.ts';
import type { Role } from '../../shared/permissions.ts';
import type { StakeholderGroup } from '../../shared/groups.ts';
import type {
  AcceptInvitationInput,
  CreateInvitationInput,
  CreatedInvitation,
  Invitation,
  InvitationPreview,
} from '../../shared/accounts.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import type { DomainEventBus } from '../events.ts';
import type { Access } from './access.ts';
import { consultationsCollection } from '../consultations/consultations.repository.ts';
import { membershipsCollection, type MembershipRecord } from './members.repository.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import { consentOnJoining, namedToOthers } from './identity.ts';

/** An invitation link. The token itself is never stored: `_id` is its SHA-256. */
interface InvitationRecord {
  _id: string;
  publicId: string;
  consultationId: string;
  role: Role;
  group: StakeholderGroup;
  expiresAt: string;
  maxUses: number;
  /** Uses left; taken atomically, so a link cannot be used more often than allowed. */
  remaining: number;
  revoked: boolean;
  createdBy: string;
  createdAt: string;
}

const hash = (token: string) => createHash('sha256').update(token).digest('base64url');

const toWire = (r: InvitationRecord): Invitation => ({
  id: r.publicId,
  role: r.role,
  group: r.group,
  expiresAt: r.expiresAt,
  maxUses: r.maxUses,
  uses: r.maxUses - r.remaining,
  revoked: r.revoked,
  createdAt: r.createdAt,
});

const unavailable = () => new AppError(ErrorCode.invitationUnavailable, 'This invitation has expired, been used up or been withdrawn');

export class InvitationsService {
  readonly #records: Collection<InvitationRecord>;
  readonly #consultations;
  readonly #memberships;

  constructor(
    store: Store,
    private readonly access: Access,
    private readonly events: DomainEventBus,
    private readonly audit: AuditLog,
  ) {
    this.#records = store.collection<InvitationRecord>('invitations');
    this.#consultations = consultationsCollection(store);
    this.#memberships = membershipsCollection(store);
  }

  async ensureIndexes(): Promise<void> {
    await this.#records.createIndex({ consultationId: 1, createdAt: -1 });
    await this.#records.createIndex({ publicId: 1 }, { unique: true });
  }

  async create(userId: string, consultationId: string, input: CreateInvitationInput): Promise<CreatedInvitation> {
    const { membership: actor } = await this.access.authorize(userId, consultationId, 'invitations.manage');
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    const record: InvitationRecord = {
      _id: hash(token),
      publicId: randomUUID(),
      consultationId,
      role: input.role,
      group: input.group,
      expiresAt: new Date(now + input.expiresInHours * 3_600_000).toISOString(),
      maxUses: input.maxUses,
      remaining: input.maxUses,
      revoked: false,
      createdBy: userId,
      createdAt: new Date(now).toISOString(),
    };
    await this.#records.insertOne(record);
    await this.audit.record(consultationId, actor, 'invitation.created', {
      subject: { type: 'invitation', id: record.publicId },
      details: { role: record.role, group: record.group, maxUses: record.maxUses, expiresAt: record.expiresAt },
    });
    return { ...toWire(record), token };
  }

  async list(userId: string, consultationId: string): Promise<Invitation[]> {
    await this.access.authorize(userId, consultationId, 'invitations.manage');
    return (await this.#records.find({ consultationId }, { sort: { createdAt: -1 } })).map(toWire);
  }

  async revoke(userId: string, consultationId: string, invitationId: string): Promise<void> {
    const { membership: actor } = await this.access.authorize(userId, consultationId, 'invitations.manage');
    const result = await this.#records.updateOne({ consultationId, publicId: invitationId }, { $set: { revoked: true } });
    if (result.matchedCount === 0) throw AppError.notFound('Invitation');
    await this.audit.record(consultationId, actor, 'invitation.revoked', { subject: { type: 'invitation', id: invitationId } });
  }

  /** What the holder of a link is invited to, so they can decide before joining. */
  async preview(token: string): Promise<InvitationPreview> {
    const record = await this.#usable(token);
    const consultation = await this.#consultations.findOne({ _id: record.consultationId });
    if (!consultation || consultation.phase === 'adopted') throw unavailable();
    // As the member list will show the newcomer to others, by the same rule.
    const named = namedToOthers(consultation, { role: record.role, namedInEpoch: consentOnJoining(consultation) });
    return { consultationTitle: consultation.title, role: record.role, group: record.group, expiresAt: record.expiresAt, othersSee: named ? 'name' : 'alias' };
  }

  /** Joins the consultation; a member who follows the link again keeps their place and uses nothing up. */
  async accept(userId: string, input: AcceptInvitationInput): Promise<{ consultationId: string }> {
    const record = await this.#usable(input.token);
    const existing = await this.#memberships.findOne({ consultationId: record.consultationId, userId });
    if (existing) return { consultationId: record.consultationId };
    const now = new Date().toISOString();
    const taken = await this.#records.findOneAndUpdate(
      { _id: record._id, revoked: false, remaining: { $gt: 0 }, expiresAt: { $gt: now } },
      { $inc: { remaining: -1 } },
    );
    if (!taken) throw unavailable();
    const consultation = await this.#consultations.findOneAndUpdate(
      { _id: record.consultationId, phase: { $ne: 'adopted' } },
      { $inc: { memberSeq: 1 } },
    );
    if (!consultation) throw unavailable();
    const membership: MembershipRecord = {
      _id: randomUUID(),
      consultationId: record.consultationId,
      userId,
      role: record.role,
      group: record.group,
      organisation: input.organisation ?? null,
      alias: consultation.memberSeq,
      joinedAt: now,
      mutedUntil: null,
      // From the consultation as it was when the alias was taken: should hiding be turned on meanwhile, its new epoch leaves this consent void.
      namedInEpoch: consentOnJoining(consultation, input.showName),
    };
    try {
      await this.#memberships.insertOne(membership);
    } catch (err) {
      if (!(err instanceof DuplicateKeyError)) throw err; // joined twice at once: one membership is enough
      return { consultationId: record.consultationId };
    }
    this.events.emit('membershipChanged', record.consultationId, userId);
    await this.audit.record(record.consultationId, membership, 'member.joined', {
      subject: { type: 'member', id: membership._id, userId },
      details: { role: membership.role, group: membership.group, invitation: record.publicId },
    });
    return { consultationId: record.consultationId };
  }

  async #usable(token: string): Promise<InvitationRecord> {
    const record = await this.#records.findOne({ _id: hash(token) });
    if (!record || record.revoked || record.remaining <= 0 || Date.parse(record.expiresAt) <= Date.now()) throw unavailable();
    return record;
  }
}
