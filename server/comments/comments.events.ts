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

/** Comment threads over Socket.IO: every action acknowledged, every change broadcast to the document's watchers. */
export function commentEvents(io: IO, comments: CommentsService, events: DomainEventBus, logger: Logger) {
  const announce = announcer((documentId, threads) => io.to(rooms.document(documentId)).emit('threads:changed', threads));
  events.on('threadChanged', announce);
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
    on('thread:create', CreateThreadInput, (i) => comments.create(user(), i));
    on('comment:reply', ReplyInput, (i) => comments.reply(user(), i.threadId, i.body));
    on('comment:edit', EditCommentInput, (i) => comments.edit(user(), i.threadId, i.commentId, i.body));
    on('comment:delete', DeleteCommentInput, (i) => comments.delete(user(), i.threadId, i.commentId));
    on('thread:status', SetThreadStatusInput, (i) => comments.setStatus(user(), i.threadId, i.status));
    on('thread:position', SetPositionInput, (i) => comments.setPosition(user(), i.threadId, i.stance));
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
  const pending = new Map<string, Map<string, Thread>>();
  /** When each document's last announcement went out (a number per document ever commented on). */
  const lastSent = new Map<string, number>();
  const flush = (documentId: string) => {
    const threads = pending.get(documentId);
    pending.delete(documentId);
    if (!threads) return;
    lastSent.set(documentId, performance.now());
    send(documentId, [...threads.values()].sort((a, b) => a.seq - b.seq));
  };
  return (thread: Thread): void => {
    let threads = pending.get(thread.documentId);
    if (!threads) {
      pending.set(thread.documentId, (threads = new Map()));
      const wait = (lastSent.get(thread.documentId) ?? -Infinity) + announceIntervalMs - performance.now();
      if (wait <= 0) setImmediate(flush, thread.documentId);
      else setTimeout(flush, Math.ceil(wait), thread.documentId);
    }
    threads.delete(thread.id);
    threads.set(thread.id, thread);
  };
}
