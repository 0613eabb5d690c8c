import type { Role } from '../../shared/permissions.ts';
import type { AwarenessUser } from '../../shared/collab.ts';
import { groupColours } from '../../shared/groups.ts';
import type { ConsultationRecord } from '../consultations/consultations.repository.ts';
import type { MembershipRecord } from './members.repository.ts';

/**
 * Who may see whose name: the one rule, for every view of a member (the
 * member list, and the labels beside cursors in documents). Comments,
 * meetings and polls carry only `publicFace`, and clients name people from
 * the member list, so they follow this rule without repeating it.
 *
 * A member's consent to be named is tied to a "hiding epoch" of the
 * consultation, which grows each time a facilitator turns hiding on. Someone
 * who joined, or was a member, while hiding was on holds no consent for the
 * current epoch, so turning hiding off later reveals nobody: each member
 * shows their name only by choosing to (`consentNow`). Turning hiding on
 * again voids every earlier consent at once, with no per-member writes, and a
 * member joining at that very moment holds the old epoch and stays hidden.
 */

type Consultation = Pick<ConsultationRecord, 'hideIdentities' | 'hidingEpoch'>;
type Member = Pick<MembershipRecord, '_id' | 'role' | 'namedInEpoch'>;

/** The consultation's current epoch. Records from before epochs count hiding that is on now as one epoch. */
export const hidingEpoch = (c: Consultation): number => c.hidingEpoch ?? (c.hideIdentities ? 1 : 0);

/** Members from before epochs (no field) consented to epoch 0: named where hiding was never on, hidden where it is on. */
const consentOf = (m: Pick<MembershipRecord, 'namedInEpoch'>): number | null => (m.namedInEpoch === undefined ? 0 : m.namedInEpoch);

/** Facilitators and drafters act in an official capacity: everyone sees who they are. */
const official = (role: Role) => role === 'facilitator' || role === 'drafter';

/** Whether members who are not facilitators see `member`'s name. */
export function namedToOthers(consultation: Consultation, member: Pick<MembershipRecord, 'role' | 'namedInEpoch'>): boolean {
  return official(member.role) || (!consultation.hideIdentities && showsName(consultation, member));
}

/** Whether `viewer` may see who `member` is (name, account id, organisation). Facilitators, who moderate, always may; so may the member. */
export function identityVisible(consultation: Consultation, viewer: Pick<MembershipRecord, '_id' | 'role'>, member: Member): boolean {
  if (viewer._id === member._id || viewer.role === 'facilitator') return true;
  return namedToOthers(consultation, member);
}

/** Whether the member has chosen to be named in the current epoch (their own setting, as they see it). */
export function showsName(consultation: Consultation, member: Pick<MembershipRecord, 'namedInEpoch'>): boolean {
  return consentOf(member) === hidingEpoch(consultation);
}

/** The `namedInEpoch` to store for a member's choice now. */
export const consentNow = (consultation: Consultation, showName: boolean): number | null => (showName ? hidingEpoch(consultation) : null);

/** The `namedInEpoch` of someone joining now: named only where names are shown and they did not ask otherwise. */
export const consentOnJoining = (consultation: Consultation, showName = true): number | null =>
  consentNow(consultation, !consultation.hideIdentities && showName);

/**
 * The fields to store when a facilitator changes `hideIdentities`: turning it
 * on starts a new epoch. A record from before epochs gets its epoch written
 * down either way, so that turning hiding off keeps it.
 */
export function hidingChange(before: Consultation, hideIdentities: boolean | undefined): { hidingEpoch?: number } {
  if (hideIdentities === undefined) return {};
  const epoch = hidingEpoch(before);
  if (hideIdentities && !before.hideIdentities) return { hidingEpoch: epoch + 1 };
  return before.hidingEpoch === undefined ? { hidingEpoch: epoch } : {};
}

/** What every member may see of anyone: a pseudonymous face (member id, alias, group, role), never a name. */
export const publicFace = (m: Pick<MembershipRecord, '_id' | 'alias' | 'group' | 'role' | 'formerSince'>) => ({
  memberId: m._id,
  alias: m.alias,
  group: m.group,
  role: m.role,
  ...(m.formerSince ? { former: true as const } : {}),
});

/** What every other member sees of `member` beside their cursor: never taken from the client. */
export function awarenessUserOf(
  consultation: Consultation,
  member: Member & Pick<MembershipRecord, 'alias' | 'group'>,
  displayName: string,
): AwarenessUser {
  const shown = namedToOthers(consultation, member) ? { name: displayName } : { alias: member.alias };
  return { ...shown, group: member.group, role: member.role, color: groupColours[member.group] };
}
