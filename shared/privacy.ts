import { z } from 'zod';
import { Id } from './schemas.ts';
import { locales } from './accounts.ts';
import { stakeholderGroups } from './groups.ts';
import { roles } from './permissions.ts';
import { auditActions } from './audit.ts';
import { stances } from './comments.ts';

/** Deleting one's account is confirmed with the password, as a password change is. */
export const DeleteAccountInput = z.object({ password: z.string().min(1).max(256) });
export type DeleteAccountInput = z.infer<typeof DeleteAccountInput>;

const Detail = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/**
 * Everything Convene holds about one person, as they download it. Only their
 * own identity appears: other members are absent, and audit entries about
 * them done by someone else keep only that person's role and group.
 */
export const PersonalDataExport = z.object({
  format: z.literal('convene-personal-data'),
  version: z.literal(1),
  exportedAt: z.iso.datetime(),
  account: z.object({ id: Id, email: z.string(), displayName: z.string(), language: z.enum(locales), createdAt: z.iso.datetime() }),
  sessions: z.array(z.object({ createdAt: z.iso.datetime(), lastSeenAt: z.iso.datetime(), expiresAt: z.iso.datetime() })),
  memberships: z.array(
    z.object({
      consultationId: Id,
      consultationTitle: z.string(),
      memberId: Id,
      role: z.enum(roles),
      group: z.enum(stakeholderGroups),
      organisation: z.string().nullable(),
      alias: z.number().int(),
      joinedAt: z.iso.datetime(),
    }),
  ),
  comments: z.array(
    z.object({
      consultationId: Id,
      documentId: Id,
      threadId: Id,
      commentId: Id,
      body: z.string().nullable(),
      deleted: z.boolean(),
      hiddenByFacilitator: z.boolean(),
      createdAt: z.iso.datetime(),
      editedAt: z.iso.datetime().nullable(),
    }),
  ),
  positions: z.array(z.object({ consultationId: Id, threadId: Id, stance: z.enum(stances), group: z.enum(stakeholderGroups) })),
  proposals: z.array(z.object({ consultationId: Id, threadId: Id, text: z.string(), status: z.string(), reason: z.string().nullable(), decidedAt: z.string().nullable() })),
  /** Votes in named polls only: an anonymous poll's ballot cannot be traced back to anyone, its voter included. */
  votes: z.array(z.object({ consultationId: Id, pollId: Id, question: z.string(), option: z.string() })),
  audit: z.array(
    z.object({
      consultationId: Id,
      id: Id,
      action: z.enum(auditActions),
      at: z.iso.datetime(),
      /** Whether the entry records something you did, or something done about you (by someone shown only by role and group). */
      as: z.enum(['actor', 'subject']),
      by: z.object({ role: z.enum(roles), group: z.enum(stakeholderGroups) }).nullable(),
      subject: z.object({ type: z.string(), id: z.string(), name: z.string().nullable() }).nullable(),
      reason: z.string().nullable(),
      details: z.record(z.string(), Detail),
    }),
  ),
});
export type PersonalDataExport = z.infer<typeof PersonalDataExport>;
