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
  'version.created',
  'version.restored',
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
  /** Null when the server acted on its own (for example, ending meetings when a plan is adopted). */
  actor: z
    .object({ memberId: Id, displayName: z.string(), role: z.enum(roles), group: z.enum(stakeholderGroups) })
    .nullable(),
  subject: z.object({ type: z.enum(auditSubjectTypes), id: z.string(), name: z.string().nullable() }).nullable(),
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
