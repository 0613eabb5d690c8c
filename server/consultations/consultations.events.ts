import { rooms } from '../../shared/events.ts';
import { Id } from '../../shared/schemas.ts';
import { parse } from '../http/validate.ts';
import { acked } from '../realtime/ack.ts';
import type { IO, ClientSocket } from '../realtime/socket.ts';
import type { Logger } from '../logger.ts';
import type { ConsultationsService } from './consultations.service.ts';
import type { DomainEventBus } from '../events.ts';

/** Live following of a consultation: who watches it hears about its new documents. */
export function consultationEvents(io: IO, consultations: ConsultationsService, events: DomainEventBus, logger: Logger) {
  events.on('documentCreated', (document) => {
    io.to(rooms.consultation(document.consultationId)).emit('document:created', document);
  });

  return (socket: ClientSocket) => {
    socket.on(
      'consultation:watch',
      acked(logger, 'consultation:watch', async (id: unknown) => {
        const consultation = await consultations.get(parse(Id, id));
        await socket.join(rooms.consultation(consultation.id));
        return consultation;
      }),
    );
    socket.on(
      'consultation:unwatch',
      acked(logger, 'consultation:unwatch', async (id: unknown) => {
        await socket.leave(rooms.consultation(parse(Id, id)));
        return null;
      }),
    );
  };
}
