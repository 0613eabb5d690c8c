import { rooms } from '../../shared/events.ts';
import { Id } from '../../shared/schemas.ts';
import {
  AgendaMoveInput,
  AlternateGroupsInput,
  GiveFloorInput,
  LowerHandInput,
  MeetingRef,
  MoveInQueueInput,
  StartTimerInput,
} from '../../shared/meetings.ts';
import { OpenPollInput, PollRef, VoteInput } from '../../shared/polls.ts';
import { socketHandlers } from '../realtime/handlers.ts';
import type { IO, ClientSocket } from '../realtime/socket.ts';
import type { Logger } from '../logger.ts';
import type { DomainEventBus } from '../events.ts';
import type { MeetingsService } from './meetings.service.ts';
import type { SpeakingService } from './speaking.service.ts';
import type { PollsService } from '../polls/polls.service.ts';

/**
 * Meetings and polls over Socket.IO. Every change goes to the consultation's
 * room, so everyone following the consultation sees the meeting, whether or
 * not they have joined it.
 */
export function meetingEvents(io: IO, services: { meetings: MeetingsService; speaking: SpeakingService; polls: PollsService }, events: DomainEventBus, logger: Logger) {
  const { meetings, speaking, polls } = services;
  const room = rooms.consultation;
  events.on('meetingChanged', (m) => io.to(room(m.consultationId)).emit('meeting:changed', m));
  events.on('presenceChanged', (consultationId, meetingId, presence) => io.to(room(consultationId)).emit('meeting:presence', { meetingId, presence }));
  // Each follower gets the poll as they may see it: results only once theirs to see, named votes only for facilitators.
  events.on('pollChanged', (change) => {
    const followers = [...io.of('/').sockets.values()].filter((s) => s.rooms.has(room(change.poll.consultationId)));
    if (followers.length === 0) return;
    polls.viewsFor(change, [...new Set(followers.map((s) => s.data.userId))]).then(
      (views) => followers.forEach((s) => views.has(s.data.userId) && s.emit('poll:changed', views.get(s.data.userId)!)),
      (err: unknown) => logger.error({ err }, 'delivering a poll change failed'),
    );
  });

  return (socket: ClientSocket) => {
    const user = () => socket.data.userId;
    const on = socketHandlers(socket, logger);
    socket.on('disconnect', () => meetings.disconnected(socket.id));

    on('meeting:join', Id, async (meetingId) => {
      const meeting = await meetings.join(user(), meetingId, socket.id);
      await socket.join(room(meeting.consultationId));
      return { meeting, polls: await polls.list(user(), meetingId) };
    });
    on('meeting:leave', Id, async (meetingId) => {
      meetings.leave(meetingId, socket.id);
      return null;
    });
    on('meeting:start', MeetingRef, (i) => meetings.start(user(), i.meetingId));
    on('meeting:end', MeetingRef, (i) => meetings.end(user(), i.meetingId));
    on('meeting:agenda', AgendaMoveInput, (i) => meetings.moveAgenda(user(), i));

    on('hand:raise', MeetingRef, (i) => speaking.raiseHand(user(), i.meetingId));
    on('hand:lower', LowerHandInput, (i) => speaking.lowerHand(user(), i.meetingId, i.memberId));
    on('floor:give', GiveFloorInput, (i) => speaking.giveFloor(user(), i));
    on('queue:move', MoveInQueueInput, (i) => speaking.moveInQueue(user(), i.meetingId, i.memberId, i.position));
    on('queue:alternate', AlternateGroupsInput, (i) => speaking.setAlternation(user(), i.meetingId, i.enabled));
    on('timer:start', StartTimerInput, (i) => speaking.timer(user(), i.meetingId, { start: i.seconds }));
    on('timer:pause', MeetingRef, (i) => speaking.timer(user(), i.meetingId, 'pause'));
    on('timer:reset', MeetingRef, (i) => speaking.timer(user(), i.meetingId, 'reset'));

    on('poll:open', OpenPollInput, (i) => polls.open(user(), i));
    on('poll:vote', VoteInput, (i) => polls.vote(user(), i));
    on('poll:close', PollRef, (i) => polls.close(user(), i.pollId));
  };
}
