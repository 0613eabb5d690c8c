import type { DomainEventBus } from '../events.ts';
import type { Logger } from '../logger.ts';
import type { MeetingsService } from './meetings.service.ts';
import type { SpeakingService } from './speaking.service.ts';

/** How meetings follow what happens elsewhere in a consultation. */
export function meetingReactions(events: DomainEventBus, meetings: MeetingsService, speaking: SpeakingService, logger: Logger): void {
  const run = (what: string, work: Promise<unknown>) => void work.catch((err: unknown) => logger.error({ err }, what));
  // A muted member gives up the floor and leaves the queue at once.
  events.on('memberMuted', (consultationId, memberId) => run('silencing a muted member failed', speaking.silence(consultationId, memberId)));
  events.on('membershipRemoved', (consultationId, userId) => {
    meetings.removed(consultationId, userId);
    run('removing a member from meetings failed', speaking.removed(consultationId, userId));
  });
  // An adopted plan is a record: its meetings end and their polls close (deleting anonymous polls' secrets).
  events.on('consultationChanged', (c) => {
    if (c.phase === 'adopted') run('ending meetings on adoption failed', meetings.endAllIn(c.id, 'The plan was adopted'));
  });
}
