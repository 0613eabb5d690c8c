import type { Consultation, DocumentMeta } from './schemas.ts';
import type { ErrorCode } from './errors.ts';
import type { Thread, CreateThreadInput, Stance, DecideProposalInput } from './comments.ts';

/** Acknowledgement replies for every client → server event. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string } };
export type AckFn<T> = (reply: Ack<T>) => void;

export interface ClientToServerEvents {
  /** Follow a consultation's live changes (joins its room); members only. */
  'consultation:watch': (consultationId: string, ack: AckFn<Consultation>) => void;
  'consultation:unwatch': (consultationId: string, ack: AckFn<null>) => void;
  /** Follow a document's comment threads; the reply holds them all and the document's current sequence number. */
  'document:watch': (documentId: string, ack: AckFn<ThreadsPage>) => void;
  'document:unwatch': (documentId: string, ack: AckFn<null>) => void;
  /** Catch up after a disconnection: every thread changed after `since`. */
  'threads:sync': (input: { documentId: string; since: number }, ack: AckFn<ThreadsPage>) => void;
  'thread:create': (input: CreateThreadInput, ack: AckFn<Thread>) => void;
  'comment:reply': (input: { threadId: string; body: string }, ack: AckFn<Thread>) => void;
  'comment:edit': (input: { threadId: string; commentId: string; body: string }, ack: AckFn<Thread>) => void;
  'comment:delete': (input: { threadId: string; commentId: string }, ack: AckFn<Thread>) => void;
  'thread:status': (input: { threadId: string; status: 'open' | 'resolved' }, ack: AckFn<Thread>) => void;
  'thread:position': (input: { threadId: string; stance: Stance | null }, ack: AckFn<Thread>) => void;
  'proposal:decide': (input: DecideProposalInput, ack: AckFn<Thread>) => void;
}

export interface ThreadsPage {
  threads: Thread[];
  seq: number;
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
  /** A thread was created or changed. Apply it if its `seq` is newer than the copy you hold. */
  'thread:changed': (thread: Thread) => void;
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
  document: (id: string) => `document:${id}`,
} as const;
