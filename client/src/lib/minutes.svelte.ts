import type { AddDecisionInput, CorrectSpeechInput, EditDecisionInput, EditNotesInput, Minutes } from '../../../shared/minutes.ts';
import { request, toApiError, type ApiError } from './api.ts';
import { i18n } from './i18n/i18n.svelte.ts';
import { listen, send } from './realtime.ts';

const id = encodeURIComponent;
const base = (meetingId: string) => `/api/meetings/${id(meetingId)}/minutes`;

/** Where the minutes are taken away as files (the routes belong to the report's exports). */

/**
 * One meeting's minutes, kept live: read once, then every `minutes:changed`
 * for this meeting whose `seq` is newer than the copy held (the page follows
 * the consultation's room through the meeting it has joined). Edits resolve
 * with the minutes as the server now holds them.
 */
export class MinutesView {
  readonly meetingId: string;
  #minutes = $state.raw<Minutes | null>(null);
  /** When the copy held arrived, on this device's monotonic clock: a turn still going on counts on from there. */
  #receivedAt = $state(0);
  #error = $state.raw<ApiError | null>(null);
  #abort = new AbortController();

  constructor(meetingId: string) {
    this.meetingId = meetingId;
  }

  get minutes(): Minutes | null {
    return this.#minutes;
  }
  get receivedAt(): number {
    return this.#receivedAt;
  }
  get error(): ApiError | null {
    return this.#error;
  }

  start(): () => void {
    // Read at once (an ended meeting needs no socket), and again on every connection: the page follows the
    // consultation's room only once it has joined the meeting, and whatever changed before then was missed.
    void this.#load();
    const stop = listen({
      connect: () => void this.#load(),
      'minutes:changed': (minutes) => {
        if (minutes.meetingId === this.meetingId) this.#apply(minutes);
      },
    });
    return () => {
      stop();
      this.#abort.abort();
    };
  }

  async #load(): Promise<void> {
    try {
      this.#apply(await request<Minutes>('GET', base(this.meetingId), undefined, this.#abort.signal));
    } catch (cause) {
      if (!this.#abort.signal.aborted && !this.#minutes) this.#error = toApiError(cause);
    }
  }

  #apply(minutes: Minutes): void {
    if (this.#minutes && minutes.seq < this.#minutes.seq) return;
    this.#minutes = minutes;
    this.#receivedAt = performance.now();
    this.#error = null;
  }

  async #run(work: Promise<Minutes>): Promise<void> {
    this.#apply(await work);
  }

  /** During the session, under the current agenda item. */
  noteDecision = (text: string) => this.#run(send('minutes:decision', { meetingId: this.meetingId, text }));
  addDecision = (input: AddDecisionInput) => this.#run(request<Minutes>('POST', `${base(this.meetingId)}/decisions`, input));
  editDecision = (decisionId: string, input: EditDecisionInput) =>
    this.#run(request<Minutes>('PATCH', `${base(this.meetingId)}/decisions/${id(decisionId)}`, input));
  removeDecision = (decisionId: string) => this.#run(request<Minutes>('DELETE', `${base(this.meetingId)}/decisions/${id(decisionId)}`));
  editNotes = (input: EditNotesInput) => this.#run(request<Minutes>('PATCH', `${base(this.meetingId)}/notes`, input));
  correctSpeech = (speechId: string, input: CorrectSpeechInput) =>
    this.#run(request<Minutes>('PATCH', `${base(this.meetingId)}/speeches/${id(speechId)}`, input));
}

/** "3 min, 20 s" in the reader's language. */
export function formatDuration(totalSeconds: number, locale = i18n.locale): string {
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  const unit = (value: number, u: 'minute' | 'second') => new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short' }).format(value);
  const parts = minutes > 0 ? [unit(minutes, 'minute'), unit(seconds, 'second')] : [unit(seconds, 'second')];
  return new Intl.ListFormat(locale, { type: 'unit', style: 'short' }).format(parts);
}

/** A date and time, or a time only, in the reader's language. */
export const formatWhen = (iso: string, timeOnly = false, locale = i18n.locale): string =>
  new Intl.DateTimeFormat(locale, timeOnly ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
