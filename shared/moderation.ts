import { z } from 'zod';
import { Id } from './schemas.ts';
import { Author } from './comments.ts';

export const moderationLimits = { reason: 500, muteMinutes: 60 * 24 * 30 } as const;

const Reason = z.string().trim().min(1).max(moderationLimits.reason);

/** Any member reports a comment to the facilitators. */
export const FlagCommentInput = z.object({ threadId: Id, commentId: Id, reason: Reason });
export type FlagCommentInput = z.infer<typeof FlagCommentInput>;

/** Hiding needs a reason: members see it in place of the comment. */
export const HideCommentInput = z.object({ threadId: Id, commentId: Id, reason: Reason });
export type HideCommentInput = z.infer<typeof HideCommentInput>;

/** Restore a hidden comment, or dismiss the reports on one; the reason goes to the audit log. */
export const ResolveCommentInput = z.object({ threadId: Id, commentId: Id, reason: Reason.optional() });
export type ResolveCommentInput = z.infer<typeof ResolveCommentInput>;

export const MuteInput = z.object({
  minutes: z.number().int().min(1).max(moderationLimits.muteMinutes),
  reason: Reason,
});
export type MuteInput = z.infer<typeof MuteInput>;
export const UnmuteInput = z.object({ reason: Reason.optional() });
export type UnmuteInput = z.infer<typeof UnmuteInput>;

/** The same over Socket.IO, where the member is named in the payload. */
export const MuteMemberInput = MuteInput.extend({ consultationId: Id, memberId: Id });
export const UnmuteMemberInput = UnmuteInput.extend({ consultationId: Id, memberId: Id });

export const moderationStatuses = ['pending', 'hidden', 'restored', 'dismissed'] as const;
export type ModerationStatus = (typeof moderationStatuses)[number];

export const ModerationQuery = z.object({ status: z.enum(moderationStatuses).optional() });

/**
 * One comment in the facilitators' moderation queue, with every report on it.
 * `body` is the original text, hidden or not: this view is for facilitators only.
 */
export const ModerationItem = z.object({
  id: Id,
  consultationId: Id,
  documentId: Id,
  threadId: Id,
  commentId: Id,
  status: z.enum(moderationStatuses),
  body: z.string().nullable(),
  deleted: z.boolean(),
  author: Author,
  flags: z.array(z.object({ by: Author, reason: z.string(), at: z.iso.datetime() })),
  hidden: z.object({ reason: z.string() }).nullable(),
  decidedBy: Author.nullable(),
  decidedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ModerationItem = z.infer<typeof ModerationItem>;
