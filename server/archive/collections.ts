import type { z } from 'zod';
import type { BaseDoc, Store } from '../store/types.ts';
import {
  ArchivedAuditEntry,
  ArchivedBallot,
  ArchivedConsultation,
  ArchivedDecision,
  ArchivedDocument,
  ArchivedInvitation,
  ArchivedMeeting,
  ArchivedMembership,
  ArchivedMinutes,
  ArchivedModeration,
  ArchivedPerson,
  ArchivedPoll,
  ArchivedPollItem,
  ArchivedRecommendation,
  ArchivedSpeech,
  ArchivedThread,
  ArchivedUpdate,
  ArchivedVersion,
  ArchivedVisit,
  type ArchiveProblem,
} from '../../shared/archive.ts';
import { recordId } from '../recommendations/recommendations.repository.ts';
import { identityVisible } from '../members/identity.ts';
import type { ConsultationRecord } from '../consultations/consultations.repository.ts';
import type { MembershipRecord } from '../members/members.repository.ts';
import type { UserRecord } from '../accounts/accounts.repository.ts';

/**
 * Every collection an archive carries, in the order it is written and read.
 * Each entry says how to select one consultation's records, how to check a
 * record against the archive read so far (it names this consultation, and the
 * records it points to came before it), and, where it differs from the
 * record itself, what to write back. A new collection (say, minutes) is one
 * more line here: `byConsultation('minutes', MinutesSchema)`.
 */

export interface ExportContext {
  store: Store;
  consultation: ConsultationRecord;
  /** The facilitator exporting: what they may see of members decides which names travel. */
  exporter: MembershipRecord;
  documentIds: string[];
  pollIds: string[];
}

/** Ids already read, per collection, while an archive is checked. */
export type Seen = ReadonlyMap<string, ReadonlySet<string>>;

export interface ImportContext {
  consultationId: string;
  now: string;
}

export interface ArchiveCollection {
  /** The name in the archive's lines. */
  name: string;
  /** The store collection its records are written to. */
  target: string;
  schema: z.ZodType<Record<string, unknown>>;
  /** This consultation's records, page by page, in a stable order. */
  select(ctx: ExportContext): AsyncIterable<BaseDoc>;
  /** A problem with a record that reads well on its own: it belongs elsewhere, or points at what is not in the archive. */
  check(record: Record<string, unknown>, consultationId: string, seen: Seen): ArchiveProblem | null;
  /** What is written back; the record itself when absent. */
  restore?(record: Record<string, unknown>, ctx: ImportContext): BaseDoc;
}

const pageSize = 500;

/** Pages through `filter` by `_id`, so a large collection is never read whole into memory. */
export async function* paged(store: Store, collection: string, filter: Record<string, unknown>): AsyncIterable<BaseDoc> {
  let after: string | null = null;
  for (;;) {
    const page: BaseDoc[] = await store.collection(collection).find(after === null ? filter : { $and: [filter, { _id: { $gt: after } }] }, { sort: { _id: 1 }, limit: pageSize });
    yield* page;
    if (page.length < pageSize) return;
    after = page.at(-1)!._id;
  }
}

/** For records that each belong to one of `ids` through `field` (a document's log, a poll's ballots). */
async function* perParent(store: Store, collection: string, field: string, ids: string[], sort: Record<string, 1 | -1> = { _id: 1 }): AsyncIterable<BaseDoc> {
  for (const id of ids) yield* await store.collection(collection).find({ [field]: id }, { sort });
}

const has = (seen: Seen, collection: string, id: unknown) => typeof id === 'string' && (seen.get(collection)?.has(id) ?? false);
const ours = (r: Record<string, unknown>, consultationId: string) => r.consultationId === consultationId;

/** The common case: a collection of records carrying `consultationId`, with the links each must keep. */
function byConsultation(name: string, schema: ArchiveCollection['schema'], links: (r: Record<string, unknown>, seen: Seen) => ArchiveProblem | null = () => null): ArchiveCollection {
  return {
    name,
    target: name,
    schema,
    select: (ctx) => paged(ctx.store, name, { consultationId: ctx.consultation._id }),
    check: (r, cid, seen) => (ours(r, cid) ? links(r, seen) : 'foreign'),
  };
}

/** Placeholder accounts (see `people` below): they cannot sign in, and no e-mail of anyone travels. */
const placeholderEmail = (userId: string) => `${userId}@archived.invalid`;
export const placeholderPassword = 'archived-account:no-sign-in';

export const archiveCollections: readonly ArchiveCollection[] = [
  {
    name: 'consultations',
    target: 'consultations',
    schema: ArchivedConsultation,
    select: async function* (ctx) {
      yield ctx.consultation;
    },
    check: (r, cid, seen) => (r._id !== cid ? 'foreign' : (seen.get('consultations')?.size ?? 0) > 0 ? 'duplicate' : null),
  },
  {
    // The members' accounts, reduced to an id and a name the exporting facilitator may see. On import each
    // becomes a placeholder account that cannot sign in, so that contributions stay theirs.
    name: 'people',
    target: 'users',
    schema: ArchivedPerson,
    select: async function* (ctx) {
      const members = (await ctx.store.collection<MembershipRecord>('memberships').find({ consultationId: ctx.consultation._id }, { sort: { _id: 1 } }));
      for (const m of members) {
        const user = await ctx.store.collection<UserRecord>('users').findOne({ _id: m.userId });
        const named = user && identityVisible(ctx.consultation, ctx.exporter, m);
        yield { _id: m.userId, displayName: named ? user.displayName : null } as BaseDoc;
      }
    },
    check: () => null,
    restore: (r, ctx): UserRecord & { archived: true } => ({
      _id: r._id as string,
      email: placeholderEmail(r._id as string),
      passwordHash: placeholderPassword,
      displayName: (r.displayName as string | null) ?? '',
      language: 'en',
      createdAt: ctx.now,
      archived: true,
    }),
  },
  byConsultation('memberships', ArchivedMembership, (r, seen) => (has(seen, 'people', r.userId) ? null : 'missing')),
  {
    // Links handed out for the old server stay dead on the new one: the state is kept, every invitation revoked.
    ...byConsultation('invitations', ArchivedInvitation),
    restore: (r) => ({ ...r, revoked: true }) as unknown as BaseDoc,
  },
  byConsultation('documents', ArchivedDocument),
  {
    // The Yjs update log as stored, attribution runs included: the restored document is the same, byte for byte.
    name: 'yjs_updates',
    target: 'yjs_updates',
    schema: ArchivedUpdate,
    select: (ctx) => perParent(ctx.store, 'yjs_updates', 'docId', ctx.documentIds, { seq: 1 }),
    check: (r, _cid, seen) => (!has(seen, 'documents', r.docId) ? 'foreign' : r._id !== `${String(r.docId)}:${String(r.seq)}` ? 'schema' : null),
  },
  byConsultation('document_versions', ArchivedVersion, (r, seen) => (has(seen, 'documents', r.documentId) ? null : 'foreign')),
  {
    name: 'document_visits',
    target: 'document_visits',
    schema: ArchivedVisit,
    select: (ctx) => perParent(ctx.store, 'document_visits', 'documentId', ctx.documentIds),
    check: (r, _cid, seen) => (has(seen, 'documents', r.documentId) && has(seen, 'memberships', r.membershipId) ? null : 'foreign'),
  },
  byConsultation('threads', ArchivedThread, (r, seen) => (has(seen, 'documents', r.documentId) ? null : 'foreign')),
  byConsultation('moderation', ArchivedModeration, (r, seen) => (has(seen, 'threads', r.threadId) && has(seen, 'documents', r.documentId) ? null : 'foreign')),
  byConsultation('meetings', ArchivedMeeting),
  byConsultation('polls', ArchivedPoll, (r, seen) => (has(seen, 'meetings', r.meetingId) ? null : 'foreign')),
  {
    // Ballots as stored: an anonymous poll's are keyed by an HMAC whose secret never leaves the server.
    name: 'ballots',
    target: 'ballots',
    schema: ArchivedBallot,
    select: (ctx) => perParent(ctx.store, 'ballots', 'pollId', ctx.pollIds),
    check: (r, _cid, seen) => (has(seen, 'polls', r.pollId) && String(r._id).startsWith(`${String(r.pollId)}:`) ? null : 'foreign'),
  },
  byConsultation('minutes_speeches', ArchivedSpeech, (r, seen) => (has(seen, 'meetings', r.meetingId) && has(seen, 'memberships', r.memberId) ? null : 'foreign')),
  byConsultation('minutes_decisions', ArchivedDecision, (r, seen) => (has(seen, 'meetings', r.meetingId) && has(seen, 'memberships', r.notedBy) ? null : 'foreign')),
  {
    // The agenda item each poll opened under: keyed by the poll's id.
    name: 'minutes_polls',
    target: 'minutes_polls',
    schema: ArchivedPollItem,
    select: (ctx) => perParent(ctx.store, 'minutes_polls', '_id', ctx.pollIds),
    check: (r, _cid, seen) => (has(seen, 'polls', r._id) && has(seen, 'meetings', r.meetingId) ? null : 'foreign'),
  },
  byConsultation('minutes', ArchivedMinutes, (r, seen) => (has(seen, 'meetings', r._id) ? null : 'foreign')),
  byConsultation('recommendations', ArchivedRecommendation, (r) => (r._id === recordId(String(r.consultationId), String(r.recId)) ? null : 'foreign')),
  byConsultation('audit', ArchivedAuditEntry),
];

export const collectionByName = new Map(archiveCollections.map((c) => [c.name, c]));
