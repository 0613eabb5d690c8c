import type { Store } from '../store/types.ts';
import type { PersonalDataExport } from '../../shared/privacy.ts';
import { sessionsCollection, type UserRecord } from '../accounts/accounts.repository.ts';
import { membershipsCollection } from '../members/members.repository.ts';
import { consultationsCollection } from '../consultations/consultations.repository.ts';
import { threadsCollection } from '../comments/comments.repository.ts';
import { ballotsCollection, pollsCollection } from '../polls/polls.repository.ts';
import type { AuditRecord } from '../audit/audit.repository.ts';

type Out = PersonalDataExport;

/**
 * What Convene holds about one person, read straight from the store. Nothing
 * of anyone else's identity goes in: other members' comments are left out,
 * and an entry about the person made by someone else keeps only that
 * someone's role and group.
 */
export async function personalData(store: Store, user: UserRecord, userId: string): Promise<Out> {
  const [sessions, memberships] = await Promise.all([
    sessionsCollection(store).find({ userId }, { sort: { createdAt: 1 } }),
    membershipsCollection(store).find({ userId }, { sort: { joinedAt: 1 } }),
  ]);
  const out: Out = {
    format: 'convene-personal-data',
    version: 1,
    exportedAt: new Date().toISOString(),
    account: { id: user._id, email: user.email, displayName: user.displayName, language: user.language, createdAt: user.createdAt },
    sessions: sessions.map((s) => ({ createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, expiresAt: s.expiresAt })),
    memberships: [],
    comments: [],
    positions: [],
    proposals: [],
    votes: [],
    audit: [],
  };
  for (const m of memberships) {
    const consultationId = m.consultationId;
    const consultation = await consultationsCollection(store).findOne({ _id: consultationId });
    out.memberships.push({
      consultationId,
      consultationTitle: consultation?.title ?? '',
      memberId: m._id,
      role: m.role,
      group: m.group,
      organisation: m.organisation,
      alias: m.alias,
      joinedAt: m.joinedAt,
    });

    for (const t of await threadsCollection(store).find({ consultationId }, { sort: { createdAt: 1 } })) {
      for (const c of t.comments.filter((x) => x.authorUserId === userId)) {
        out.comments.push({
          consultationId,
          documentId: t.documentId,
          threadId: t._id,
          commentId: c.id,
          body: c.body,
          deleted: c.deleted,
          hiddenByFacilitator: !!c.hidden,
          createdAt: c.createdAt,
          editedAt: c.editedAt,
        });
      }
      const position = t.positions[m._id];
      if (position) out.positions.push({ consultationId, threadId: t._id, stance: position.stance, group: position.group });
      // A proposal is made with the thread that carries it: its proposer wrote the first comment.
      if (t.proposal && t.comments[0]?.authorUserId === userId) {
        const { text, status, reason, decidedAt } = t.proposal;
        out.proposals.push({ consultationId, threadId: t._id, text, status, reason, decidedAt });
      }
    }

    // Only named polls' ballots carry a voter; an anonymous ballot is keyed by a one-way hash nobody can reverse.
    const ballots = await ballotsCollection(store).find({ 'voter.memberId': m._id });
    for (const b of ballots) {
      const poll = await pollsCollection(store).findOne({ _id: b.pollId });
      if (poll && !poll.anonymous) out.votes.push({ consultationId, pollId: poll._id, question: poll.question, option: poll.options[b.option] ?? '' });
    }

    const entries = await store
      .collection<AuditRecord>('audit')
      .find({ consultationId, $or: [{ 'actor.memberId': m._id }, { 'subject.id': m._id }] }, { sort: { createdAt: 1 } });
    for (const e of entries) {
      const mine = e.actor?.memberId === m._id;
      const subject = e.subject && (e.subject.type !== 'member' || e.subject.id === m._id ? e.subject : { type: 'member', id: '', name: null });
      out.audit.push({
        consultationId,
        id: e._id,
        action: e.action,
        at: e.createdAt,
        as: mine ? 'actor' : 'subject',
        by: mine || !e.actor ? null : { role: e.actor.role, group: e.actor.group },
        subject: subject && { type: subject.type, id: subject.id, name: subject.name },
        reason: e.reason,
        details: e.details,
      });
    }
  }
  return out;
}
