import type { Member } from '../../../shared/accounts.ts';
import type { Author } from '../../../shared/comments.ts';
import { can, type Action } from '../../../shared/permissions.ts';
import type { Consultation } from '../../../shared/schemas.ts';
import { api, toApiError, type ApiError } from './api.ts';
import { watchConsultation } from './live.ts';
import { notice } from './notice.svelte.ts';
import { aliasLabel, memberName } from './people.ts';
import { paths, router } from './router.svelte.ts';

/** Whether a mute time lies in the future (as of `now`), as the server's own check. */
export const isMuted = (mutedUntil: string | null | undefined, now = Date.now()): boolean =>
  !!mutedUntil && Date.parse(mutedUntil) > now;

/**
 * A consultation as the meeting, moderation and audit pages need it: who you
 * are there and what you may do (live), and the member list through which
 * every participant's name is resolved — that list already hides identities
 * where the consultation asks for it.
 */
export class ConsultationView {
  readonly id: string;
  #consultation = $state.raw<Consultation | null>(null);
  #members = $state.raw<ReadonlyMap<string, Member>>(new Map());
  #error = $state.raw<ApiError | null>(null);
  /** A clock for mutes, which lapse on their own: the server sends nothing then. */
  #now = $state(Date.now());
  #abort = new AbortController();
  #consultationRequest = 0;
  #membersRequest = 0;

  constructor(id: string) {
    this.id = id;
  }

  get consultation(): Consultation | null {
    return this.#consultation;
  }
  get error(): ApiError | null {
    return this.#error;
  }
  get members(): Member[] {
    return [...this.#members.values()];
  }

  /** What you may do now, from the shared permission table (mutes aside). */
  allowed(action: Action): boolean {
    const c = this.#consultation;
    return !!c && can(c.you.role, c.phase, action);
  }

  /** Your mute's end while it lasts, else null. */
  get mutedUntil(): string | null {
    const until = this.#consultation?.you.mutedUntil ?? null;
    return isMuted(until, this.#now) ? until : null;
  }

  /** A participant's name as you may see it: from the member list, else their alias label. */
  nameOf(person: Pick<Author, 'memberId' | 'alias' | 'group'>): string {
    const member = this.#members.get(person.memberId);
    return member ? memberName(member) : aliasLabel(person.group, person.alias);
  }

  isYou(memberId: string): boolean {
    return this.#consultation?.you.memberId === memberId;
  }

  /** Loads and follows the consultation until the returned function is called. */
  start(): () => void {
    void this.#load();
    const clock = setInterval(() => (this.#now = Date.now()), 5_000);
    const stop = watchConsultation(this.id, {
      watched: (value) => {
        this.#consultationRequest++; // newer than any reload in flight
        this.#consultation = value;
        void this.#loadMembers();
      },
      consultationUpdated: (value) => {
        const current = this.#consultation;
        if (current) this.#consultation = { ...value, you: current.you };
        void this.#loadMembers();
      },
      // A role, group or mute changed, perhaps yours.
      membersChanged: () => {
        void this.#load();
      },
      removed: () => this.#removed(),
    });
    return () => {
      stop();
      clearInterval(clock);
      this.#abort.abort();
    };
  }

  async #load(): Promise<void> {
    const request = ++this.#consultationRequest;
    try {
      const value = await api.getConsultation(this.id, this.#abort.signal);
      if (request !== this.#consultationRequest) return;
      this.#consultation = value;
      this.#now = Date.now();
      void this.#loadMembers();
    } catch (cause) {
      if (this.#abort.signal.aborted || request !== this.#consultationRequest) return;
      const failure = toApiError(cause);
      if (this.#consultation && failure.code === 'not_found') this.#removed();
      else if (!this.#consultation) this.#error = failure;
    }
  }

  async #loadMembers(): Promise<void> {
    const request = ++this.#membersRequest;
    try {
      const members = await api.listMembers(this.id, this.#abort.signal);
      if (request === this.#membersRequest) this.#members = new Map(members.map((m) => [m.id, m]));
    } catch {
      // Names then fall back to alias labels, which never reveal anyone.
    }
  }

  #removed(): void {
    notice.show('consultation.removedNotice');
    router.navigate(paths.home());
  }
}
