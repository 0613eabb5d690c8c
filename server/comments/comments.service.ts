import { randomUUID } from 'node:crypto';
import type { Store } from '../store/types.ts';
import type { Author, CreateThreadInput, DecideProposalInput, Stance, Thread } from '../../shared/comments.ts';
import type { Action } from '../../shared/permissions.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import type { DomainEventBus } from '../events.ts';
import type { Access, Granted } from '../members/access.ts';
import type { DocumentRecord } from '../documents/documents.repository.ts';
import { KeyedLock } from '../lock.ts';
import { publicFace } from '../members/identity.ts';
import { outstandingThreads, threadsCollection, type CommentRecord, type ThreadRecord } from './comments.repository.ts';
import { threadToWire } from './threads.view.ts';
import { ThreadSequences, type Ticket } from './sequence.ts';
import type { Passages } from '../collab/proposals.ts';
import { startsIn, type DeletedBlock } from '../collab/block-moves.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import type { Logger } from '../logger.ts';
import type { Remember } from './idempotency.ts';
import { commentNote, decisionNote, positionNote, statusNote, threadNotes, type AuditNote } from './comments.audit.ts';

export type Ctx = Granted & { document: DocumentRecord };

/** What a change leaves in the audit log: nothing, one entry or several. */
type Notes = AuditNote | AuditNote[] | null | void;

/** Authors carry only the public face; names come from the member list, under `identityVisible`. */
export const authorOf = ({ membership: m }: Pick<Granted, 'membership'>): Author => publicFace(m);

/**
 * Comment threads on passages of a document. Every change takes the
 * document's next sequence number and is announced with it, in order, so a
 * client that missed events asks for `seq > n` and gets exactly what it
 * lacks. Changes to one thread happen one at a time; changes to different
 * threads are stored side by side.
 */
export class CommentsService {
  readonly #threads;
  readonly #sequences: ThreadSequences;
  /** Per thread: each change reads what the one before it wrote. */
  readonly #lock = new KeyedLock();

  constructor(
    store: Store,
    private readonly access: Access,
    private readonly events: DomainEventBus,
    /** Reads and replaces anchored words in the live document. */
    private readonly passages: Passages,
    private readonly audit: AuditLog,
    private readonly logger: Logger,
  ) {
    this.#threads = threadsCollection(store);
    this.#sequences = new ThreadSequences(
      async (documentId) => (await this.#threads.find({ documentId }, { sort: { seq: -1 }, limit: 1 }))[0]?.seq ?? 0,
      (thread) => events.emit('threadChanged', thread),
    );
  }

  async list(userId: string, documentId: string, since = 0): Promise<{ threads: Thread[]; seq: number }> {
    const ctx = await this.access.authorizeDocument(userId, documentId, 'comment.view');
    // Only what is already announced: a change stored ahead of an earlier one still in flight comes with its announcement.
    const seq = await this.#sequences.announced(documentId);
    const threads = await this.#threads.find({ documentId, seq: { $gt: since, $lte: seq } }, { sort: { seq: 1 } });
    return { threads: threads.map((t) => threadToWire(t, ctx.membership._id)), seq };
  }

  /** One thread as this member sees it: the same permission and the same view as `list`. */
  async thread(userId: string, threadId: string): Promise<Thread> {
    const record = await this.#threads.findOne({ _id: threadId });
    if (!record) throw AppError.notFound('Thread');
    const ctx = await this.access.authorizeDocument(userId, record.documentId, 'comment.view');
    return threadToWire(record, ctx.membership._id);
  }

  /** `remember`, here and below: records the sender's idempotency key right after the change is stored (see idempotency.ts). */
  async create(userId: string, input: CreateThreadInput, remember?: Remember): Promise<Thread> {
    const ctx = await this.access.authorizeDocument(userId, input.documentId, 'comment.create');
    // The words come from the live document, never from the client: a thread cannot show one passage and anchor another.
    const quote = await this.passages.read(input.documentId, input.anchor);
    const now = new Date().toISOString();
    const ticket = await this.#sequences.next(input.documentId);
    const record: ThreadRecord = {
      _id: randomUUID(),
      consultationId: ctx.consultation._id,
      documentId: input.documentId,
      anchor: { start: input.anchor.start, end: input.anchor.end, quote },
      originalQuote: quote,
      status: 'open',
      seq: ticket.seq,
      comments: [{ id: randomUUID(), author: authorOf(ctx), authorUserId: userId, body: input.body, deleted: false, editedAt: null, createdAt: now }],
      proposal: input.proposal ? { text: input.proposal, status: 'pending', reason: null, decidedBy: null, decidedAt: null, replaced: null } : null,
      positions: {},
      createdAt: now,
      updatedAt: now,
    };
    const thread = await this.#store(ticket, record, ctx, () => this.#threads.insertOne(record), remember);
    await this.#record(ctx, threadNotes(record, ctx.document));
    return thread;
  }

  reply(userId: string, threadId: string, body: string, remember?: Remember): Promise<Thread> {
    return this.#change(userId, threadId, 'comment.reply', (t, ctx, now) => {
      const comment = { id: randomUUID(), author: authorOf(ctx), authorUserId: userId, body, deleted: false, editedAt: null, createdAt: now };
      t.comments.push(comment);
      return commentNote('comment.replied', t, ctx.document, comment);
    }, remember);
  }

  edit(userId: string, threadId: string, commentId: string, body: string): Promise<Thread> {
    return this.#change(userId, threadId, 'comment.reply', (t, ctx, now) => {
      const comment = this.#own(t, commentId, userId);
      if (comment.hidden) throw new AppError(ErrorCode.forbidden, 'A facilitator has hidden this comment; it cannot be edited');
      comment.body = body;
      comment.editedAt = now;
      return commentNote('comment.edited', t, ctx.document, comment);
    });
  }

  async delete(userId: string, threadId: string, commentId: string): Promise<Thread> {
    const thread = await this.#change(userId, threadId, 'comment.reply', (t, ctx) => {
      const comment = this.#own(t, commentId, userId);
      comment.deleted = true;
      // Gone for members either way; a hidden comment's text stays on record for the facilitators' moderation queue.
      if (!comment.hidden) comment.body = null;
      return commentNote('comment.deleted', t, ctx.document, comment);
    });
    this.events.emit('commentDeleted', commentId);
    return thread;
  }

  setStatus(userId: string, threadId: string, status: 'open' | 'resolved'): Promise<Thread> {
    return this.#change(userId, threadId, 'comment.resolve', (t, ctx) => {
      const changed = t.status !== status;
      t.status = status;
      return changed ? statusNote(t, ctx.document, status) : null;
    });
  }

  setPosition(userId: string, threadId: string, stance: Stance | null, remember?: Remember): Promise<Thread> {
    return this.#change(userId, threadId, 'comment.position', (t, ctx) => {
      const before = t.positions[ctx.membership._id];
      if (stance === null) delete t.positions[ctx.membership._id];
      else t.positions[ctx.membership._id] = { stance, group: ctx.membership.group };
      // The group whose count changed: for a withdrawal, the one the stance was taken in, as the counts do.
      return positionNote(t, ctx.document, stance === null && before ? before.group : ctx.membership.group, before?.stance ?? null, stance);
    }, remember);
  }

  decide(userId: string, input: DecideProposalInput): Promise<Thread> {
    return this.#change(userId, input.threadId, 'proposal.decide', async (t, ctx, now) => {
      if (!t.proposal || t.proposal.status !== 'pending') throw new AppError(ErrorCode.conflict, 'There is no pending proposal on this thread');
      const quoteBefore = t.anchor.quote;
      let replaced: string | null = null;
      if (input.decision === 'accept') {
        if (ctx.document.locked) throw new AppError(ErrorCode.forbidden, 'The document is locked');
        if (ctx.document.archivedAt) throw new AppError(ErrorCode.forbidden, 'The document is archived');
        // Only the words the drafter was shown are replaced: a passage edited meanwhile is a conflict, and nothing changes.
        const done = await this.passages.replace(t.documentId, t.anchor, input.passage, t.proposal.text, {
          membershipId: ctx.membership._id,
          group: ctx.membership.group,
        });
        t.anchor = done.anchor;
        replaced = done.replaced;
      }
      t.proposal = {
        ...t.proposal,
        replaced,
        status: input.decision === 'accept' ? 'accepted' : 'declined',
        reason: input.decision === 'decline' ? input.reason : null,
        decidedBy: authorOf(ctx),
        decidedAt: now,
      };
      return decisionNote(t, ctx.document, quoteBefore, input.decision === 'accept' ? { accepted: true, replaced: replaced ?? '' } : { accepted: false, reason: input.reason });
    });
  }

  /** A comment and its thread, for someone allowed `action` in the thread's consultation. */
  async comment(userId: string, threadId: string, commentId: string, action: Action): Promise<{ ctx: Ctx; thread: ThreadRecord; comment: CommentRecord }> {
    const thread = await this.#threads.findOne({ _id: threadId });
    if (!thread) throw AppError.notFound('Thread');
    const ctx = await this.access.authorizeDocument(userId, thread.documentId, action);
    const comment = thread.comments.find((c) => c.id === commentId);
    if (!comment) throw AppError.notFound('Comment');
    return { ctx, thread, comment };
  }

  /** Hides a comment from members (facilitators only), or shows it again with null. */
  moderate(userId: string, threadId: string, commentId: string, hidden: { reason: string } | null): Promise<Thread> {
    return this.#change(userId, threadId, 'moderation.manage', (t, ctx, now) => {
      const comment = t.comments.find((c) => c.id === commentId);
      if (!comment) throw AppError.notFound('Comment');
      comment.hidden = hidden && { reason: hidden.reason, by: ctx.membership._id, at: now };
      // Restoring a comment its author deleted meanwhile honours the deletion: its text is no longer kept.
      if (!hidden && comment.deleted) comment.body = null;
    });
  }

  /**
   * When the plan is adopted: open threads close (`closed_at_adoption`) and
   * pending proposals lapse, neither accepted nor declined, so nothing is left
   * "awaiting a decision" in an adopted record. Each change is numbered and
   * announced like any other. The caller has authorised the adoption; this is
   * kept apart from deciding proposals on purpose. Returns what changed.
   */
  async settleAtAdoption(consultationId: string): Promise<{ thread: ThreadRecord; closed: boolean; lapsed: boolean }[]> {
    const settled: { thread: ThreadRecord; closed: boolean; lapsed: boolean }[] = [];
    for (const { _id: threadId } of await outstandingThreads(this.#threads, consultationId)) {
      let outcome = { closed: false, lapsed: false };
      const thread = await this.#systemChange(threadId, (t, now) => {
        outcome = { closed: t.status === 'open', lapsed: t.proposal?.status === 'pending' };
        if (outcome.closed) t.status = 'closed_at_adoption';
        if (outcome.lapsed) t.proposal = { ...t.proposal!, status: 'lapsed', reason: null, decidedBy: null, decidedAt: now };
        return outcome.closed || outcome.lapsed; // else settled in the meantime
      });
      if (thread) settled.push({ thread, ...outcome });
    }
    return settled;
  }

  /**
   * After plan blocks were moved (deleted and inserted again, see
   * server/collab/block-moves.ts): each thread whose words were in them is
   * anchored again on the same words in the moved block, and announced like
   * any other change. Returns how many threads moved.
   */
  async followMovedBlocks(documentId: string, moved: readonly DeletedBlock[]): Promise<number> {
    let count = 0;
    for (const { _id: threadId, anchor } of await this.#threads.find({ documentId })) {
      if (!startsIn(anchor, moved)) continue;
      const thread = await this.#systemChange(threadId, async (t) => {
        const anchor = await this.passages.follow(documentId, t.anchor, moved);
        if (!anchor) return false;
        t.anchor = { start: anchor.start, end: anchor.end, quote: t.anchor.quote };
        return true;
      });
      if (thread) count++;
    }
    return count;
  }

  /**
   * A change the server makes itself (no member asked, so no permission to
   * check): numbered and announced like any other. `mutate` returns false
   * when there is nothing to change after all.
   */
  async #systemChange(threadId: string, mutate: (thread: ThreadRecord, now: string) => boolean | Promise<boolean>): Promise<ThreadRecord | null> {
    return this.#lock.run(threadId, async () => {
      const thread = await this.#threads.findOne({ _id: threadId });
      if (!thread) return null;
      const now = new Date().toISOString();
      if (!(await mutate(thread, now))) return null;
      thread.updatedAt = now;
      const ticket = await this.#sequences.next(thread.documentId);
      thread.seq = ticket.seq;
      const { _id, ...fields } = thread;
      try {
        await this.#threads.updateOne({ _id }, { $set: fields });
      } catch (err) {
        ticket.settle(null);
        throw err;
      }
      ticket.settle(threadToWire(thread));
      return thread;
    });
  }

  async #change(
    userId: string,
    threadId: string,
    action: Action,
    mutate: (thread: ThreadRecord, ctx: Ctx, now: string) => Notes | Promise<Notes>,
    remember?: Remember,
  ): Promise<Thread> {
    const found = await this.#threads.findOne({ _id: threadId });
    if (!found) throw AppError.notFound('Thread');
    const ctx = await this.access.authorizeDocument(userId, found.documentId, action);
    return this.#lock.run(threadId, async () => {
      const thread = await this.#threads.findOne({ _id: threadId });
      if (!thread) throw AppError.notFound('Thread');
      const now = new Date().toISOString();
      const notes = await mutate(thread, ctx, now);
      thread.updatedAt = now;
      const ticket = await this.#sequences.next(thread.documentId);
      thread.seq = ticket.seq;
      const { _id, ...fields } = thread;
      const stored = await this.#store(ticket, thread, ctx, () => this.#threads.updateOne({ _id }, { $set: fields }), remember);
      // Inside the lock, so a thread's entries are in the order its changes were stored.
      await this.#record(ctx, notes);
      return stored;
    });
  }

  /**
   * Writes a change's audit entries once the change is stored. A failure is
   * logged, never thrown: the change stands and has been announced, and an
   * error would only make its author try it again.
   */
  async #record(ctx: Ctx, notes: Notes): Promise<void> {
    for (const { action, attributed = true, subject, reason, details } of [notes ?? []].flat()) {
      try {
        await this.audit.record(ctx.consultation._id, attributed ? ctx.membership : null, action, { subject, reason, details });
      } catch (err) {
        this.logger.error({ err, action, subject: subject?.id }, 'recording a comment change in the audit log failed');
      }
    }
  }

  /**
   * Stores a change under its number and announces it in turn; a failed write gives its number up.
   * The idempotency key is written next, before anything else (audit entries, the acknowledgement):
   * a lost acknowledgement finds it, and only a crash between these two writes leaves a change
   * whose resend runs again. The store has no transactions across collections to close that gap.
   */
  async #store(ticket: Ticket, record: ThreadRecord, ctx: Ctx, write: () => Promise<unknown>, remember?: Remember): Promise<Thread> {
    try {
      await write();
    } catch (err) {
      ticket.settle(null);
      throw err;
    }
    ticket.settle(threadToWire(record));
    await remember?.(record);
    return threadToWire(record, ctx.membership._id);
  }

  #own(thread: ThreadRecord, commentId: string, userId: string) {
    const comment = thread.comments.find((c) => c.id === commentId);
    if (!comment || comment.deleted) throw AppError.notFound('Comment');
    if (comment.authorUserId !== userId) throw new AppError(ErrorCode.forbidden, 'Only the author may change a comment');
    return comment;
  }
}
