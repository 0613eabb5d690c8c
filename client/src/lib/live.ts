import type { ErrorCode } from '../../../shared/errors.ts';
import type { Consultation, DocumentMeta } from '../../../shared/schemas.ts';
import { existingSocket, getSocket } from './socket.ts';

export interface ConsultationListeners {
  /** The server let us follow the consultation (after every (re)connection), with your membership. */
  watched?: (consultation: Consultation) => void;
  /** Live updates could not be set up, or the server refused to let us follow (code given then). */
  unavailable?: (code?: ErrorCode) => void;
  documentCreated?: (document: DocumentMeta) => void;
  documentUpdated?: (document: DocumentMeta) => void;
  consultationUpdated?: (consultation: Omit<Consultation, 'you'>) => void;
  membersChanged?: () => void;
  /** Rows of the recommendations register were imported, added or edited. */
  recommendationsChanged?: () => void;
  /** You are no longer a member. */
  removed?: () => void;
}

/** How many views follow each consultation: the room is left only when the last one stops. */
const watchers = new Map<string, number>();

/**
 * Follows a consultation's live events until the returned function is called.
 * Several views may follow the same consultation at once.
 */
export function watchConsultation(consultationId: string, listeners: ConsultationListeners): () => void {
  let stopped = false;
  let detach = () => {};
  watchers.set(consultationId, (watchers.get(consultationId) ?? 0) + 1);

  getSocket().then(
    (socket) => {
      if (stopped) return;
      const watch = () =>
        socket.emit('consultation:watch', consultationId, (reply) => {
          if (stopped) return;
          if (reply.ok) listeners.watched?.(reply.data);
          else listeners.unavailable?.(reply.error.code);
        });
      const connectError = () => listeners.unavailable?.();
      const documentCreated = (document: DocumentMeta) => {
        if (document.consultationId === consultationId) listeners.documentCreated?.(document);
      };
      const documentUpdated = (document: DocumentMeta) => {
        if (document.consultationId === consultationId) listeners.documentUpdated?.(document);
      };
      const consultationUpdated = (consultation: Omit<Consultation, 'you'>) => {
        if (consultation.id === consultationId) listeners.consultationUpdated?.(consultation);
      };
      const membersChanged = (id: string) => {
        if (id === consultationId) listeners.membersChanged?.();
      };
      const recommendationsChanged = (id: string) => {
        if (id === consultationId) listeners.recommendationsChanged?.();
      };
      const removed = (id: string) => {
        if (id === consultationId) listeners.removed?.();
      };
      socket.on('connect', watch); // also after every reconnection: rooms do not survive it
      socket.on('connect_error', connectError);
      socket.on('document:created', documentCreated);
      socket.on('document:updated', documentUpdated);
      socket.on('consultation:updated', consultationUpdated);
      socket.on('members:changed', membersChanged);
      socket.on('recommendations:changed', recommendationsChanged);
      socket.on('consultation:removed', removed);
      if (socket.connected) watch();
      detach = () => {
        socket.off('connect', watch);
        socket.off('connect_error', connectError);
        socket.off('document:created', documentCreated);
        socket.off('document:updated', documentUpdated);
        socket.off('consultation:updated', consultationUpdated);
        socket.off('members:changed', membersChanged);
        socket.off('recommendations:changed', recommendationsChanged);
        socket.off('consultation:removed', removed);
      };
    },
    () => {
      if (!stopped) listeners.unavailable?.();
    },
  );

  return () => {
    if (stopped) return;
    stopped = true;
    detach();
    const left = (watchers.get(consultationId) ?? 1) - 1;
    if (left > 0) {
      watchers.set(consultationId, left);
      return;
    }
    watchers.delete(consultationId);
    void existingSocket()?.then((socket) => {
      if (socket.connected && !watchers.has(consultationId)) socket.emit('consultation:unwatch', consultationId, () => {});
    });
  };
}
