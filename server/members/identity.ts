import type { AwarenessUser } from '../../shared/collab.ts';
import { groupColours } from '../../shared/groups.ts';
import type { ConsultationRecord } from '../consultations/consultations.repository.ts';
import type { MembershipRecord } from './members.repository.ts';

/**
 * Whether `viewer` may see who `member` is; a null viewer stands for every
 * member at once (what is broadcast, such as a cursor label). Emails never
 * leave the server. When a consultation hides identities, only facilitators
 * (who moderate) see contributors' and observers' names; everyone sees
 * facilitators and drafters, who act in an official capacity.
 */
export function identityVisible(consultation: ConsultationRecord, viewer: MembershipRecord | null, member: MembershipRecord): boolean {
  if (!consultation.hideIdentities) return true;
  if (viewer && (viewer._id === member._id || viewer.role === 'facilitator')) return true;
  return member.role === 'facilitator' || member.role === 'drafter';
}

/** What every other member sees of `member` beside their cursor: never taken from the client. */
export function awarenessUserOf(consultation: ConsultationRecord, member: MembershipRecord, displayName: string): AwarenessUser {
  const shown = identityVisible(consultation, null, member) ? { name: displayName } : { alias: member.alias };
  return { ...shown, group: member.group, role: member.role, color: groupColours[member.group] };
}
