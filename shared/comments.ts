import { z } from 'zod';
import { Id } from './schemas.ts';
import { stakeholderGroups, type StakeholderGroup } from './groups.ts';
import { roles } from './permissions.ts';

/** Limits on what one comment may hold. */
export const commentLimits = { body: 4000, quote: 2000, proposal: 4000, reason: 1000, anchor: 512 } as const;
/** The longest passage a thread may anchor (one paragraph at most): the server refuses longer ones. */
export const passageLimit = 10_000;

/** A Yjs relative position, encoded with `Y.encodeRelativePosition` and then base64. */
const RelativePosition = z.string().min(4).max(commentLimits.anchor).regex(/^[A-Za-z0-9+/]+=*$/);

/**
 * Where a new thread sits in the text: a range of Yjs relative positions (so
 * it follows the words while others type around and inside them). The words
 * themselves are read by the server from the live document: a quote sent by a
 * client is dropped, never stored.
 */
export const AnchorInput = z.object({ start: RelativePosition, end: RelativePosition });
export type AnchorInput = z.infer<typeof AnchorInput>;

/**
 * A thread's anchor as the server keeps it: the range and the words it held
 * when the server last read them (at creation, then the accepted wording),
 * shown when the passage is later deleted.
 */
export const Anchor = AnchorInput.extend({ quote: z.string() });
export type Anchor = z.infer<typeof Anchor>;

const Body = z.string().trim().min(1).max(commentLimits.body);
/**
 * A client-generated idempotency key (a UUID) on a comment, reply or position
 * that may be sent more than once (queued offline, resent after a lost
 * acknowledgement): the server does it once per member and key.
 */
export const IdempotencyKey = z.uuid();

export const CreateThreadInput = z.object({
  documentId: Id,
  anchor: AnchorInput,
  body: Body,
  /** Replacement wording for the anchored passage, for a drafter to accept or decline. */
  proposal: z.string().trim().min(1).max(commentLimits.proposal).optional(),
  key: IdempotencyKey.optional(),
});
export type CreateThreadInput = z.infer<typeof CreateThreadInput>;

export const ReplyInput = z.object({ threadId: Id, body: Body, key: IdempotencyKey.optional() });
export const EditCommentInput = z.object({ threadId: Id, commentId: Id, body: Body });
export const DeleteCommentInput = z.object({ threadId: Id, commentId: Id });
export const SetThreadStatusInput = z.object({ threadId: Id, status: z.enum(['open', 'resolved']) });
export const stances = ['support', 'object', 'neutral'] as const;
export type Stance = (typeof stances)[number];
export const SetPositionInput = z.object({ threadId: Id, stance: z.enum(stances).nullable(), key: IdempotencyKey.optional() });
export const DecideProposalInput = z.discriminatedUnion('decision', [
  /**
   * `passage`: the words the drafter was shown as those being replaced. If the
   * anchored passage reads differently now, nothing changes and the reply is a
   * conflict whose `details` hold the current words (`ProposalConflict`).
   */
  z.object({ threadId: Id, decision: z.literal('accept'), passage: z.string().min(1).max(passageLimit) }),
  z.object({ threadId: Id, decision: z.literal('decline'), reason: z.string().trim().min(1).max(commentLimits.reason) }),
]);
export type DecideProposalInput = z.infer<typeof DecideProposalInput>;
/** The `details` of a refused acceptance: the passage as it reads now, or null once it has been deleted. */
export interface ProposalConflict {
  current: string | null;
}
export const SyncThreadsInput = z.object({ documentId: Id, since: z.number().int().min(0) });

/** Who wrote something. Names are not sent: clients resolve them from the member list, which respects hidden identities. */
export const Author = z.object({
  memberId: Id,
  alias: z.number().int(),
  group: z.enum(stakeholderGroups),
  role: z.enum(roles),
  /** Set when read from a membership whose person was erased: show "former participant (group)", not the alias. */
  former: z.literal(true).optional(),
});
export type Author = z.infer<typeof Author>;

export const Comment = z.object({
  id: Id,
  author: Author,
  /** Null once deleted or while hidden by a facilitator: the thread keeps a marker in its place. */
  body: z.string().nullable(),
  deleted: z.boolean(),
  /** Set while a facilitator has hidden the comment: show "hidden by a facilitator" and the reason. */
  hidden: z.object({ reason: z.string() }).nullable(),
  editedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type Comment = z.infer<typeof Comment>;

export const Proposal = z.object({
  text: z.string(),
  /** `lapsed`: still pending when the plan was adopted, so never decided (`decidedAt` is the adoption). */
  status: z.enum(['pending', 'accepted', 'declined', 'lapsed']),
  reason: z.string().nullable(),
  decidedBy: Author.nullable(),
  decidedAt: z.iso.datetime().nullable(),
  /** The words the accepted wording replaced, as they read at that moment; null until accepted. */
  replaced: z.string().nullable(),
});
export type Proposal = z.infer<typeof Proposal>;

export type StanceCounts = Record<StakeholderGroup, Record<Stance, number>>;

export const threadStatuses = ['open', 'resolved', 'closed_at_adoption'] as const;
export type ThreadStatus = (typeof threadStatuses)[number];

export const Thread = z.object({
  id: Id,
  documentId: Id,
  anchor: Anchor,
  /** The passage as the server read it when the thread was created; kept for ever. Null on threads older than this field. */
  originalQuote: z.string().nullable(),
  /** `closed_at_adoption`: still open when the plan was adopted; nothing more happens in it. */
  status: z.enum(threadStatuses),
  /** Grows with every change to the thread, per document: clients catch up with `since`. */
  seq: z.number().int(),
  comments: z.array(Comment),
  proposal: Proposal.nullable(),
  counts: z.record(z.enum(stakeholderGroups), z.record(z.enum(stances), z.number().int())),
  /** The viewer's own stance; absent in broadcasts, which are the same for everyone. */
  yours: z.enum(stances).nullable().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Thread = z.infer<typeof Thread>;
