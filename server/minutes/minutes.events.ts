import { rooms } from '../../shared/events.ts';
import { NoteDecisionInput } from '../../shared/minutes.ts';
import { socketHandlers } from '../realtime/handlers.ts';
import type { IO, ClientSocket } from '../realtime/socket.ts';
import type { Logger } from '../logger.ts';
import type { DomainEventBus } from '../events.ts';
import type { MeetingMinutes } from './minutes.service.ts';

/**
 * Minutes over Socket.IO: every change goes to the consultation's room, like
 * the meeting itself (the minutes are the same for every member), and a
 * facilitator notes decisions during the session.
 */
export function minutesEvents(io: IO, minutes: MeetingMinutes, events: DomainEventBus, logger: Logger) {
  events.on('minutesChanged', (m) => io.to(rooms.consultation(m.consultationId)).emit('minutes:changed', m));
  // A poll's results go into the minutes when it closes.
  events.on('pollChanged', ({ poll }) => {
    if (poll.status === 'closed')
      minutes.changed({ _id: poll.meetingId, consultationId: poll.consultationId }).catch((err: unknown) => logger.error({ err }, 'announcing the minutes failed'));
  });

  return (socket: ClientSocket) => {
    const on = socketHandlers(socket, logger);
    on('minutes:decision', NoteDecisionInput, ({ meetingId, ...input }) => minutes.addDecision(socket.data.userId, meetingId, input));
  };
}
