import type { Poll, PollResults, ResultsVisibility } from '../../shared/polls.ts';
import { stakeholderGroups, type Phase, type StakeholderGroup } from '../../shared/groups.ts';
import { can, type Role } from '../../shared/permissions.ts';
import type { BallotRecord, PollRecord } from './polls.repository.ts';

/** Who is looking at a poll: what they may see depends on their role, and on whether they have voted. */
export interface PollViewer {
  role: Role;
  /** The consultation's phase, for the permission table. */
  phase: Phase;
  voted: boolean;
  /** The viewer's own vote, in replies to them only (undefined leaves it out, for broadcasts). */
  yours?: number | null;
}

/** Polls from before the setting existed get the most private default. */
export const resultsVisibilityOf = (poll: PollRecord): ResultsVisibility => poll.resultsVisibility ?? 'afterVote';

/** Whether the viewer may see the counts yet; a closed poll's results are everyone's. */
export function resultsVisible(poll: PollRecord, viewer: Pick<PollViewer, 'voted'>): boolean {
  const visibility = resultsVisibilityOf(poll);
  return poll.status === 'closed' || visibility === 'always' || (visibility === 'afterVote' && viewer.voted);
}

function results(poll: PollRecord, ballots: BallotRecord[]): PollResults {
  const zero = () => poll.options.map(() => 0);
  const byOption = zero();
  const byGroup = Object.fromEntries(stakeholderGroups.map((g) => [g, zero()])) as Record<StakeholderGroup, number[]>;
  for (const b of ballots) {
    byOption[b.option]++;
    byGroup[b.group][b.option]++;
  }
  return { total: ballots.length, byOption, byGroup };
}

/**
 * A poll as one viewer may see it. Every channel (REST, acknowledgements and
 * the per-socket `poll:changed`) goes through here, so no route can show more.
 */
export function pollToWire(poll: PollRecord, ballots: BallotRecord[], viewer: PollViewer): Poll {
  const visible = resultsVisible(poll, viewer);
  const votes =
    poll.anonymous || !visible || !can(viewer.role, viewer.phase, 'votes.view')
      ? null
      : ballots
          .filter((b) => b.voter)
          .map((b) => ({ memberId: b.voter!.memberId, alias: b.voter!.alias, role: b.voter!.role, group: b.group, option: b.option }))
          .sort((a, b) => a.alias - b.alias);
  return {
    id: poll._id,
    consultationId: poll.consultationId,
    meetingId: poll.meetingId,
    question: poll.question,
    options: poll.options,
    anonymous: poll.anonymous,
    resultsVisibility: resultsVisibilityOf(poll),
    status: poll.status,
    results: visible ? results(poll, ballots) : null,
    votes,
    ...(viewer.yours === undefined ? {} : { yours: viewer.yours }),
    seq: poll.seq,
    createdAt: poll.createdAt,
    closedAt: poll.closedAt,
  };
}
