import type { Poll, PollResults } from '../../shared/polls.ts';
import { stakeholderGroups, type StakeholderGroup } from '../../shared/groups.ts';
import type { BallotRecord, PollRecord } from './polls.repository.ts';

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

/** A poll as it goes on the wire; `yours` only in replies to the voter (undefined leaves it out, for broadcasts). */
export function pollToWire(poll: PollRecord, ballots: BallotRecord[], yours?: number | null): Poll {
  const votes = poll.anonymous
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
    status: poll.status,
    results: results(poll, ballots),
    votes,
    ...(yours === undefined ? {} : { yours }),
    seq: poll.seq,
    createdAt: poll.createdAt,
    closedAt: poll.closedAt,
  };
}
