import { notificationSettingsCollection, notificationsCollection } from '../notifications/notifications.repository.ts';
import type { Store } from '../store/types.ts';
import { ErrorCode } from '../../shared/errors.ts';
import type { PersonalDataExport } from '../../shared/privacy.ts';
import { AppError } from '../errors.ts';
import type { DomainEventBus } from '../events.ts';
import type { Logger } from '../logger.ts';
import type { AccountsService, Authenticated } from '../accounts/accounts.service.ts';
import { usersCollection } from '../accounts/accounts.repository.ts';
import { membershipsCollection, notFormer, type MembershipRecord } from '../members/members.repository.ts';
import { FacilitatorGuard } from '../members/facilitator-guard.ts';
import { consultationsCollection, type ConsultationRecord } from '../consultations/consultations.repository.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import type { AuditRecord } from '../audit/audit.repository.ts';
import { erasedCollections, forgetMembership, type Identity } from './erase.ts';
import { personalData } from './export.ts';
import { commentKeysCollection } from '../comments/comment-keys.ts';

const DAY_MS = 24 * 3_600_000;
/** Phases after which a consultation's members are erased once the retention period has passed. */
const finished = ['closed', 'adopted'] as const;

export interface RetentionOptions {
  /** Days after a consultation closed (or was adopted) before its members' personal data is erased. */
  days: number;
  /** How often the sweep runs after the one at start-up. */
  sweepEveryMs: number;
}

/**
 * A person's own data: deleting their account, downloading what Convene holds
 * about them, and the retention sweep that erases the members of consultations
 * that have been finished for long enough.
 */
export class PrivacyService {
  readonly #users;
  readonly #memberships;
  readonly #consultations;
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<number> | undefined;

  constructor(
    private readonly store: Store,
    private readonly accounts: AccountsService,
    private readonly events: DomainEventBus,
    private readonly audit: AuditLog,
    private readonly retention: RetentionOptions,
    private readonly logger: Logger,
    private readonly guard = new FacilitatorGuard(),
  ) {
    this.#users = usersCollection(store);
    this.#memberships = membershipsCollection(store);
    this.#consultations = consultationsCollection(store);
  }

  /**
   * Deletes the signed-in person's account after checking their password.
   * The sole facilitator of a consultation that is not adopted must hand over
   * first: without a facilitator nobody could change its phase, manage its
   * members or adopt the plan. (An adopted plan is a record nobody may
   * change, so it needs no facilitator to carry on.)
   */
  async deleteAccount(auth: Authenticated, password: string, address: string): Promise<void> {
    await this.accounts.confirmPassword(auth, password, address);
    const memberships = await this.guard.run(() => this.#leaveAll(auth));
    await this.#compact();
    this.logger.info({ memberships: memberships.length }, 'an account was deleted by its owner');
  }

  /** The check that another facilitator is left and the erasure, with no other facilitator change in between. */
  async #leaveAll(auth: Authenticated): Promise<MembershipRecord[]> {
    const userId = auth.user._id;
    const memberships = await this.#memberships.find({ userId });
    const stranded: { id: string; title: string }[] = [];
    for (const m of memberships.filter((x) => x.role === 'facilitator')) {
      const consultation = await this.#consultations.findOne({ _id: m.consultationId });
      if (!consultation || consultation.phase === 'adopted') continue;
      const others = await this.#memberships.countDocuments({ consultationId: m.consultationId, role: 'facilitator', _id: { $ne: m._id }, ...notFormer });
      if (others === 0) stranded.push({ id: consultation._id, title: consultation.title });
    }
    if (stranded.length > 0) {
      throw new AppError(ErrorCode.lastFacilitator, 'You are the only facilitator of a consultation: make someone else a facilitator first', { consultations: stranded });
    }
    const identity: Identity = { displayName: auth.user.displayName, email: auth.user.email };
    // The account first: from here on no session of it authenticates, and sign-in with the e-mail fails.
    await this.accounts.erase(userId);
    const now = new Date().toISOString();
    for (const m of memberships) await this.#forget(m, identity, now, 'member.account_deleted');
    // What was only theirs: their notifications, their e-mail choice, and idempotency keys left from consultations they had already left.
    await notificationsCollection(this.store).deleteMany({ userId });
    await commentKeysCollection(this.store).deleteMany({ userId });
    await notificationSettingsCollection(this.store).deleteOne({ _id: userId });
    return memberships;
  }

  /** Everything held about the signed-in person, with nobody else's identity. */
  export(auth: Authenticated): Promise<PersonalDataExport> {
    return personalData(this.store, auth.user, auth.user._id);
  }

  /** Sweeps now and then every `sweepEveryMs`; `stop` ends it. */
  start(): Promise<number> {
    this.#timer = setInterval(() => {
      this.sweep().catch((err: unknown) => this.logger.error({ err }, 'the retention sweep failed'));
    }, this.retention.sweepEveryMs);
    this.#timer.unref();
    return this.sweep();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /**
   * Erases the members of every consultation closed or adopted more than
   * `days` ago, except its facilitators, who keep it (its report and archive)
   * in an official capacity. Idempotent: erased members are skipped, and an
   * audit entry is written only when someone was erased. Returns how many were.
   */
  sweep(now = Date.now()): Promise<number> {
    // One sweep at a time: the timer and a caller must not erase the same member twice.
    this.#sweeping ??= this.#sweep(now).finally(() => (this.#sweeping = undefined));
    return this.#sweeping;
  }

  async #sweep(now: number): Promise<number> {
    let erased = 0;
    for (const consultation of await this.#consultations.find({ phase: { $in: [...finished] } })) {
      const since = await this.#finishedAt(consultation);
      if (now - Date.parse(since) < this.retention.days * DAY_MS) continue;
      const members = await this.#memberships.find({ consultationId: consultation._id, role: { $ne: 'facilitator' }, ...notFormer });
      if (members.length === 0) continue;
      const at = new Date(now).toISOString();
      let count = 0;
      for (const m of members) {
        const user = await this.#users.findOne({ _id: m.userId });
        if (await this.#forget(m, user && { displayName: user.displayName, email: user.email }, at, null)) count++;
      }
      if (count === 0) continue;
      erased += count;
      await this.audit.record(consultation._id, null, 'consultation.personal_data_erased', {
        details: { members: count, retentionDays: this.retention.days, finishedAt: since },
      });
    }
    if (erased > 0) {
      await this.#compact();
      this.logger.info({ erased }, 'retention: personal data of members of finished consultations erased');
    }
    return erased;
  }

  /** When the consultation entered its current phase: its last phase change, else (older data) its last update. */
  async #finishedAt(c: ConsultationRecord): Promise<string> {
    const [last] = await this.store
      .collection<AuditRecord>('audit')
      .find({ consultationId: c._id, action: 'consultation.phase_changed', 'details.to': c.phase }, { sort: { createdAt: -1 }, limit: 1 });
    return last?.createdAt ?? c.updatedAt;
  }

  async #forget(m: MembershipRecord, identity: Identity | null, now: string, action: 'member.account_deleted' | null): Promise<boolean> {
    if (!(await forgetMembership(this.store, m, identity, now))) return false;
    // Live connections to the consultation close and live meetings drop them (as for a removed member).
    this.events.emit('membershipRemoved', m.consultationId, m.userId);
    if (action) {
      const former = await this.#memberships.findOne({ _id: m._id });
      // Recorded as done by the former participant: the entry carries their alias and group, never a name.
      await this.audit.record(m.consultationId, former, action, { subject: { type: 'member', id: m._id, alias: m.alias }, details: { group: m.group } });
    }
    return true;
  }

  async #compact(): Promise<void> {
    await this.store.compact?.(erasedCollections);
  }
}
