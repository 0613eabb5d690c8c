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

/** Comment threads over Socket.IO: every action acknowledged, every change broadcast to the document's watchers. */
export function commentEvents(io: IO, comments: CommentsService, events: DomainEventBus, logger: Logger) {
  events.on('threadChanged', (thread) => io.to(rooms.document(thread.documentId)).emit('thread:changed', thread));
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
