import type { Consultation, DocumentMeta } from './schemas.ts';
import type { ErrorCode } from './errors.ts';

/** Acknowledgement replies for every client → server event. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string } };
export type AckFn<T> = (reply: Ack<T>) => void;

export interface ClientToServerEvents {
  /** Follow a consultation's live changes (joins its room). */
  'consultation:watch': (consultationId: string, ack: AckFn<Consultation>) => void;
  'consultation:unwatch': (consultationId: string, ack: AckFn<null>) => void;
}

export interface ServerToClientEvents {
  'document:created': (document: DocumentMeta) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  watching: Set<string>;
}

/** Socket.IO room names, in one place so that server handlers agree. */
export const rooms = {
  consultation: (id: string) => `consultation:${id}`,
} as const;
