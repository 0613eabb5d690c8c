import { z } from 'zod';
import { Meeting, ScheduleMeetingInput, UpdateMeetingInput } from '../../shared/meetings.ts';
import { Poll } from '../../shared/polls.ts';
import { PageQuery } from '../../shared/schemas.ts';
import { IdParams, type ApiRegistry } from '../http/route.ts';
import type { MeetingsService } from './meetings.service.ts';
import type { PollsService } from '../polls/polls.service.ts';

/** Scheduling and reading meetings and polls; running them happens live, over Socket.IO. */
export function meetingsRoutes(api: ApiRegistry, meetings: MeetingsService, polls: PollsService): void {
  const tag = 'Meetings';
  api.add(
    { method: 'get', path: '/consultations/:id/meetings', tag, summary: 'Meetings of a consultation, newest first', params: IdParams, query: PageQuery, response: z.object({ items: z.array(Meeting), nextCursor: z.string().nullable() }) },
    ({ auth, params, query }) => meetings.list(auth.user._id, params.id, query),
  );
  api.add(
    { method: 'post', path: '/consultations/:id/meetings', tag, summary: 'Schedule a meeting, with its agenda and linked documents (facilitators)', params: IdParams, body: ScheduleMeetingInput, response: Meeting, status: 201 },
    ({ auth, params, body }) => meetings.schedule(auth.user._id, params.id, body),
  );
  api.add(
    { method: 'get', path: '/meetings/:id', tag, summary: 'One meeting: agenda, queue, floor, timer and who is present', params: IdParams, response: Meeting },
    ({ auth, params }) => meetings.get(auth.user._id, params.id),
  );
  api.add(
    { method: 'patch', path: '/meetings/:id', tag, summary: 'Change a meeting that has not started (facilitators)', params: IdParams, body: UpdateMeetingInput, response: Meeting },
    ({ auth, params, body }) => meetings.update(auth.user._id, params.id, body),
  );
  api.add(
    { method: 'get', path: '/meetings/:id/polls', tag: 'Polls', summary: "A meeting's polls with their results, newest first, each with your own vote", params: IdParams, response: z.array(Poll) },
    ({ auth, params }) => polls.list(auth.user._id, params.id),
  );
  api.add(
    { method: 'get', path: '/polls/:id', tag: 'Polls', summary: "One poll's results, overall and by stakeholder group", params: IdParams, response: Poll },
    ({ auth, params }) => polls.get(auth.user._id, params.id),
  );
}
