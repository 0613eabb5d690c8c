import type { StakeholderGroup } from '../../shared/groups.ts';
import type { QueueRecord } from './meetings.repository.ts';

/** Joins the queue at the end; a member already in it keeps their place. */
export function raiseHand(queue: QueueRecord[], entry: QueueRecord): QueueRecord[] {
  return queue.some((q) => q.memberId === entry.memberId) ? queue : [...queue, entry];
}

export function lowerHand(queue: QueueRecord[], memberId: string): QueueRecord[] {
  return queue.filter((q) => q.memberId !== memberId);
}

/** Moves a queued member to `position` (clamped to the end); null if they are not queued. */
export function moveInQueue(queue: QueueRecord[], memberId: string, position: number): QueueRecord[] | null {
  const entry = queue.find((q) => q.memberId === memberId);
  if (!entry) return null;
  const rest = lowerHand(queue, memberId);
  rest.splice(Math.min(position, rest.length), 0, entry);
  return rest;
}

/**
 * Who speaks next: the head of the queue or, when alternating, the first
 * queued member of another group than the last speaker's, so that no group
 * holds the floor turn after turn while others wait. With nobody from
 * another group waiting, the head of the queue speaks.
 */
export function nextSpeaker(queue: QueueRecord[], alternate: boolean, lastGroup: StakeholderGroup | null): QueueRecord | null {
  if (alternate && lastGroup) {
    const other = queue.find((q) => q.group !== lastGroup);
    if (other) return other;
  }
  return queue[0] ?? null;
}
