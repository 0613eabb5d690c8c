import type { AgendaMoveInput, Meeting, Presence } from '../../../shared/meetings.ts';
import type { Poll, ResultsVisibility } from '../../../shared/polls.ts';
import { toApiError, type ApiError } from './api.ts';
import { facilitationApi } from './facilitation-api.ts';
import { listen, send } from './realtime.ts';

/** The timer as last heard, and when (on this device's monotonic clock, so the server's clock never matters). */
export interface TimerAnchor {
  remainingMs: number;
  running: boolean;
  at: number;
}

/** Milliseconds left on the speaking timer at monotonic time `now`. */
export function remainingAt(anchor: TimerAnchor | null, now: number): number {
  if (!anchor) return 0;
  return anchor.running ? Math.max(0, anchor.remainingMs - Math.max(0, now - anchor.at)) : anchor.remainingMs;
}

/**
 * One meeting, kept live: the meeting (agenda, queue, floor, timer, presence)
 * and its polls. While the meeting is scheduled or live this device counts as
 * present; after every reconnection it joins again and takes the snapshot.
 * Every change is applied only if its `seq` is newer than the copy held.
 */
export class MeetingSession {
  readonly id: string;
  #meeting = $state.raw<Meeting | null>(null);
  #polls = $state.raw<Poll[]>([]);
  #timer = $state.raw<TimerAnchor | null>(null);
  #error = $state.raw<ApiError | null>(null);
  #joined = $state(false);
  #abort = new AbortController();

  constructor(id: string) {
    this.id = id;
  }

  get meeting(): Meeting | null {
    return this.#meeting;
  }
  /** Newest first. */
  get polls(): Poll[] {
    return this.#polls;
  }
  get timer(): TimerAnchor | null {
    return this.#timer;
  }
  /** Why the meeting could not be loaded at all. */
  get error(): ApiError | null {
    return this.#error;
  }
  /** Whether this device is counted as present (false while reconnecting). */
  get joined(): boolean {
    return this.#joined;
  }

  start(): () => void {
    let stopped = false;
    const join = async () => {
      if (stopped || this.#meeting?.status === 'ended') return;
      try {
        const snapshot = await send('meeting:join', this.id);
        if (stopped) return;
        this.#apply(snapshot.meeting, true);
        for (const poll of snapshot.polls) this.#applyPoll(poll);
        this.#joined = true;
      } catch (cause) {
        // An ended meeting cannot be joined; it is still shown from the REST copy.
        if (!this.#meeting && !stopped) this.#error = toApiError(cause);
      }
    };
    const loaded = this.#load();
    const stopListening = listen({
      connect: () => void loaded.then(join),
      disconnect: () => (this.#joined = false),
      'meeting:changed': (meeting) => {
        if (meeting.id === this.id) this.#apply(meeting);
      },
      'meeting:presence': ({ meetingId, presence }) => {
        if (meetingId === this.id) this.#setPresence(presence);
      },
      'poll:changed': (poll) => {
        if (poll.meetingId === this.id) this.#applyPoll(poll);
      },
    });
    return () => {
      stopped = true;
      stopListening();
      this.#abort.abort();
      if (this.#joined) void send('meeting:leave', this.id).catch(() => undefined);
    };
  }

  /** The REST copy first, so that an ended meeting (which cannot be joined) still shows. */
  async #load(): Promise<void> {
    try {
      const [meeting, polls] = await Promise.all([
        facilitationApi.getMeeting(this.id, this.#abort.signal),
        facilitationApi.listPolls(this.id, this.#abort.signal),
      ]);
      this.#apply(meeting);
      for (const poll of polls) this.#applyPoll(poll);
    } catch (cause) {
      if (!this.#abort.signal.aborted) this.#error = toApiError(cause);
    }
  }

  #apply(meeting: Meeting, snapshot = false): void {
    const held = this.#meeting;
    if (held && (snapshot ? meeting.seq < held.seq : meeting.seq <= held.seq)) {
      if (snapshot) this.#setPresence(meeting.presence); // presence has no seq: the snapshot is the latest
      return;
    }
    this.#meeting = meeting;
    this.#error = null;
    const timer = meeting.timer;
    this.#timer = timer ? { remainingMs: timer.remainingMs, running: timer.runningSince !== null, at: performance.now() } : null;
  }

  #setPresence(presence: Presence): void {
    if (this.#meeting) this.#meeting = { ...this.#meeting, presence };
  }

  /** Broadcasts carry no `yours`: keep your own vote from the last reply, except once an anonymous poll closes. */
  #applyPoll(poll: Poll): void {
    const held = this.#polls.find((p) => p.id === poll.id);
    const hasYours = poll.yours !== undefined;
    if (held && (held.seq > poll.seq || (held.seq === poll.seq && !hasYours))) {
      if (hasYours && held.status === 'open') this.#replacePoll({ ...held, yours: poll.yours });
      return;
    }
    let yours = hasYours ? poll.yours : held?.yours;
    if (poll.anonymous && poll.status === 'closed') yours = null;
    this.#replacePoll({ ...poll, yours: yours ?? null });
  }

  #replacePoll(poll: Poll): void {
    const others = this.#polls.filter((p) => p.id !== poll.id);
    this.#polls = [...others, poll].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  // ---- Actions: each resolves once the server agreed (and the change is applied), or throws an ApiError.

  async #run(action: Promise<Meeting>): Promise<void> {
    this.#apply(await action);
  }

  startMeeting = () => this.#run(send('meeting:start', { meetingId: this.id }));
  endMeeting = () => this.#run(send('meeting:end', { meetingId: this.id }));
  moveAgenda = (to: AgendaMoveInput['to']) => this.#run(send('meeting:agenda', { meetingId: this.id, to }));
  raiseHand = () => this.#run(send('hand:raise', { meetingId: this.id }));
  lowerHand = (memberId?: string) => this.#run(send('hand:lower', { meetingId: this.id, ...(memberId ? { memberId } : {}) }));
  giveFloor = (to: string | 'next' | null) => this.#run(send('floor:give', { meetingId: this.id, to }));
  moveInQueue = (memberId: string, position: number) => this.#run(send('queue:move', { meetingId: this.id, memberId, position }));
  setAlternation = (enabled: boolean) => this.#run(send('queue:alternate', { meetingId: this.id, enabled }));
  startTimer = (seconds?: number) => this.#run(send('timer:start', { meetingId: this.id, ...(seconds ? { seconds } : {}) }));
  pauseTimer = () => this.#run(send('timer:pause', { meetingId: this.id }));
  resetTimer = () => this.#run(send('timer:reset', { meetingId: this.id }));

  async openPoll(question: string, options: string[], anonymous: boolean, resultsVisibility: ResultsVisibility): Promise<void> {
    this.#applyPoll(await send('poll:open', { meetingId: this.id, question, options, anonymous, resultsVisibility }));
  }
  async vote(pollId: string, option: number): Promise<void> {
    this.#applyPoll(await send('poll:vote', { pollId, option }));
  }
  async closePoll(pollId: string): Promise<void> {
    this.#applyPoll(await send('poll:close', { pollId }));
  }
}
