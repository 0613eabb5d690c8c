import type { StakeholderGroup } from '../../shared/groups.ts';
import { IdRanges } from './attribution.ranges.ts';

/**
 * Who a change is attributed to: the membership that sent it (or on whose
 * behalf the server made it, such as a drafter accepting a proposal) and its
 * stakeholder group at the time. Membership ids only: names and aliases are
 * looked up per viewer when shown, so identity hiding applies to history too.
 */
export interface Editor {
  membershipId: string;
  group: StakeholderGroup;
}

/**
 * A run of one member's edits, as stored with the update log: the items they
 * inserted and the items they deleted (Yjs ids, as clock ranges), from `at`
 * (their first edit in the run) to `to` (their last).
 */
export interface StoredRun {
  m: string;
  g: StakeholderGroup;
  at: string;
  to: string;
  ins: Uint8Array;
  del: Uint8Array;
}

export interface Run extends Editor {
  at: number;
  to: number;
  ins: IdRanges;
  del: IdRanges;
}

/** Edits of one member further apart than this start a new run when runs are merged (an editing session). */
export const sessionGapMs = 10 * 60_000;

export const encodeRun = (r: Run): StoredRun => ({
  m: r.membershipId,
  g: r.group,
  at: new Date(r.at).toISOString(),
  to: new Date(r.to).toISOString(),
  ins: r.ins.encode(),
  del: r.del.encode(),
});

export const decodeRun = (s: StoredRun): Run => ({
  membershipId: s.m,
  group: s.g,
  at: Date.parse(s.at),
  to: Date.parse(s.to),
  ins: IdRanges.decode(s.ins),
  del: IdRanges.decode(s.del),
});

/**
 * Attribution not yet stored: one run per member (and group) for the updates
 * of one write batch. Merging adjacent ranges as they arrive keeps a batch of
 * fast typing to a few numbers.
 */
export class PendingRuns {
  #runs = new Map<string, Run>();

  get empty(): boolean {
    return this.#runs.size === 0;
  }

  /** The run to add one update's ranges to. */
  of(editor: Editor, now = Date.now()): Run {
    const key = `${editor.membershipId}\u0000${editor.group}`;
    let run = this.#runs.get(key);
    if (!run) this.#runs.set(key, (run = { ...editor, at: now, to: now, ins: new IdRanges(), del: new IdRanges() }));
    run.to = Math.max(run.to, now);
    return run;
  }

  absorb(other: PendingRuns): void {
    for (const r of other.#runs.values()) {
      const run = this.of(r, r.to);
      run.at = Math.min(run.at, r.at);
      run.ins.addAll(r.ins);
      run.del.addAll(r.del);
    }
  }

  runs(): Run[] {
    return [...this.#runs.values()].filter((r) => !r.ins.empty || !r.del.empty);
  }

  encode(): StoredRun[] {
    return this.runs().map(encodeRun);
  }
}

/**
 * What a compacted entry keeps of the entries it replaces: their runs merged
 * per member and editing session (runs of the same member and group less than
 * `sessionGapMs` apart become one, their ranges merged). A range stored twice
 * (entries compacted again after a crash left them beside their compacted
 * entry) merges into itself, so nothing is counted twice and nothing is lost.
 */
export function mergeRuns(stored: readonly StoredRun[], gapMs = sessionGapMs): StoredRun[] {
  const runs = stored.map(decodeRun).sort((a, b) => a.membershipId.localeCompare(b.membershipId) || a.group.localeCompare(b.group) || a.at - b.at);
  const out: Run[] = [];
  for (const run of runs) {
    const last = out.at(-1);
    if (last && last.membershipId === run.membershipId && last.group === run.group && run.at <= last.to + gapMs) {
      last.to = Math.max(last.to, run.to);
      last.ins.addAll(run.ins);
      last.del.addAll(run.del);
    } else out.push(run);
  }
  return out.sort((a, b) => a.at - b.at).map(encodeRun);
}
