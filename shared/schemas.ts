import { z } from 'zod';
import { defaultLimits } from './limits.ts';
import { phases, stakeholderGroups } from './groups.ts';
import { roles } from './permissions.ts';

/** Ids are server-made UUIDs; anything else is refused before it reaches a store. */
export const Id = z.uuid();

const text = (max: number) => z.string().trim().max(max);

export const CreateConsultationInput = z.object({
  title: text(200).min(1),
  summary: text(5000).default(''),
  /** ISO 3166-1 alpha-2 code, or empty when the consultation is regional. */
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^([A-Z]{2})?$/)
    .default(''),
  /**
   * When set, contributors and observers see one another only by alias and
   * stakeholder group. On unless the creator turns it off: it exposes the fewest people.
   */
  hideIdentities: z.boolean().default(true),
  /** The creator's own stakeholder group (the creator becomes its first facilitator). */
  group: z.enum(stakeholderGroups).default('other'),
  organisation: z.string().trim().max(120).optional(),
});
export type CreateConsultationInput = z.infer<typeof CreateConsultationInput>;

export const UpdateConsultationInput = z
  .object({
    title: text(200).min(1).optional(),
    summary: text(5000).optional(),
    country: z.string().trim().toUpperCase().regex(/^([A-Z]{2})?$/).optional(),
    hideIdentities: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Nothing to change');
export type UpdateConsultationInput = z.infer<typeof UpdateConsultationInput>;

/** Why, for the audit log (optional everywhere it appears). */
export const AuditReason = z.string().trim().min(1).max(500);

export const ChangePhaseInput = z.object({
  phase: z.enum(phases),
  reason: AuditReason.optional(),
  /**
   * Adopting with open threads or pending proposals closes them for good; the
   * server asks for this (error `confirmation_required`, with the list) first.
   */
  confirm: z.boolean().optional(),
});
export type ChangePhaseInput = z.infer<typeof ChangePhaseInput>;

/** The caller's own membership, sent with a consultation so the client knows what to show. */
export const YourMembership = z.object({
  memberId: Id,
  role: z.enum(roles),
  group: z.enum(stakeholderGroups),
  alias: z.number().int().positive(),
  /** While set and in the future, you may not comment, take positions, raise your hand or take the floor. */
  mutedUntil: z.iso.datetime().nullable(),
  /**
   * Your own choice to let other members see your name. Off for anyone who
   * joined, or was a member, while identities were hidden, until they turn it on.
   */
  showName: z.boolean(),
  /** Whether other members (facilitators aside) see you only by alias and group right now. */
  nameHidden: z.boolean(),
});
export type YourMembership = z.infer<typeof YourMembership>;

export const Consultation = z.object({
  id: Id,
  title: z.string(),
  summary: z.string(),
  country: z.string(),
  phase: z.enum(phases),
  hideIdentities: z.boolean(),
  you: YourMembership,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Consultation = z.infer<typeof Consultation>;

/** A member's own choice to show their name to the other members (`PUT /consultations/:id/identity`). */
export const SetIdentityInput = z.object({ showName: z.boolean() });
export type SetIdentityInput = z.infer<typeof SetIdentityInput>;

export const CreateDocumentInput = z.object({
  title: text(200).min(1),
});
export type CreateDocumentInput = z.infer<typeof CreateDocumentInput>;

export const DocumentMeta = z.object({
  id: Id,
  consultationId: Id,
  title: z.string(),
  /** A locked document accepts no edits from anyone until a facilitator unlocks it. */
  locked: z.boolean(),
  /**
   * Set while a facilitator has archived the document: it leaves the plan's
   * document list and accepts no edits, but stays readable, in the audit log
   * and restorable.
   */
  archivedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type DocumentMeta = z.infer<typeof DocumentMeta>;

export const LockDocumentInput = z.object({ locked: z.boolean(), reason: AuditReason.optional() });
export type LockDocumentInput = z.infer<typeof LockDocumentInput>;

export const RenameDocumentInput = z.object({ title: CreateDocumentInput.shape.title });
export type RenameDocumentInput = z.infer<typeof RenameDocumentInput>;

/** Archiving or restoring a document; the reason goes to the audit log. */
export const ArchiveDocumentInput = z.object({ reason: AuditReason.optional() });
export type ArchiveDocumentInput = z.infer<typeof ArchiveDocumentInput>;

/** Cursor pagination: lists come newest first; `cursor` is opaque to clients. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(defaultLimits.maxPageSize).default(defaultLimits.pageSize),
  cursor: z.string().max(200).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

/** A consultation's documents: the plan's (default), or with `archived=true` the archived ones (facilitators). */
export const DocumentListQuery = PageQuery.extend({ archived: z.stringbool().default(false) });
export type DocumentListQuery = z.infer<typeof DocumentListQuery>;

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

export const Health = z.object({
  status: z.literal('ok'),
  store: z.enum(['embedded', 'mongodb']),
  version: z.string(),
});
export type Health = z.infer<typeof Health>;
