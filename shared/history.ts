import { z } from 'zod';
import { Id } from './schemas.ts';
import { Author } from './comments.ts';
import { stakeholderGroups, phases } from './groups.ts';

/**
 * A document's history: versions, and the differences between them with
 * every inserted and deleted character attributed to the member (shown by
 * alias and stakeholder group, as comments are) whose update made it. The
 * server records who sent each update; a client never says who it is.
 */

export const versionReasons = ['manual', 'phase', 'adoption', 'restore'] as const;
export type VersionReason = (typeof versionReasons)[number];

export const versionLimits = { name: 120 } as const;

export const Version = z.object({
  id: Id,
  documentId: Id,
  /** Given by the person who made it; phase and adoption versions carry none (the reason and phase say it). */
  name: z.string().nullable(),
  reason: z.enum(versionReasons),
  /** The phase the consultation entered, for `phase` and `adoption` versions. */
  phase: z.enum(phases).nullable(),
  /** Who made it; null for versions the server makes at a phase change. */
  createdBy: Author.nullable(),
  createdAt: z.iso.datetime(),
  /** For `restore`: the version whose text was brought back. */
  restoredFrom: Id.nullable(),
});
export type Version = z.infer<typeof Version>;

export const CreateVersionInput = z.object({ name: z.string().trim().min(1).max(versionLimits.name) });
export type CreateVersionInput = z.infer<typeof CreateVersionInput>;

/** One end of a comparison: a version, the document as it is now, or (as the start) your last visit. */
export const DiffEnd = z.union([Id, z.literal('now'), z.literal('visit')]);
export const DiffQuery = z.object({ from: DiffEnd, to: DiffEnd.default('now') });
export type DiffQuery = z.infer<typeof DiffQuery>;

export const changeKinds = ['added', 'removed'] as const;
export type ChangeKind = (typeof changeKinds)[number];

/** A run of text in a compared block: unchanged (change null), or added or removed by someone. */
export const DiffSegment = z.object({
  text: z.string(),
  change: z
    .object({
      kind: z.enum(changeKinds),
      /** Null when the server has no record of who made it (text from before attribution was recorded). */
      by: Author.nullable(),
    })
    .nullable(),
});
export type DiffSegment = z.infer<typeof DiffSegment>;

/** A block of the document (a paragraph, a heading, a plan block's title…) with its text as compared. */
export const DiffBlock = z.object({
  /** The element's node name (paragraph, heading, planTitle, …). */
  node: z.string(),
  /** The plan block the text belongs to, if any: its kind, id and number at the later end. */
  planBlock: z.object({ node: z.string(), id: z.string(), number: z.string().nullable() }).nullable(),
  /** Whether the whole block was added or removed between the two ends (its segments say by whom). */
  status: z.enum(['same', 'changed', 'added', 'removed']),
  segments: z.array(DiffSegment),
});
export type DiffBlock = z.infer<typeof DiffBlock>;

/** One field of a plan action that differs between the two ends, as stored (JSON values). */
export const FieldChange = z.object({
  actionId: z.string(),
  number: z.string().nullable(),
  title: z.string(),
  field: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});
export type FieldChange = z.infer<typeof FieldChange>;

export const threadFates = ['passage_changed', 'accepted', 'declined', 'resolved', 'detached', 'open'] as const;
export type ThreadFate = z.infer<typeof ThreadFateEntry>;
export const ThreadFateEntry = z.object({
  threadId: Id,
  fate: z.enum(threadFates),
  /** For `passage_changed`: the stakeholder groups whose edits changed the passage. */
  groups: z.array(z.enum(stakeholderGroups)),
  /** For `declined`: the drafter's reason. */
  reason: z.string().nullable(),
  /** The words the thread is about (the original ones, for an accepted proposal). */
  quote: z.string(),
});

/** Characters added and removed between the two ends, per stakeholder group ("unknown" for unattributed text). */
export const GroupCounts = z.record(z.string(), z.object({ added: z.number().int(), removed: z.number().int() }));

export const DocumentDiff = z.object({
  from: z.object({ versionId: Id.nullable(), at: z.iso.datetime().nullable() }),
  to: z.object({ versionId: Id.nullable(), at: z.iso.datetime().nullable() }),
  blocks: z.array(DiffBlock),
  fields: z.array(FieldChange),
  counts: GroupCounts,
  threads: z.array(ThreadFateEntry),
});
export type DocumentDiff = z.infer<typeof DocumentDiff>;

/** A version for read-only viewing: the document as it was, as one Yjs update (base64). */
export const VersionContent = z.object({ version: Version, update: z.string() });
export type VersionContent = z.infer<typeof VersionContent>;
