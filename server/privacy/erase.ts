import { randomUUID } from 'node:crypto';
import type { Store } from '../store/types.ts';
import { membershipsCollection, type MembershipRecord } from '../members/members.repository.ts';
import { threadsCollection } from '../comments/comments.repository.ts';
import { meetingsCollection } from '../meetings/meetings.repository.ts';
import { visitsCollection } from '../history/versions.repository.ts';
import { commentKeysCollection } from '../comments/comment-keys.ts';
import type { AuditRecord } from '../audit/audit.repository.ts';

/**
 * Every collection an erasure may write to: compacted afterwards, so that no
 * old line of the embedded store's append-only files keeps a name or e-mail.
 */
export const erasedCollections = ['users', 'sessions', 'memberships', 'audit', 'threads', 'meetings', 'document_visits', 'notifications', 'notification_settings', 'comment_keys'] as const;

/** What a person was known by, to find where it was copied: kept in memory only while erasing. */
export interface Identity {
  displayName: string;
  email: string;
}

const RETRIES = 5;

/** Replaces every appearance of the identity in a free-text value (a reason, a detail) with a neutral mark. */
function scrub(text: string, identity: Identity | null): string {
  if (!identity) return text;
  let out = text;
  for (const needle of [identity.email, identity.displayName]) {
    // Very short names would also match inside ordinary words; the record keeps nothing else of them anyway.
    if (needle.trim().length < 3) continue;
    out = out.replace(new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), '—');
  }
  return out;
}

/**
 * Erases who stands behind one membership, keeping what they contributed.
 *
 * The membership stays as a "former participant": its alias, stakeholder group
 * and role remain (every comment, position, proposal, edit attribution, ballot
 * and audit entry points at it by member id, and reads it at read time), while
 * its link to the account becomes a fresh random id that matches no account —
 * a different one per consultation, so that a person's consultations cannot be
 * linked to each other any more. The organisation, the choice to be named and
 * any mute go.
 *
 * Copies elsewhere: the audit log stored display names at the time (actor and
 * member subjects) and organisation changes in its details; comments keep the
 * author's account id; meeting queues and floors keep it too; document visits
 * record where the member left each document; idempotency keys tie the account
 * to the threads it wrote in. Names are removed, account ids replaced, visits
 * and keys deleted. Returns false when the membership was erased already.
 */
export async function forgetMembership(store: Store, membership: MembershipRecord, identity: Identity | null, now: string): Promise<boolean> {
  const formerId = randomUUID();
  const { modifiedCount } = await membershipsCollection(store).updateOne(
    { _id: membership._id, formerSince: { $exists: false } },
    { $set: { userId: formerId, organisation: null, namedInEpoch: null, mutedUntil: null, formerSince: now } },
  );
  if (modifiedCount === 0) return false;
  await forgetInAudit(store, membership, identity);
  await forgetInThreads(store, membership, formerId);
  await forgetInMeetings(store, membership, formerId);
  await visitsCollection(store).deleteMany({ membershipId: membership._id });
  await commentKeysCollection(store).deleteMany({ userId: membership.userId, consultationId: membership.consultationId });
  return true;
}

/**
 * The audit log is append-only for every other code path (audit.repository.ts
 * offers no update): erasing personal data is the one exception, and it changes
 * only names and free text, never what happened, when, or by which member id.
 */
async function forgetInAudit(store: Store, m: MembershipRecord, identity: Identity | null): Promise<void> {
  const audit = store.collection<AuditRecord>('audit');
  const entries = await audit.find({ consultationId: m.consultationId, $or: [{ 'actor.memberId': m._id }, { 'subject.id': m._id }] });
  for (const e of entries) {
    const $set: Record<string, unknown> = {};
    if (e.actor?.memberId === m._id && e.actor.displayName !== '') $set['actor.displayName'] = '';
    if (e.subject?.type === 'member' && e.subject.id === m._id && e.subject.name !== null) $set['subject.name'] = null;
    if (e.reason !== null) {
      const reason = scrub(e.reason, identity);
      if (reason !== e.reason) $set.reason = reason;
    }
    const about = e.subject?.type === 'member' && e.subject.id === m._id;
    for (const [key, value] of Object.entries(e.details)) {
      // An organisation is theirs: a change to it ("A → B") goes whole.
      if (about && key === 'organisation') $set[`details.${key}`] = null;
      else if (typeof value === 'string' && scrub(value, identity) !== value) $set[`details.${key}`] = scrub(value, identity);
    }
    if (Object.keys($set).length > 0) await audit.updateOne({ _id: e._id }, { $set });
  }
}

/** Comments keep their author's account id (to let them edit their own); it becomes the former id. Conditional on `seq`, retried if a thread moved on. */
async function forgetInThreads(store: Store, m: MembershipRecord, formerId: string): Promise<void> {
  const threads = threadsCollection(store);
  for (const t of await threads.find({ consultationId: m.consultationId })) {
    let thread: typeof t | null = t;
    for (let i = 0; thread && i < RETRIES; i++) {
      if (!thread.comments.some((c) => c.authorUserId === m.userId)) break;
      const comments = thread.comments.map((c) => (c.authorUserId === m.userId ? { ...c, authorUserId: formerId } : c));
      const { matchedCount } = await threads.updateOne({ _id: thread._id, seq: thread.seq, updatedAt: thread.updatedAt }, { $set: { comments } });
      if (matchedCount === 1) break;
      thread = await threads.findOne({ _id: t._id });
    }
  }
}

/**
 * Live meetings drop the member from their queue and floor through the
 * `membershipRemoved` event (meetings.reactions.ts); here the records of the
 * others (ended or scheduled) lose the account id.
 */
async function forgetInMeetings(store: Store, m: MembershipRecord, formerId: string): Promise<void> {
  const meetings = meetingsCollection(store);
  for (const meeting of await meetings.find({ consultationId: m.consultationId, status: { $ne: 'live' } })) {
    const inQueue = meeting.queue.some((q) => q.userId === m.userId);
    const onFloor = meeting.floor?.userId === m.userId;
    if (!inQueue && !onFloor) continue;
    await meetings.updateOne(
      { _id: meeting._id, seq: meeting.seq },
      {
        $set: {
          queue: meeting.queue.map((q) => (q.userId === m.userId ? { ...q, userId: formerId } : q)),
          floor: onFloor && meeting.floor ? { ...meeting.floor, userId: formerId } : meeting.floor,
        },
      },
    );
  }
}
