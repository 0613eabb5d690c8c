import { rooms } from '../../shared/events.ts';
import type { IO, ClientSocket } from '../realtime/socket.ts';
import type { Logger } from '../logger.ts';
import type { NotificationsService } from './notifications.service.ts';

/**
 * Live notifications: every socket joins its own person's room when it
 * connects (the handshake is authenticated), and a notification goes to that
 * room only, never to a consultation's or document's room.
 */
export function notificationEvents(io: IO, notifications: NotificationsService, logger: Logger) {
  notifications.deliver = (userId, notification) => {
    void notifications
      .unread(userId)
      .then((unread) => io.to(rooms.user(userId)).emit('notification:new', { notification, unread }))
      .catch((err: unknown) => logger.error({ err }, 'a notification could not be delivered'));
  };
  return (socket: ClientSocket) => {
    void socket.join(rooms.user(socket.data.userId));
  };
}
