import { rooms } from '../../shared/events.ts';
import { Id } from '../../shared/schemas.ts';
import { defaultLimits } from '../../shared/limits.ts';
import { FlagCommentInput, HideCommentInput, MuteMemberInput, ResolveCommentInput, UnmuteMemberInput } from '../../shared/moderation.ts';
import { socketHandlers } from '../realtime/handlers.ts';
import type { IO, ClientSocket } from '../realtime/socket.ts';
import type { Logger } from '../logger.ts';
import type { DomainEventBus } from '../events.ts';
import type { ModerationService } from './moderation.service.ts';
import type { MutesService } from './mutes.service.ts';

/**
 * Moderation over Socket.IO. The queue, with the original text of hidden
 * comments, goes only to sockets in the consultation's moderation room,
 * which only facilitators may join; one who loses the role or the
 * membership is taken out of it at once.
 */
export function moderationEvents(io: IO, moderation: ModerationService, mutes: MutesService, events: DomainEventBus, logger: Logger) {
  events.on('moderationChanged', (item) => io.to(rooms.moderation(item.consultationId)).emit('moderation:changed', item));
  const recheck = (consultationId: string, userId: string) => {
    const room = rooms.moderation(consultationId);
    const sockets = [...io.of('/').sockets.values()].filter((s) => s.data.userId === userId && s.rooms.has(room));
    if (sockets.length === 0) return;
    moderation.mayModerate(userId, consultationId).then(
      (allowed) => allowed || sockets.forEach((s) => void s.leave(room)),
      (err: unknown) => logger.error({ err }, 'rechecking a moderator failed'),
    );
  };
  events.on('membershipChanged', recheck);
  events.on('membershipRemoved', recheck);

  return (socket: ClientSocket) => {
    const user = () => socket.data.userId;
    const on = socketHandlers(socket, logger);

    on('comment:flag', FlagCommentInput, (i) => moderation.flag(user(), i));
    on('moderation:watch', Id, async (consultationId) => {
      const page = await moderation.queue(user(), consultationId, 'pending', { limit: defaultLimits.pageSize });
      await socket.join(rooms.moderation(consultationId));
      return page;
    });
    on('moderation:unwatch', Id, async (consultationId) => {
      await socket.leave(rooms.moderation(consultationId));
      return null;
    });
    on('moderation:hide', HideCommentInput, (i) => moderation.hide(user(), i));
    on('moderation:restore', ResolveCommentInput, (i) => moderation.restore(user(), i));
    on('moderation:dismiss', ResolveCommentInput, (i) => moderation.dismiss(user(), i));
    on('member:mute', MuteMemberInput, (i) => mutes.mute(user(), i.consultationId, i.memberId, i));
    on('member:unmute', UnmuteMemberInput, (i) => mutes.unmute(user(), i.consultationId, i.memberId, i));
  };
}
