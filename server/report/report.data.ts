import type { Locale } from '../../client/src/lib/i18n/locales.ts';
import type { StakeholderGroup } from '../../shared/groups.ts';
import type { Minutes } from '../../shared/minutes.ts';
import type { Stance, ThreadStatus } from '../../shared/comments.ts';
import type { PlanAction } from '../../shared/plan-read.ts';

/**
 * Everything a report file holds, already decided: which words, which
 * counts, which people (as aliases and groups only). Plain data, so it
 * crosses to the layout thread as it is; each format only lays it out.
 */
export interface ReportData {
  locale: Locale;
  title: string;
  country: string;
  phase: string;
  generatedAt: string;
  documents: ReportDocument[];
  participation: GroupParticipation[];
  minutes: Minutes[];
  moderation: ModerationSummary;
}

/** One block of a document's text, in reading order; `fields`: a plan action's fields, below its heading. */
export type TextBlock =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'item'; text: string }
  | { kind: 'fields'; action: PlanAction };

export interface ReportDocument {
  title: string;
  blocks: TextBlock[];
  sections: ThreadSection[];
}

/** The threads anchored under one heading or plan block; `title` null: the passage is no longer in the text. */
export interface ThreadSection {
  title: string | null;
  threads: ReportThread[];
}

export interface Face {
  alias: number;
  group: StakeholderGroup;
  /** The person was erased: written "former participant (group)". */
  former?: boolean;
}

export interface ReportComment {
  author: Face;
  /** Null when the comment was deleted or is hidden: the file says which, never what it said. */
  body: string | null;
  state: 'shown' | 'deleted' | 'hidden';
  createdAt: string;
}

export interface ReportThread {
  quote: string;
  /** The group of whoever opened the thread. */
  group: StakeholderGroup;
  status: ThreadStatus;
  comments: ReportComment[];
  /** Stances per group, only groups that took one. */
  positions: { group: StakeholderGroup; counts: Record<Stance, number> }[];
  proposal: {
    text: string;
    status: 'pending' | 'accepted' | 'declined' | 'lapsed';
    reason: string | null;
    decidedBy: Face | null;
    /** The words an accepted proposal replaced. */
    replaced: string | null;
  } | null;
}

export interface GroupParticipation {
  group: StakeholderGroup;
  /** Seats offered by invitation links for this group. */
  invited: number;
  joined: number;
  /** Members who commented, took a position, proposed wording or spoke in a meeting. */
  active: number;
  comments: number;
  positions: number;
  proposals: number;
  accepted: number;
  speakingSeconds: number;
}

export interface ModerationSummary {
  /** Reported comments by where they stand now. */
  reported: { pending: number; hidden: number; restored: number; dismissed: number };
  /** Comments hidden now, by the reason members see in their place. */
  hiddenByReason: { reason: string; count: number }[];
}
