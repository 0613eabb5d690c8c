import { z } from 'zod';
import { Thread } from '../../shared/comments.ts';
import { IdParams, type ApiRegistry } from '../http/route.ts';
import type { CommentsService } from './comments.service.ts';

export function commentsRoutes(api: ApiRegistry, comments: CommentsService): void {
  api.add(
    {
      method: 'get',
      path: '/documents/:id/threads',
      tag: 'Comments',
      summary: "A document's comment threads (those changed after `since`, if given); live changes come over Socket.IO",
      params: IdParams,
      query: z.object({ since: z.coerce.number().int().min(0).default(0) }),
      response: z.object({ threads: z.array(Thread), seq: z.number().int() }),
    },
    ({ auth, params, query }) => comments.list(auth.user._id, params.id, query.since),
  );
}
