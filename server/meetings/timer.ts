import type { Timer } from '../../shared/meetings.ts';
import type { TimerRecord } from './meetings.repository.ts';

const elapsed = (t: TimerRecord, now: number) => t.elapsedMs + (t.runningSince ? Math.max(0, now - Date.parse(t.runningSince)) : 0);

export function startTimer(t: TimerRecord | null, seconds: number | undefined, now: number): TimerRecord | null {
  if (seconds !== undefined) return { durationMs: seconds * 1000, elapsedMs: 0, runningSince: new Date(now).toISOString() };
  // Resuming: nothing to resume, already running, or already run out.
  if (!t || t.runningSince || t.elapsedMs >= t.durationMs) return t;
  return { ...t, runningSince: new Date(now).toISOString() };
}

export function pauseTimer(t: TimerRecord | null, now: number): TimerRecord | null {
  if (!t?.runningSince) return t;
  return { ...t, elapsedMs: Math.min(t.durationMs, elapsed(t, now)), runningSince: null };
}

export function resetTimer(t: TimerRecord | null): TimerRecord | null {
  return t && { ...t, elapsedMs: 0, runningSince: null };
}

/**
 * The timer when the floor passes to someone else: each speaker gets the
 * full time the facilitator set, counting from the moment they get the floor
 * (nobody inherits a run-out "Time is up", and the chair need not click Start
 * in the same breath as giving the floor). With nobody holding the floor the
 * clock stops at its full duration. No timer set: none is started.
 */
export function timerForFloor(t: TimerRecord | null, speaking: boolean, now: number): TimerRecord | null {
  if (!t) return null;
  return { durationMs: t.durationMs, elapsedMs: 0, runningSince: speaking ? new Date(now).toISOString() : null };
}

/** The timer as sent: `remainingMs` as of `now`, never below zero. */
export function timerToWire(t: TimerRecord | null, now: number): Timer | null {
  if (!t) return null;
  const spent = elapsed(t, now);
  return { durationMs: t.durationMs, elapsedMs: t.elapsedMs, runningSince: t.runningSince, remainingMs: Math.max(0, t.durationMs - spent) };
}
