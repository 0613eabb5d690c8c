import type { Store } from './store/types.ts';
import type { Logger } from './logger.ts';
import type { DomainEventBus } from './events.ts';
import type { Access } from './members/access.ts';
import type { AuditLog } from './audit/audit.service.ts';
import type { CommentsService } from './comments/comments.service.ts';
import type { ApiRegistry } from './http/route.ts';
import type { ClientSocket, IO } from './realtime/socket.ts';
import { MeetingPresence } from './meetings/presence.ts';
import { MeetingChanges } from './meetings/meeting.changes.ts';
import { MeetingsService } from './meetings/meetings.service.ts';
import { SpeakingService } from './meetings/speaking.service.ts';
import { ensureMeetingIndexes } from './meetings/meetings.repository.ts';
import { meetingsRoutes } from './meetings/meetings.routes.ts';
import { meetingEvents } from './meetings/meetings.events.ts';
import { meetingReactions } from './meetings/meetings.reactions.ts';
import { PollsService } from './polls/polls.service.ts';
import { ensurePollIndexes } from './polls/polls.repository.ts';
import { ModerationService } from './moderation/moderation.service.ts';
import { MutesService } from './moderation/mutes.service.ts';
import { ensureModerationIndexes } from './moderation/moderation.repository.ts';
import { moderationRoutes } from './moderation/moderation.routes.ts';
import { moderationEvents } from './moderation/moderation.events.ts';
import type { MeetingMinutes } from './minutes/minutes.service.ts';
import { MinutesRecorder } from './minutes/minutes.recorder.ts';
import { ensureMinutesIndexes } from './minutes/minutes.repository.ts';
import { minutesRoutes } from './minutes/minutes.routes.ts';
import { minutesEvents } from './minutes/minutes.events.ts';

export interface FacilitationDeps {
  access: Access;
  events: DomainEventBus;
  audit: AuditLog;
  comments: CommentsService;
  minutes: MeetingMinutes;
  logger: Logger;
}

/**
 * Live sessions and moderation — meetings, the speaking queue, polls, flags
 * and mutes — built in one place because they share the meetings' lock and
 * presence, and react to one another (a mute takes the floor away, an
 * adoption ends meetings and closes polls).
 */
export async function facilitation(store: Store, { access, events, audit, comments, minutes, logger }: FacilitationDeps) {
  await Promise.all([ensureMeetingIndexes(store), ensurePollIndexes(store), ensureModerationIndexes(store), ensureMinutesIndexes(store)]);
  const changes = new MeetingChanges(store, access, events, new MeetingPresence());
  // The minutes are written as the meeting changes, under its lock; turns a stop left open are settled first.
  const recorder = new MinutesRecorder(store, minutes, logger);
  await recorder.reconcile();
  changes.recorder = recorder;
  const polls = new PollsService(store, access, events, changes, audit);
  await polls.sweepSecrets();
  const meetings = new MeetingsService(store, access, events, changes, polls, audit);
  const speaking = new SpeakingService(store, access, changes);
  const moderation = new ModerationService(store, access, events, comments, audit);
  const mutes = new MutesService(store, access, events, audit);
  meetingReactions(events, meetings, speaking, logger);
  events.on('commentDeleted', (commentId) => moderation.refresh(commentId).catch((err: unknown) => logger.error({ err }, 'refreshing a moderated comment failed')));

  return {
    routes(api: ApiRegistry): void {
      meetingsRoutes(api, meetings, polls);
      moderationRoutes(api, moderation, mutes);
      minutesRoutes(api, minutes);
    },
    sockets(io: IO): (socket: ClientSocket) => void {
      const onMeetings = meetingEvents(io, { meetings, speaking, polls }, events, logger);
      const onModeration = moderationEvents(io, moderation, mutes, events, logger);
      const onMinutes = minutesEvents(io, minutes, events, logger);
      return (socket) => {
        onMeetings(socket);
        onModeration(socket);
        onMinutes(socket);
      };
    },
  };
}
