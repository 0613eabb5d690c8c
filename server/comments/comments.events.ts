import { rooms } from '../../shared/events.ts';
import { Id } from '../../shared/schemas.ts';
import {
  CreateThreadInput,
  DecideProposalInput,
  DeleteCommentInput,
  EditCommentInput,
  ReplyInput,
  SetPositionInput,
  SetThreadStatusInput,
  SyncThreadsInput,
} from '../../shared/comments.ts';
import { socketHandlers } from '../realtime/handlers.ts';
import type { IO, ClientSocket } from '../realtime/socket.ts';
import type { Logger } from '../logger.ts';
import type { DomainEventBus } from '../events.ts';
import type { CommentsService } from './comments.service.ts';
import type { Thread } from '../../shared/comments.ts';
import { Throttle } from '../throttle.ts';
import { IdempotentActions } from './idempotency.ts';
import type { CommentKeys } from './comment-keys.ts';

/** Comment threads over Socket.IO: every action acknowledged, every change broadcast to the document's watchers. */
export function commentEvents(io: IO, comments: CommentsService, events: DomainEventBus, logger: Logger, keys: CommentKeys) {
  const announce = announcer((documentId, threads) => io.to(rooms.document(documentId)).emit('threads:changed', threads));
  events.on('threadChanged', announce);
  // One memory for every socket: a resend after a reconnection arrives on a new socket; the store's outlives a restart.
  // A resend answered from the store gets the thread through the member's own view, like any read.
  const once = new IdempotentActions({ stored: { keys, replay: (userId, threadId) => comments.thread(userId, threadId) } });
  events.on('membershipRemoved', (_consultationId, userId) => {
    // Removed members stop hearing about every document of that consultation; they rejoin nothing.
    for (const socket of io.of('/').sockets.values()) {
      if (socket.data.userId !== userId) continue;
      for (const room of socket.rooms) if (room.startsWith('document:')) void socket.leave(room);
    }
  });

  return (socket: ClientSocket) => {
    const user = () => socket.data.userId;
    const on = socketHandlers(socket, logger);

    on('document:watch', Id, async (documentId) => {
      const page = await comments.list(user(), documentId);
      await socket.join(rooms.document(documentId));
      return page;
    });
    on('document:unwatch', Id, async (documentId) => {
      await socket.leave(rooms.document(documentId));
      return null;
    });
    on('threads:sync', SyncThreadsInput, (i) => comments.list(user(), i.documentId, i.since));
    on('thread:create', CreateThreadInput, ({ key, ...i }) => once.run(user(), 'create', key, (remember) => comments.create(user(), i, remember)));
    on('comment:reply', ReplyInput, (i) => once.run(user(), 'reply', i.key, (remember) => comments.reply(user(), i.threadId, i.body, remember)));
    on('comment:edit', EditCommentInput, (i) => comments.edit(user(), i.threadId, i.commentId, i.body));
    on('comment:delete', DeleteCommentInput, (i) => comments.delete(user(), i.threadId, i.commentId));
    on('thread:status', SetThreadStatusInput, (i) => comments.setStatus(user(), i.threadId, i.status));
    on('thread:position', SetPositionInput, (i) => once.run(user(), 'position', i.key, (remember) => comments.setPosition(user(), i.threadId, i.stance, remember)));
    on('proposal:decide', DecideProposalInput, (i) => comments.decide(user(), i));
  };
}

/**
 * The least time between two announcements to one document's watchers. A
 * lone change goes out at once; a burst (a plenary commenting together) goes
 * out as one message per interval to each watcher instead of one per change.
 */
export const announceIntervalMs = 20;

/** Gathers thread changes per document and sends them together, at most once per interval; a thread changed twice is sent once, as it is now. */
export function announcer(send: (documentId: string, threads: Thread[]) => void) {
  /** Per document ever commented on: the changes not yet sent, and when to send them. */
  const documents = new Map<string, { pending: Map<string, Thread>; relay: Throttle }>();
  const open = (documentId: string) => {
    const pending = new Map<string, Thread>();
    const relay = new Throttle(() => {
      if (pending.size === 0) return false;
      const threads = [...pending.values()].sort((a, b) => a.seq - b.seq);
      pending.clear();
      send(documentId, threads);
      return true;
    }, () => announceIntervalMs);
    const entry = { pending, relay };
    documents.set(documentId, entry);
    return entry;
  };
  return (thread: Thread): void => {
    const { pending, relay } = documents.get(thread.documentId) ?? open(thread.documentId);
    pending.delete(thread.id);
    pending.set(thread.id, thread);
    relay.request();
  };
}
