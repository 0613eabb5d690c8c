import { meetingLimits, type ScheduleMeetingInput, type UpdateMeetingInput } from '../../../shared/meetings.ts';

/** A meeting as its form holds it: the time as a `datetime-local` value (local time, no zone). */
export interface MeetingDraft {
  title: string;
  startsAt: string;
  agenda: string[];
  documentIds: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO time as `datetime-local` shows it, in this device's time zone. */
export function toLocalInput(iso: string | number): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A new meeting: at the next full hour, with one empty agenda item to fill in. */
export function emptyDraft(): MeetingDraft {
  const next = new Date(Date.now() + 3_600_000);
  next.setMinutes(0, 0, 0);
  return { title: '', startsAt: toLocalInput(next.getTime()), agenda: [''], documentIds: [] };
}

export function draftOf(meeting: { title: string; startsAt: string; agenda: string[]; documentIds: string[] }): MeetingDraft {
  return { title: meeting.title, startsAt: toLocalInput(meeting.startsAt), agenda: [...meeting.agenda], documentIds: [...meeting.documentIds] };
}

export function draftErrors(draft: MeetingDraft): { title: boolean; startsAt: boolean } {
  return { title: draft.title.trim() === '', startsAt: Number.isNaN(Date.parse(draft.startsAt)) };
}

/** What the server takes, from a valid draft (empty agenda items left out). */
export function draftInput(draft: MeetingDraft): Required<Omit<ScheduleMeetingInput, 'alternateGroups'>> & UpdateMeetingInput {
  return {
    title: draft.title.trim(),
    startsAt: new Date(draft.startsAt).toISOString(),
    agenda: draft.agenda.map((a) => a.trim()).filter(Boolean),
    documentIds: draft.documentIds.slice(0, meetingLimits.documents),
  };
}
