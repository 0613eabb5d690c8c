import type { Store } from '../store/types.ts';
import type { Minutes } from '../../shared/minutes.ts';
import { meetingsCollection, type MeetingRecord } from '../meetings/meetings.repository.ts';
import { ballotsCollection, pollsCollection } from '../polls/polls.repository.ts';
import { pollToWire } from '../polls/polls.view.ts';
import type { MinutesSource } from './minutes.source.ts';

/**
 * The minutes of a consultation's meetings as far as the meeting records
 * alone tell them: title, times, agenda and the polls with their published
 * results. Callers check access first.
 */
export class MeetingMinutes implements MinutesSource {
  constructor(private readonly store: Store) {}

  async ofConsultation(consultationId: string): Promise<Minutes[]> {
    const meetings = await meetingsCollection(this.store).find({ consultationId }, { sort: { startsAt: 1, createdAt: 1 } });
    return Promise.all(meetings.map((m) => this.of(m)));
  }

  async ofMeeting(meetingId: string): Promise<Minutes | null> {
    const meeting = await meetingsCollection(this.store).findOne({ _id: meetingId });
    return meeting && this.of(meeting);
  }

  private async of(meeting: MeetingRecord): Promise<Minutes> {
    const polls = await pollsCollection(this.store).find({ meetingId: meeting._id }, { sort: { createdAt: 1 } });
    const minutesPolls = await Promise.all(
      polls.map(async (poll) => {
        const ballots = await ballotsCollection(this.store).find({ pollId: poll._id });
        // Minutes are for everyone in the room: only what a closed poll publishes, never who voted what.
        const wire = pollToWire(poll, ballots, { role: 'observer', phase: 'closed', voted: false });
        return { pollId: poll._id, agendaItem: null, question: poll.question, options: poll.options, status: poll.status, results: wire.results };
      }),
    );
    return {
      meetingId: meeting._id,
      consultationId: meeting.consultationId,
      title: meeting.title,
      startsAt: meeting.startsAt,
      startedAt: meeting.startedAt,
      endedAt: meeting.endedAt,
      agenda: meeting.agenda,
      speeches: [],
      decisions: [],
      polls: minutesPolls,
      notes: { general: '', items: meeting.agenda.map(() => '') },
      editedAt: null,
    };
  }
}
