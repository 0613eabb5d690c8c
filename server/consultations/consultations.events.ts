import { rooms } from '../../shared/events.ts';
import { Id } from '../../shared/schemas.ts';
import { socketHandlers } from '../realtime/handlers.ts';
import type { IO, ClientSocket } from '../realtime/socket.ts';
import type { Logger } from '../logger.ts';
import type { ConsultationsService } from './consultations.service.ts';
import type { DomainEventBus } from '../events.ts';

/**
 * Live following of a consultation. Only members join its room; what happens
 * in it reaches them, and a removed member or an ended session is cut off at once.
 */
export function consultationEvents(io: IO, consultations: ConsultationsService, events: DomainEventBus, logger: Logger) {
  const room = rooms.consultation;
  events.on('documentCreated', (d) => io.to(room(d.consultationId)).emit('document:created', d));
  events.on('documentChanged', (d) => io.to(room(d.consultationId)).emit('document:updated', d));
  events.on('consultationChanged', (c) => io.to(room(c.id)).emit('consultation:updated', c));
  events.on('versionCreated', (consultationId, version) => io.to(room(consultationId)).emit('version:created', version));
  events.on('recommendationsChanged', (consultationId) => io.to(room(consultationId)).emit('recommendations:changed', consultationId));
  events.on('membershipChanged', (consultationId) => io.to(room(consultationId)).emit('members:changed', consultationId));
  events.on('membershipRemoved', (consultationId, userId) => {
    for (const socket of io.of('/').sockets.values()) {
      if (socket.data.userId !== userId || !socket.rooms.has(room(consultationId))) continue;
      void socket.leave(room(consultationId));
      socket.emit('consultation:removed', consultationId);
    }
    io.to(room(consultationId)).emit('members:changed', consultationId);
  });
  events.on('sessionRevoked', (sessionId) => {
    for (const socket of io.of('/').sockets.values()) if (socket.data.sessionId === sessionId) socket.disconnect(true);
  });

  return (socket: ClientSocket) => {
    const on = socketHandlers(socket, logger);
    on('consultation:watch', Id, async (id) => {
      const consultation = await consultations.get(socket.data.userId, id);
      await socket.join(room(consultation.id));
      return consultation;
    });
    on('consultation:unwatch', Id, async (id) => {
      await socket.leave(room(id));
      return null;
    });
  };
}
