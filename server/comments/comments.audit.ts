import type { AuditAction, AuditEntry } from '../../shared/audit.ts';
import type { Stance } from '../../shared/comments.ts';
import type { StakeholderGroup } from '../../shared/groups.ts';
import type { AuditDetails } from '../audit/audit.service.ts';
import type { DocumentRecord } from '../documents/documents.repository.ts';
import type { ThreadRecord } from './comments.repository.ts';

/**
 * What the audit log keeps of the conversation on a document: which passage
 * (the thread's words, which are the document's, as the subject's name),
 * which document, thread and comment, and how long a comment was — never a
 * comment's body. A body can be hidden by a facilitator and deleted by its
 * author, and the log is append-only, so a copy in it would outlive both.
 * Proposals and the words an acceptance replaced are kept whole: they are
 * wording for the plan itself, which is what the log must be able to answer
 * for, and neither moderation nor deletion removes them from the thread.
 *
 * A position is recorded without its member (`actor` null): members see
 * positions only as counts per stakeholder group, so the entry holds the
 * group and the stance — what everyone saw change at that moment — and no
 * individual record of who supports or objects is made, not even for
 * facilitators.
 */
export interface AuditNote extends AuditDetails {
  action: AuditAction;
  /** False for positions: see above. */
  attributed?: boolean;
}

/** Subjects name a thread by its passage; long passages are cut, as at adoption. */
export const short = (text: string, max = 120) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

type Details = AuditEntry['details'];

const where = (t: ThreadRecord, document: Pick<DocumentRecord, 'title'>): Details => ({ documentId: t.documentId, document: document.title });

/** A thread as a subject, named by its passage as it read before the change. */
const threadSubject = (t: ThreadRecord, quote: string) => ({ type: 'thread' as const, id: t._id, name: short(quote) });

export const threadNotes = (t: ThreadRecord, document: Pick<DocumentRecord, 'title'>): AuditNote[] => {
  const first = t.comments[0]!;
  const notes: AuditNote[] = [
    {
      action: 'thread.created',
      subject: threadSubject(t, t.anchor.quote),
      details: { ...where(t, document), commentId: first.id, characters: first.body?.length ?? 0 },
    },
  ];
  if (t.proposal) notes.push({ action: 'proposal.made', subject: threadSubject(t, t.anchor.quote), details: { ...where(t, document), proposal: t.proposal.text } });
  return notes;
};

export const commentNote = (
  action: 'comment.replied' | 'comment.edited' | 'comment.deleted',
  t: ThreadRecord,
  document: Pick<DocumentRecord, 'title'>,
  comment: { id: string; body: string | null },
): AuditNote => ({
  action,
  subject: { type: 'comment', id: comment.id, name: short(t.anchor.quote) },
  details: { ...where(t, document), threadId: t._id, ...(action === 'comment.deleted' ? {} : { characters: comment.body?.length ?? 0 }) },
});

export const statusNote = (t: ThreadRecord, document: Pick<DocumentRecord, 'title'>, status: 'open' | 'resolved'): AuditNote => ({
  action: status === 'resolved' ? 'thread.resolved' : 'thread.reopened',
  subject: threadSubject(t, t.anchor.quote),
  details: where(t, document),
});

export const positionNote = (
  t: ThreadRecord,
  document: Pick<DocumentRecord, 'title'>,
  group: StakeholderGroup,
  from: Stance | null,
  to: Stance | null,
): AuditNote | null => {
  if (from === to) return null;
  const action = from === null ? 'position.taken' : to === null ? 'position.withdrawn' : 'position.changed';
  return { action, attributed: false, subject: threadSubject(t, t.anchor.quote), details: { ...where(t, document), group, from, stance: to } };
};

export const decisionNote = (
  t: ThreadRecord,
  document: Pick<DocumentRecord, 'title'>,
  quoteBefore: string,
  decision: { accepted: true; replaced: string } | { accepted: false; reason: string },
): AuditNote =>
  decision.accepted
    ? {
        action: 'proposal.accepted',
        subject: threadSubject(t, quoteBefore),
        details: { ...where(t, document), replaced: decision.replaced, wording: t.proposal!.text },
      }
    : {
        action: 'proposal.declined',
        subject: threadSubject(t, quoteBefore),
        reason: decision.reason,
        details: { ...where(t, document), proposal: t.proposal!.text },
      };
