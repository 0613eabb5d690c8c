import type { Store } from '../store/types.ts';
import type { FlagCommentInput, HideCommentInput, ModerationItem, ModerationStatus, ResolveCommentInput } from '../../shared/moderation.ts';
import type { AuditAction } from '../../shared/audit.ts';
import type { Page, PageQuery } from '../../shared/schemas.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';
import { KeyedLock } from '../lock.ts';
import { paginate } from '../pagination.ts';
import type { DomainEventBus } from '../events.ts';
import type { Access } from '../members/access.ts';
import type { AuditLog } from '../audit/audit.service.ts';
import { authorOf, type CommentsService, type Ctx } from '../comments/comments.service.ts';
import { threadsCollection, type CommentRecord, type ThreadRecord } from '../comments/comments.repository.ts';
import { moderationCollection, type ModerationRecord } from './moderation.repository.ts';

type Located = { ctx: Ctx; thread: ThreadRecord; comment: CommentRecord };

function toWire(r: ModerationRecord, comment: CommentRecord | undefined): ModerationItem {
  return {
    id: r._id,
    consultationId: r.consultationId,
    documentId: r.documentId,
    threadId: r.threadId,
    commentId: r._id,
    status: r.status,
    // The original text, hidden or not: this view is for facilitators. A hidden comment keeps it even once its author deletes it.
    body: comment && (!comment.deleted || comment.hidden) ? comment.body : null,
    deleted: comment?.deleted ?? true,
    author: comment?.author ?? r.decidedBy ?? r.flags[0]!.by,
    flags: r.flags,
    hidden: comment?.hidden ? { reason: comment.hidden.reason } : null,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/**
 * Reports on comments and what facilitators do about them. Hiding and
 * restoring change the thread itself (through the comments service, so
 * every member's view and broadcast follows); the queue records the decision.
 */
export class ModerationService {
  readonly #records;
  readonly #threads;
  readonly #lock = new KeyedLock();

  constructor(
    store: Store,
    private readonly access: Access,
    private readonly events: DomainEventBus,
    private readonly comments: CommentsService,
    private readonly audit: AuditLog,
  ) {
    this.#records = moderationCollection(store);
    this.#threads = threadsCollection(store);
  }

  async flag(userId: string, input: FlagCommentInput): Promise<null> {
    const found = await this.comments.comment(userId, input.threadId, input.commentId, 'moderation.flag');
    if (found.comment.deleted) throw AppError.notFound('Comment');
    const by = authorOf(found.ctx);
    await this.#update(found, 'moderation.flagged', input.reason, (r, now) => {
      r.flags = [...r.flags.filter((f) => f.by.memberId !== by.memberId), { by, reason: input.reason, at: now }];
      // A new report reopens a decision to leave the comment up; a hidden comment stays hidden.
      if (r.status !== 'hidden') r.status = 'pending';
    });
    return null;
  }

  async queue(userId: string, consultationId: string, status: ModerationStatus | undefined, query: PageQuery): Promise<Page<ModerationItem>> {
    await this.access.authorize(userId, consultationId, 'moderation.manage');
    const page = await paginate(this.#records, { consultationId, ...(status ? { status } : {}) }, query, (r) => r);
    return { items: await Promise.all(page.items.map((r) => this.#view(r))), nextCursor: page.nextCursor };
  }

  /** A comment in the queue changed outside it (its author deleted it): facilitators following the queue see it at once. */
  async refresh(commentId: string): Promise<void> {
    const record = await this.#records.findOne({ _id: commentId });
    if (record) this.events.emit('moderationChanged', await this.#view(record));
  }

  /** Whether someone may still follow the queue (after a role change or removal). */
  async mayModerate(userId: string, consultationId: string): Promise<boolean> {
    try {
      await this.access.authorize(userId, consultationId, 'moderation.manage');
      return true;
    } catch (err) {
      if (err instanceof AppError) return false;
      throw err;
    }
  }

  async hide(userId: string, input: HideCommentInput): Promise<ModerationItem> {
    const found = await this.comments.comment(userId, input.threadId, input.commentId, 'moderation.manage');
    if (found.comment.deleted) throw new AppError(ErrorCode.conflict, 'The author has deleted this comment already');
    await this.comments.moderate(userId, input.threadId, input.commentId, { reason: input.reason });
    return this.#decide(found, 'hidden', 'moderation.hidden', input.reason);
  }

  async restore(userId: string, input: ResolveCommentInput): Promise<ModerationItem> {
    const found = await this.comments.comment(userId, input.threadId, input.commentId, 'moderation.manage');
    if (!found.comment.hidden) throw new AppError(ErrorCode.conflict, 'This comment is not hidden');
    await this.comments.moderate(userId, input.threadId, input.commentId, null);
    return this.#decide(found, 'restored', 'moderation.restored', input.reason);
  }

  async dismiss(userId: string, input: ResolveCommentInput): Promise<ModerationItem> {
    const found = await this.comments.comment(userId, input.threadId, input.commentId, 'moderation.manage');
    const record = await this.#records.findOne({ _id: input.commentId });
    if (!record) throw AppError.notFound('Report');
    if (record.status !== 'pending') throw new AppError(ErrorCode.conflict, `This report is ${record.status} already`);
    return this.#decide(found, 'dismissed', 'moderation.dismissed', input.reason);
  }

  #decide(found: Located, status: ModerationStatus, action: AuditAction, reason: string | undefined): Promise<ModerationItem> {
    return this.#update(found, action, reason, (r, now) => {
      r.status = status;
      r.decidedBy = authorOf(found.ctx);
      r.decidedAt = now;
    });
  }

  /** Changes (or starts) a comment's queue entry under its lock, then announces and audits it. */
  async #update(found: Located, action: AuditAction, reason: string | undefined, mutate: (r: ModerationRecord, now: string) => void): Promise<ModerationItem> {
    const { ctx, thread, comment } = found;
    const record = await this.#lock.run(comment.id, async () => {
      const now = new Date().toISOString();
      const existing = await this.#records.findOne({ _id: comment.id });
      const r: ModerationRecord = existing ?? {
        _id: comment.id,
        consultationId: ctx.consultation._id,
        documentId: thread.documentId,
        threadId: thread._id,
        status: 'pending',
        flags: [],
        decidedBy: null,
        decidedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      mutate(r, now);
      r.updatedAt = now;
      const { _id, ...fields } = r;
      await this.#records.updateOne({ _id }, { $set: fields }, { upsert: true });
      return r;
    });
    const item = await this.#view(record);
    this.events.emit('moderationChanged', item);
    await this.audit.record(ctx.consultation._id, ctx.membership, action, {
      subject: { type: 'comment', id: comment.id, name: null },
      reason,
      details: { threadId: thread._id, documentId: thread.documentId, author: comment.author.memberId },
    });
    return item;
  }

  async #view(r: ModerationRecord): Promise<ModerationItem> {
    const thread = await this.#threads.findOne({ _id: r.threadId });
    return toWire(r, thread?.comments.find((c) => c.id === r._id));
  }
}
