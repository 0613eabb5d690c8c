import { randomUUID } from 'node:crypto';
import type { Store } from '../store/types.ts';
import type {
  ChangePhaseInput,
  Consultation,
  CreateConsultationInput,
  Page,
  PageQuery,
  UpdateConsultationInput,
} from '../../shared/schemas.ts';
import { phaseTransitions } from '../../shared/permissions.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import { paginate } from '../pagination.ts';
import type { DomainEventBus } from '../events.ts';
import type { Access } from '../members/access.ts';
import { membershipsCollection, type MembershipRecord } from '../members/members.repository.ts';
import { consultationsCollection, type ConsultationRecord } from './consultations.repository.ts';
import { consentOnJoining, hidingChange, hidingEpoch, namedToOthers, showsName } from '../members/identity.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import type { AdoptionCheck } from '../../shared/adoption.ts';
import type { Adoption } from './adoption.ts';
import type { Phase } from '../../shared/groups.ts';

/** Makes the server's version of every document of a consultation when it enters a phase (history/versions.service.ts). */
export interface PhaseVersions {
  atPhase(consultationId: string, phase: Phase): Promise<void>;
}

type Shared = Omit<Consultation, 'you'>;

const shared = (r: ConsultationRecord): Shared => ({
  id: r._id,
  title: r.title,
  summary: r.summary,
  country: r.country,
  phase: r.phase,
  hideIdentities: r.hideIdentities,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

const toWire = (r: ConsultationRecord, m: MembershipRecord): Consultation => ({
  ...shared(r),
  you: {
    memberId: m._id,
    role: m.role,
    group: m.group,
    alias: m.alias,
    mutedUntil: m.mutedUntil ?? null,
    showName: showsName(r, m),
    nameHidden: !namedToOthers(r, m),
  },
});

export class ConsultationsService {
  readonly #records;
  readonly #memberships;

  constructor(
    store: Store,
    private readonly access: Access,
    private readonly events: DomainEventBus,
    private readonly audit: AuditLog,
    private readonly adoption: Adoption,
    private readonly versions: PhaseVersions | null = null,
  ) {
    this.#records = consultationsCollection(store);
    this.#memberships = membershipsCollection(store);
  }

  /** Anyone signed in may open a consultation; they become its first facilitator. */
  async create(userId: string, input: CreateConsultationInput): Promise<Consultation> {
    const now = new Date().toISOString();
    const record: ConsultationRecord = {
      _id: randomUUID(),
      title: input.title,
      summary: input.summary,
      country: input.country,
      hideIdentities: input.hideIdentities,
      hidingEpoch: hidingEpoch(input),
      phase: 'preparation',
      memberSeq: 1,
      createdAt: now,
      updatedAt: now,
    };
    const membership: MembershipRecord = {
      _id: randomUUID(),
      consultationId: record._id,
      userId,
      role: 'facilitator',
      group: input.group,
      organisation: input.organisation ?? null,
      alias: 1,
      joinedAt: now,
      mutedUntil: null,
      namedInEpoch: consentOnJoining(record),
    };
    await this.#records.insertOne(record);
    await this.#memberships.insertOne(membership);
    await this.audit.record(record._id, membership, 'consultation.created', {
      subject: { type: 'consultation', id: record._id, name: record.title },
      details: { hideIdentities: record.hideIdentities },
    });
    return toWire(record, membership);
  }

  /** Only the consultations the person is a member of: others' existence is not disclosed. */
  async list(userId: string, query: PageQuery): Promise<Page<Consultation>> {
    const memberships = await this.#memberships.find({ userId });
    const byConsultation = new Map(memberships.map((m) => [m.consultationId, m]));
    return paginate(this.#records, { _id: { $in: [...byConsultation.keys()] } }, query, (r) =>
      toWire(r, byConsultation.get(r._id)!),
    );
  }

  async get(userId: string, id: string): Promise<Consultation> {
    const { consultation, membership } = await this.access.authorize(userId, id, 'consultation.view');
    return toWire(consultation, membership);
  }

  async update(userId: string, id: string, input: UpdateConsultationInput): Promise<Consultation> {
    const { consultation: before, membership } = await this.access.authorize(userId, id, 'consultation.update');
    const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const hiding = hidingChange(before, input.hideIdentities);
    const record = await this.#records.findOneAndUpdate({ _id: id }, { $set: { ...changes, ...hiding, updatedAt: new Date().toISOString() } });
    if (!record) throw AppError.notFound('Consultation');
    this.events.emit('consultationChanged', shared(record));
    // Which fields changed; the summary itself can be long, so only its new length is kept.
    const details = Object.fromEntries(
      Object.keys(changes)
        .filter((k) => before[k as keyof ConsultationRecord] !== record[k as keyof ConsultationRecord])
        .map((k) => [k, k === 'summary' ? `${record.summary.length} characters` : String(record[k as keyof ConsultationRecord])]),
    );
    await this.audit.record(id, membership, 'consultation.updated', { subject: { type: 'consultation', id, name: record.title }, details });
    return toWire(record, membership);
  }

  async changePhase(userId: string, id: string, input: ChangePhaseInput): Promise<Consultation> {
    const { consultation, membership } = await this.access.authorize(userId, id, 'consultation.changePhase');
    if (!phaseTransitions[consultation.phase].includes(input.phase)) {
      throw new AppError(ErrorCode.invalidPhaseTransition, `A consultation cannot move from ${consultation.phase} to ${input.phase}`, {
        allowed: phaseTransitions[consultation.phase],
      });
    }
    // Adopting settles every open thread and pending proposal for good: the facilitator sees the list and confirms first.
    if (input.phase === 'adopted' && !input.confirm) {
      const outstanding = await this.adoption.check(id);
      if (outstanding.openThreads.count + outstanding.pendingProposals.count > 0) {
        throw new AppError(ErrorCode.confirmationRequired, 'Adopting closes open threads and lapses pending proposals; confirm to go ahead', outstanding);
      }
    }
    // Conditional on the phase we checked, so two facilitators cannot both move it at once.
    const record = await this.#records.findOneAndUpdate(
      { _id: id, phase: consultation.phase },
      { $set: { phase: input.phase, updatedAt: new Date().toISOString() } },
    );
    if (!record) throw new AppError(ErrorCode.conflict, 'The phase was changed by someone else; reload and try again');
    this.events.emit('consultationChanged', shared(record));
    await this.audit.record(id, membership, 'consultation.phase_changed', {
      subject: { type: 'consultation', id, name: record.title },
      reason: input.reason,
      details: { from: consultation.phase, to: input.phase },
    });
    if (input.phase === 'adopted') await this.adoption.settle(id, membership);
    // Each document as it stood when the phase began (or the plan was adopted), before anyone edits it in the new phase.
    await this.versions?.atPhase(id, input.phase);
    return toWire(record, membership);
  }

  /** What adopting now would close and lapse, for the facilitator to confirm. */
  async adoptionCheck(userId: string, id: string): Promise<AdoptionCheck> {
    await this.access.authorize(userId, id, 'consultation.changePhase');
    return this.adoption.check(id);
  }
}
