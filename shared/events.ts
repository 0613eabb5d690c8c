import type { Consultation, DocumentMeta } from './schemas.ts';
import type { ErrorCode } from './errors.ts';

/** Acknowledgement replies for every client → server event. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string } };
export type AckFn<T> = (reply: Ack<T>) => void;

export interface ClientToServerEvents {
  /** Follow a consultation's live changes (joins its room); members only. */
  'consultation:watch': (consultationId: string, ack: AckFn<Consultation>) => void;
  'consultation:unwatch': (consultationId: string, ack: AckFn<null>) => void;
}

export interface ServerToClientEvents {
  'document:created': (document: DocumentMeta) => void;
  /** A document's metadata changed (for example it was locked or unlocked). */
  'document:updated': (document: DocumentMeta) => void;
  /** Phase, title or privacy settings changed: re-read what you may do. */
  'consultation:updated': (consultation: Omit<Consultation, 'you'>) => void;
  /** Someone joined, or a role or group changed: reload the member list (and your own role). */
  'members:changed': (consultationId: string) => void;
  /** You are no longer a member of this consultation. */
  'consultation:removed': (consultationId: string) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  userId: string;
  /** The session's token hash: revoking the session disconnects the socket. */
  sessionId: string;
}

/** Socket.IO room names, in one place so that server handlers agree. */
export const rooms = {
  consultation: (id: string) => `consultation:${id}`,
} as const;
