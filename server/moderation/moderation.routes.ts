import { z } from 'zod';
import { ModerationItem, ModerationQuery, MuteInput, UnmuteInput } from '../../shared/moderation.ts';
import { PageQuery } from '../../shared/schemas.ts';
import { IdParams, type ApiRegistry } from '../http/route.ts';
import type { ModerationService } from './moderation.service.ts';
import type { MutesService } from './mutes.service.ts';

const MemberParams = z.object({ id: z.uuid(), memberId: z.uuid() });
const MuteState = z.object({ memberId: z.uuid(), mutedUntil: z.iso.datetime().nullable() });

export function moderationRoutes(api: ApiRegistry, moderation: ModerationService, mutes: MutesService): void {
  const tag = 'Moderation';
  api.add(
    {
      method: 'get',
      path: '/consultations/:id/moderation',
      tag,
      summary: 'The moderation queue: reported and moderated comments with their original text, newest first (facilitators)',
      params: IdParams,
      query: PageQuery.extend(ModerationQuery.shape),
      response: z.object({ items: z.array(ModerationItem), nextCursor: z.string().nullable() }),
    },
    ({ auth, params, query }) => moderation.queue(auth.user._id, params.id, query.status, query),
  );
  api.add(
    { method: 'post', path: '/consultations/:id/members/:memberId/mute', tag, summary: 'Mute a member for some minutes: no comments, positions, raised hand or floor (facilitators)', params: MemberParams, body: MuteInput, response: MuteState },
    ({ auth, params, body }) => mutes.mute(auth.user._id, params.id, params.memberId, body),
  );
  api.add(
    { method: 'delete', path: '/consultations/:id/members/:memberId/mute', tag, summary: 'Lift a mute early (facilitators)', params: MemberParams, query: UnmuteInput, response: MuteState },
    ({ auth, params, query }) => mutes.unmute(auth.user._id, params.id, params.memberId, query),
  );
}
