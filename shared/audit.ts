import { z } from 'zod';
import { Id, PageQuery } from './schemas.ts';
import { stakeholderGroups } from './groups.ts';
import { roles } from './permissions.ts';

/** Everything the audit log records. Votes are never recorded: anonymous polls stay anonymous. */
export const auditActions = [
  'consultation.created',
  'consultation.updated',
  'consultation.phase_changed',
  'invitation.created',
  'invitation.revoked',
  'member.joined',
  'member.updated',
  'member.role_changed',
  'member.removed',
  'member.muted',
  'member.unmuted',
  'document.locked',
  'document.unlocked',
  'moderation.flagged',
  'moderation.hidden',
  'moderation.restored',
  'moderation.dismissed',
  'meeting.scheduled',
  'meeting.updated',
  'meeting.started',
  'meeting.ended',
  'poll.opened',
  'poll.closed',
  'document.renamed',
  'document.archived',
  'document.restored',
  'thread.closed_at_adoption',
  'proposal.lapsed',
  'recommendations.imported',
  'recommendation.added',
  'recommendation.edited',
  'action.recommendations_changed',
  'action.sdg_targets_changed',
  // The conversation on the text (server/comments/comments.audit.ts). Comment bodies are never copied in.
  'thread.created',
  'comment.replied',
  'comment.edited',
  'comment.deleted',
  'thread.resolved',
  'thread.reopened',
  'position.taken',
  'position.changed',
  'position.withdrawn',
  'proposal.made',
  'proposal.accepted',
  'proposal.declined',
  'document.edited',
  'version.created',
  'version.restored',
  // Session minutes (server/minutes/): decisions and notes as facilitators keep them. Texts are not copied in.
  'minutes.decision_noted',
  'minutes.decision_edited',
  'minutes.decision_removed',
  'minutes.notes_edited',
  'minutes.speech_corrected',
  // Personal data (server/privacy/): recorded without names, the member only by id and alias.
  'member.account_deleted',
  'consultation.personal_data_erased',
  // The consultation taken away as an archive, and brought back from one (server/archive/).
  'consultation.exported',
  'consultation.imported',
] as const;
export type AuditAction = (typeof auditActions)[number];

export const auditSubjectTypes = ['consultation', 'member', 'invitation', 'document', 'comment', 'meeting', 'poll', 'thread', 'recommendation', 'action'] as const;

/** A detail value: kept flat so that the CSV export has one cell per entry. */
const Detail = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/**
 * One entry, as it was when it happened: names are those at the time. The
 * log is append-only; no API changes or deletes an entry.
 */
export const AuditEntry = z.object({
  id: Id,
  action: z.enum(auditActions),
  at: z.iso.datetime(),
  /**
   * Null when the server acted on its own (for example, ending meetings when a
   * plan is adopted), and for positions (`position.*`), which are recorded for
   * the member's group only (`details.group`), as members see them.
   */
  actor: z
    .object({
      memberId: Id,
      /** Empty when the viewer may not see who the member is (`identityVisible`): then only the alias. */
      displayName: z.string(),
      /** The member's alias (what others see where identities are hidden); absent only for members removed before aliases were kept. */
      alias: z.number().int().optional(),
      role: z.enum(roles),
      group: z.enum(stakeholderGroups),
    })
    .nullable(),
  /** For a member (`type: 'member'`), `name` follows the same rule as the actor's, and `alias` is theirs. */
  subject: z.object({ type: z.enum(auditSubjectTypes), id: z.string(), name: z.string().nullable(), alias: z.number().int().optional() }).nullable(),
  reason: z.string().nullable(),
  details: z.record(z.string(), Detail),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditFilter = z.object({
  action: z.enum(auditActions).optional(),
  /** A member id: only what this member did. */
  actor: Id.optional(),
});
export type AuditFilter = z.infer<typeof AuditFilter>;

export const AuditQuery = PageQuery.extend(AuditFilter.shape);
export type AuditQuery = z.infer<typeof AuditQuery>;
