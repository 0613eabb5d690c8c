import { groupColours, stakeholderGroups, type StakeholderGroup } from '../../../shared/groups.ts';
import type { AwarenessUser } from '../../../shared/collab.ts';

/**
 * Until accounts exist, a participant is only a display name (often a
 * pseudonym) and a stakeholder group, kept in this browser and nowhere else.
 */
export interface Identity {
  name: string;
  group: StakeholderGroup;
}

export const STORAGE_KEY = 'convene.identity';
export const NAME_MAX_LENGTH = 60;

export function isStakeholderGroup(value: unknown): value is StakeholderGroup {
  return typeof value === 'string' && (stakeholderGroups as readonly string[]).includes(value);
}

export function cleanName(value: unknown): string {
  return typeof value === 'string' ? value.replace(/\s+/g, ' ').trim().slice(0, NAME_MAX_LENGTH) : '';
}

function load(): Identity | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<Identity> | null;
    const name = cleanName(value?.name);
    return name && isStakeholderGroup(value?.group) ? { name, group: value.group } : null;
  } catch {
    return null;
  }
}

class IdentityStore {
  #value = $state<Identity | null>(load());

  get value(): Identity | null {
    return this.#value;
  }

  set(identity: Identity): void {
    const value: Identity = { name: cleanName(identity.name), group: identity.group };
    this.#value = value;
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(value));
    } catch {
      // storage may be disabled: the identity then lasts for this visit
    }
  }
}

export const identity = new IdentityStore();

/** What this participant publishes in Yjs awareness. */
export function awarenessUser(value: Identity): AwarenessUser {
  return { name: value.name, group: value.group, color: groupColours[value.group] };
}
