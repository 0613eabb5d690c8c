import type { AuditAction, AuditEntry } from '../../../shared/audit.ts';
import type { Meeting, ScheduleMeetingInput, UpdateMeetingInput } from '../../../shared/meetings.ts';
import type { ModerationItem, ModerationStatus, MuteInput } from '../../../shared/moderation.ts';
import type { MuteState } from '../../../shared/events.ts';
import type { Poll } from '../../../shared/polls.ts';
import type { Page } from '../../../shared/schemas.ts';
import { pageQuery, request } from './api.ts';

/**
 * REST calls of facilitated meetings, moderation and the audit log. Running
 * a meeting, voting and moderating happen over Socket.IO (see `realtime.ts`).
 */
const id = encodeURIComponent;
const consultationPath = (consultationId: string) => `/api/consultations/${id(consultationId)}`;

export interface AuditFilters {
  action?: AuditAction;
  /** A member id. */
  actor?: string;
}

function withParams(path: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => !!entry[1]));
  const text = query.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

/** The address of the CSV export, with the same filters as the list. */
export function auditCsvUrl(consultationId: string, filters: AuditFilters): string {
  return withParams(`${consultationPath(consultationId)}/audit.csv`, { action: filters.action, actor: filters.actor });
}

export const facilitationApi = {
  listMeetings: (consultationId: string, cursor?: string, limit?: number, signal?: AbortSignal) =>
    request<Page<Meeting>>('GET', `${consultationPath(consultationId)}/meetings${pageQuery(cursor, limit)}`, undefined, signal),
  scheduleMeeting: (consultationId: string, input: ScheduleMeetingInput) =>
    request<Meeting>('POST', `${consultationPath(consultationId)}/meetings`, input),
  getMeeting: (meetingId: string, signal?: AbortSignal) => request<Meeting>('GET', `/api/meetings/${id(meetingId)}`, undefined, signal),
  updateMeeting: (meetingId: string, input: UpdateMeetingInput) => request<Meeting>('PATCH', `/api/meetings/${id(meetingId)}`, input),
  listPolls: (meetingId: string, signal?: AbortSignal) => request<Poll[]>('GET', `/api/meetings/${id(meetingId)}/polls`, undefined, signal),

  moderationQueue: (consultationId: string, status: ModerationStatus | undefined, cursor?: string, signal?: AbortSignal) =>
    request<Page<ModerationItem>>(
      'GET',
      withParams(`${consultationPath(consultationId)}/moderation${pageQuery(cursor)}`, { status }),
      undefined,
      signal,
    ),
  mute: (consultationId: string, memberId: string, input: MuteInput) =>
    request<MuteState>('POST', `${consultationPath(consultationId)}/members/${id(memberId)}/mute`, input),
  unmute: (consultationId: string, memberId: string, reason?: string) =>
    request<MuteState>('DELETE', withParams(`${consultationPath(consultationId)}/members/${id(memberId)}/mute`, { reason })),

  audit: (consultationId: string, filters: AuditFilters, cursor?: string, signal?: AbortSignal) =>
    request<Page<AuditEntry>>(
      'GET',
      withParams(`${consultationPath(consultationId)}/audit${pageQuery(cursor)}`, { action: filters.action, actor: filters.actor }),
      undefined,
      signal,
    ),
};
