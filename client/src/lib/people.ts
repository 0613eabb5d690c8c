import type { Member } from '../../../shared/accounts.ts';
import { groupColours, stakeholderGroups, type StakeholderGroup } from '../../../shared/groups.ts';
import { roles, type Role } from '../../../shared/permissions.ts';
import type { Consultation } from '../../../shared/schemas.ts';
import { t } from './i18n/i18n.svelte.ts';

/** As the server's account rules: display names up to 80 characters, passwords of at least 10. */
export const NAME_MAX_LENGTH = 80;
export const PASSWORD_MIN_LENGTH = 10;

export function isStakeholderGroup(value: unknown): value is StakeholderGroup {
  return typeof value === 'string' && (stakeholderGroups as readonly string[]).includes(value);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

export function cleanName(value: unknown): string {
  return typeof value === 'string' ? value.replace(/\s+/g, ' ').trim().slice(0, NAME_MAX_LENGTH) : '';
}

/** "Civil society participant 7": how a member is named when their identity is hidden. */
export function aliasLabel(group: StakeholderGroup, alias: number): string {
  return t(`alias.${group}`, { alias });
}

/** How minutes and reports name someone (alias and group only): "former participant (group)" once erased. */
export function faceLabel(face: { group: StakeholderGroup; alias: number; former?: boolean }): string {
  return face.former ? t('personalData.formerParticipant', { group: t(`groups.${face.group}`) }) : aliasLabel(face.group, face.alias);
}

/** A member's name as the viewer may see it: the display name, or the alias label when it is hidden; "former participant" once erased. */
export function memberName(member: Pick<Member, 'displayName' | 'group' | 'alias'> & { former?: boolean }): string {
  if (member.former) return t('personalData.formerParticipant', { group: t(`groups.${member.group}`) });
  return member.displayName ?? aliasLabel(member.group, member.alias);
}

/**
 * How a participant is shown in a document (cursor label, people list). The
 * others' come from the server (`AwarenessUser` in awareness); one's own is
 * worked out here, for one's own screen only. `alias`, when present, means
 * the alias label is shown, in the reader's own language, instead of `name`.
 */
export interface PublishedUser {
  name: string;
  group: StakeholderGroup;
  color: string;
  alias?: number;
}

/**
 * How this participant appears in their own people list, as the server shows
 * them to the others: known only by alias and group whenever the member list
 * shows them so (the server's `nameHidden`: the consultation hides
 * identities, or they have not chosen to show their name).
 */
export function publishedUser(displayName: string, consultation: Pick<Consultation, 'you'>): PublishedUser {
  const { group, alias, nameHidden } = consultation.you;
  const color = groupColours[group];
  if (nameHidden) {
    return { name: aliasLabel(group, alias), group, color, alias };
  }
  return { name: cleanName(displayName) || aliasLabel(group, alias), group, color };
}
