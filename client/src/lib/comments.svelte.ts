import type { Member } from '../../../shared/accounts.ts';
import type { Anchor, Author, DecideProposalInput, Stance, Thread, ThreadStatus } from '../../../shared/comments.ts';
import type { Ack, ThreadsPage } from '../../../shared/events.ts';
import { groupColours, stakeholderGroups, type StakeholderGroup } from '../../../shared/groups.ts';
import { blockedWhenMuted, can, type Action } from '../../../shared/permissions.ts';
import type { Consultation } from '../../../shared/schemas.ts';
import { api, toApiError, type ApiErrorCode } from './api.ts';
import type { AnchorProblem } from './comments-anchors.ts';
import type { HighlightThread, Placement, TextRange } from './comments-highlights.ts';
import { aliasLabel, memberName } from './people.ts';
import { getSocket, type ConveneSocket } from './socket.ts';
import { outbox, type QueuedItem } from './offline/outbox.svelte.ts';
import { errorKey, t, type MessageKey } from './i18n/i18n.svelte.ts';

export type ActionResult = { ok: true; thread: Thread; queued?: undefined } | { ok: false; code: ApiErrorCode; details?: unknown };
/** A comment, reply or position that could not be sent now: it waits on the device and goes when the connection is back. */
export type QueuedResult = { ok: true; queued: true; thread?: undefined };
export type StatusFilter = 'all' | ThreadStatus;
export interface CommentFilters {
  group: StakeholderGroup | 'all';
  status: StatusFilter;
  /** A member id, or 'all'. */
  author: string;
}

/** A passage chosen for a new comment. */
export type Draft = Anchor;

const ACK_TIMEOUT = 20_000;
/** The passage of the comment being written, highlighted like a thread. */
const DRAFT_ID = 'draft';
const starter = (thread: Thread): Author => thread.comments[0]!.author;

/**
 * The comment threads of one document, kept live over Socket.IO without gaps
 * or duplicates: the highest `seq` held is remembered, and after every
 * (re)connection the document is watched again and `threads:sync` fetches
 * whatever changed meanwhile. Each thread is replaced only by a newer copy.
 */
export class CommentThreads {
  readonly documentId: string;
  #threads = $state.raw<ReadonlyMap<string, Thread>>(new Map());
  #members = $state.raw<ReadonlyMap<string, Member>>(new Map());
  #consultation = $state.raw<Consultation | null>(null);
  #status = $state<'loading' | 'ready' | 'error'>('loading');
  #loadError = $state.raw<ApiErrorCode | null>(null);
  #placement = $state.raw<{ rank: ReadonlyMap<string, number>; detached: ReadonlySet<string>; placed: boolean }>({
    rank: new Map(),
    detached: new Set(),
    placed: false,
  });
  #placementKey = '';
  #ranges: ReadonlyMap<string, TextRange> = new Map();
  #passages = $state.raw<ReadonlyMap<string, string>>(new Map());
  #filters = $state.raw<CommentFilters>({ group: 'all', status: 'all', author: 'all' });
  #active = $state<string | null>(null);
  #focusRequest = $state.raw<{ id: string; focus: boolean } | null>(null);
  #locked = $state(false);
  #draft = $state.raw<Draft | null>(null);
  #notice = $state<AnchorProblem | null>(null);
  #announcement = $state('');
  #seq = 0;
  #membersRequest = 0;
  #stopped = false;
  #detach = () => {};

  /** Threads in the order of the text; those not placed yet come next, detached ones last. */
  readonly #sorted: Thread[] = $derived.by(() => {
    const { rank: ranks, detached } = this.#placement;
    const rank = (thread: Thread) => ranks.get(thread.id) ?? (detached.has(thread.id) ? Infinity : Number.MAX_SAFE_INTEGER);
    return [...this.#threads.values()].sort((a, b) => rank(a) - rank(b) || a.createdAt.localeCompare(b.createdAt));
  });

  readonly #visible: Thread[] = $derived.by(() => {
    const { group, status, author } = this.#filters;
    return this.#sorted.filter(
      (thread) =>
        (group === 'all' || starter(thread).group === group) &&
        (status === 'all' || thread.status === status) &&
        (author === 'all' || starter(thread).memberId === author),
    );
  });

  readonly #counts = $derived.by(() => {
    const byGroup = Object.fromEntries(stakeholderGroups.map((g) => [g, 0])) as Record<StakeholderGroup, number>;
    let open = 0;
    for (const thread of this.#threads.values()) {
      byGroup[starter(thread).group]++;
      if (thread.status === 'open') open++;
    }
    return { total: this.#threads.size, open, byGroup };
  });

  constructor(documentId: string) {
    this.documentId = documentId;
  }

  get threads(): Thread[] {
    return this.#sorted;
  }
  /** The threads the filters let through, in the order of the text. */
  get visible(): Thread[] {
    return this.#visible;
  }
  get counts() {
    return this.#counts;
  }
  get status() {
    return this.#status;
  }
  get loadError() {
    return this.#loadError;
  }
  get filters(): CommentFilters {
    return this.#filters;
  }
  get active(): string | null {
    return this.#active;
  }
  /** Set when a highlight was clicked: the panel brings that thread into view, and gives it the focus if asked. */
  get focusRequest(): { id: string; focus: boolean } | null {
    return this.#focusRequest;
  }
  /** A locked document takes no accepted wording. */
  get locked(): boolean {
    return this.#locked;
  }
  get draft(): Draft | null {
    return this.#draft;
  }
  /** Why the last attempt to start a comment failed (nothing selected, several paragraphs…). */
  get notice(): MessageKey | null {
    return this.#notice && `comments.${this.#notice}`;
  }
  /** Polite live-region text: changes made by others, and the outcome of your own actions. */
  get announcement(): string {
    return this.#announcement;
  }
  get you() {
    return this.#consultation?.you ?? null;
  }
  get isContributor(): boolean {
    return this.you?.role === 'contributor';
  }
  /** Whether the text is placed: until then nothing is called detached. */
  get placed(): boolean {
    return this.#placement.placed;
  }

  isDetached(threadId: string): boolean {
    return this.#placement.placed && this.#placement.detached.has(threadId);
  }
  isPlaced(threadId: string): boolean {
    return this.#placement.rank.has(threadId);
  }

  /** What you may do now, from the shared permission table (the server checks it too). */
  may(action: Action): boolean {
    const consultation = this.#consultation;
    if (!consultation) return false;
    const muted = consultation.you.mutedUntil !== null && Date.parse(consultation.you.mutedUntil) > Date.now();
    return can(consultation.you.role, consultation.phase, action) && !(muted && blockedWhenMuted(action));
  }

  isYours(author: Author): boolean {
    return author.memberId === this.you?.memberId;
  }

  /** A name the server gave us for this member (hidden identities stay hidden), else the alias label. */
  authorName(author: Author): string {
    const member = this.#members.get(author.memberId);
    return member ? memberName(member) : aliasLabel(author.group, author.alias);
  }

  /** The people who started threads, for the author filter. */
  get authors(): { id: string; name: string }[] {
    const seen = new Map<string, string>();
    for (const thread of this.#threads.values()) seen.set(starter(thread).memberId, this.authorName(starter(thread)));
    return [...seen].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** What the editor highlights: every thread, shown when the filters let it through, and the passage being commented on. */
  highlights(): HighlightThread[] {
    const shown = new Set(this.#visible.map((thread) => thread.id));
    const list: HighlightThread[] = this.#sorted.map((thread) => ({
      id: thread.id,
      anchor: thread.anchor,
      colour: groupColours[starter(thread).group],
      shown: shown.has(thread.id),
      active: thread.id === this.#active,
    }));
    const you = this.you;
    if (this.#draft && you) list.push({ id: DRAFT_ID, anchor: this.#draft, colour: groupColours[you.group], shown: true, active: true });
    return list;
  }

  setConsultation(consultation: Consultation): void {
    this.#consultation = consultation;
  }

  setLocked(locked: boolean): void {
    this.#locked = locked;
  }

  /** Loads the member list, which gives names only where the consultation lets you see them. */
  async loadMembers(consultationId: string, signal?: AbortSignal): Promise<void> {
    const request = ++this.#membersRequest;
    try {
      const members = await api.listMembers(consultationId, signal);
      if (request === this.#membersRequest) this.#members = new Map(members.map((m) => [m.id, m]));
    } catch {
      // names fall back to alias labels; a later change reloads them
    }
  }

  /** Called by the editor whenever it places the threads in the text. Only a changed order re-renders. */
  setPlacement(next: Placement): void {
    this.#ranges = next.ranges;
    if (!sameEntries(this.#passages, next.passages)) this.#passages = next.passages;
    const ids = [...next.ranges].sort(([, a], [, b]) => a.from - b.from || a.to - b.to).map(([id]) => id);
    const key = `${next.placed}|${ids.join(',')}|${[...next.detached].sort().join(',')}`;
    if (key === this.#placementKey) return;
    this.#placementKey = key;
    this.#placement = { rank: new Map(ids.map((id, i) => [id, i])), detached: next.detached, placed: next.placed };
  }

  /** The words a thread's anchor covers in the text now; null while it is not placed (or detached). */
  passageOf(threadId: string): string | null {
    return this.#passages.get(threadId) ?? null;
  }

  /** The current text range of a thread, for showing it in the editor. */
  rangeOf(threadId: string): TextRange | null {
    return this.#ranges.get(threadId) ?? null;
  }

  setFilters(change: Partial<CommentFilters>): void {
    this.#filters = { ...this.#filters, ...change };
  }

  /**
   * Makes a thread the current one (its passage stands out). With `reveal`, the panel
   * scrolls to it, and moves the focus there too when `focus` is set.
   */
  select(threadId: string | null, reveal?: { focus: boolean }): void {
    if (threadId === DRAFT_ID) return;
    this.#active = threadId;
    if (!threadId || !reveal) return;
    // A thread hidden by the filters is shown again, so that it can be seen.
    const thread = this.#threads.get(threadId);
    if (thread && !this.#visible.includes(thread)) this.#filters = { group: 'all', status: 'all', author: 'all' };
    this.#focusRequest = { id: threadId, focus: reveal.focus };
  }

  /** Starts a comment on a passage; null with a message when the selection cannot be anchored. */
  startDraft(draft: Draft | null, problem: AnchorProblem = 'selectFirst'): void {
    if (!draft) {
      this.#notice = problem;
      return;
    }
    this.#notice = null;
    this.#draft = draft;
  }

  cancelDraft(): void {
    this.#draft = null;
    this.#notice = null;
  }

  announce(text: string): void {
    // The same words twice in a row must be read twice: vary the text invisibly.
    this.#announcement = this.#announcement === text ? `${text}\u00a0` : text;
  }

  // ---------- Live sync ----------

  /** Starts following the document's threads; returns the function that stops. */
  start(): () => void {
    void getSocket().then(
      (socket) => {
        if (this.#stopped) return;
        const connected = () => void this.#watch(socket);
        const unreachable = () => this.#failed('network_error');
        socket.on('connect', connected); // after every reconnection too: rooms do not survive it
        socket.on('connect_error', unreachable);
        socket.on('threads:changed', this.#changed);
        if (socket.connected) connected();
        this.#detach = () => {
          socket.off('connect', connected);
          socket.off('connect_error', unreachable);
          socket.off('threads:changed', this.#changed);
          if (socket.connected) socket.emit('document:unwatch', this.documentId, () => {});
        };
      },
      () => this.#failed('network_error'),
    );
    return () => {
      this.#stopped = true;
      this.#detach();
    };
  }

  async #watch(socket: ConveneSocket): Promise<void> {
    // Whatever was held before this connection: the catch-up starts from there.
    const before = this.#seq;
    const watched = await ack<ThreadsPage>((done) => socket.timeout(ACK_TIMEOUT).emit('document:watch', this.documentId, timed(done)));
    if (this.#stopped) return;
    if (!watched.ok) return this.#failed(watched.code);
    // The reply lists the threads before this socket joined the document's room: ask for anything
    // changed after the newest one we now hold, so that nothing announced in between is lost.
    let since = before;
    for (const thread of watched.data.threads) since = Math.max(since, thread.seq);
    this.#merge(watched.data.threads, false);
    this.#status = 'ready';
    this.#loadError = null;
    const synced = await ack<ThreadsPage>((done) =>
      socket.timeout(ACK_TIMEOUT).emit('threads:sync', { documentId: this.documentId, since }, timed(done)),
    );
    if (!this.#stopped && synced.ok) this.#merge(synced.data.threads, before > 0);
    if (!this.#stopped) await this.flush();
  }

  // ---------- Sent later (written offline) ----------

  /** What this document has waiting to be sent, oldest first. */
  get queued(): QueuedItem[] {
    return outbox.forDocument(this.documentId);
  }

  /** Items being sent now: a second attempt (a flush while the first is under way) shares the first one's outcome. */
  readonly #sending = new Map<string, Promise<ActionResult | 'later'>>();

  /** Sends what waits in the queue for this document, one at a time, in the order written; each with its key, so at most once. */
  async flush(): Promise<void> {
    for (const item of outbox.forDocument(this.documentId)) {
      if (this.#stopped) return;
      // One being sent by the form that wrote it: that form reports its outcome.
      if (this.#sending.has(item.key)) continue;
      const result = await this.#deliver(item);
      if (result === 'later') return; // offline again: the rest keeps its order
      // Nobody is waiting on this one any more: a refusal is said aloud (a position's shows in its counts).
      if (!result.ok && item.kind !== 'position') this.announce(t('offline.refusedNotice', { reason: t(errorKey(result.code)) }));
    }
  }

  /** Puts the item in the queue (on the device), then tries to send it now. */
  async #queue(item: QueuedItem): Promise<ActionResult | QueuedResult> {
    await outbox.add(item);
    const result = await this.#deliver(item);
    if (result !== 'later') return result;
    this.announce(t('offline.queuedNotice'));
    return { ok: true, queued: true };
  }

  /** One attempt: 'later' when there is no connection or no answer (the item stays queued); otherwise the server's answer, and the item leaves the queue. */
  #deliver(item: QueuedItem): Promise<ActionResult | 'later'> {
    const underWay = this.#sending.get(item.key);
    if (underWay) return underWay;
    const attempt = this.#attempt(item).finally(() => this.#sending.delete(item.key));
    this.#sending.set(item.key, attempt);
    return attempt;
  }

  async #attempt(item: QueuedItem): Promise<ActionResult | 'later'> {
    let socket: ConveneSocket;
    try {
      socket = await getSocket();
    } catch {
      return 'later';
    }
    // Socket.IO would buffer it until reconnection; the queue already does that, and survives a reload.
    if (!socket.connected) return 'later';
    const reply = await ack<Thread>((done) => emitQueued(socket, item, done));
    if (!reply.ok && reply.code === 'network_error') return 'later';
    // Answered: accepted, or refused for good (phase changed, thread gone, muted…), never retried forever.
    await outbox.remove(item.key);
    if (!reply.ok) return reply;
    this.#merge([reply.data], false);
    return { ok: true, thread: this.#threads.get(reply.data.id) ?? reply.data };
  }

  #failed(code: ApiErrorCode): void {
    if (this.#status === 'ready') return; // keep what we have; the next reconnection catches up
    this.#status = 'error';
    this.#loadError = code;
  }

  #changed = (threads: Thread[]): void => {
    if (threads[0]?.documentId === this.documentId) this.#merge(threads, true);
  };

  /** Keeps each thread's newest copy; your own stance survives broadcasts, which do not carry it. */
  #merge(incoming: readonly Thread[], announce: boolean): void {
    let next: Map<string, Thread> | null = null;
    for (const thread of incoming) {
      const held = (next ?? this.#threads).get(thread.id);
      let value: Thread | null = null;
      if (!held || held.seq < thread.seq) value = thread.yours === undefined && held ? { ...thread, yours: held.yours } : thread;
      else if (held.seq === thread.seq && thread.yours !== undefined && held.yours !== thread.yours) value = { ...held, yours: thread.yours };
      this.#seq = Math.max(this.#seq, thread.seq);
      if (!value) continue;
      next ??= new Map(this.#threads);
      next.set(thread.id, value);
      if (announce) this.#announceChange(held, value);
    }
    if (next) this.#threads = next;
  }

  #announceChange(held: Thread | undefined, thread: Thread): void {
    const latest = thread.comments.at(-1);
    if (!latest || this.isYours(latest.author)) return;
    if (!held) this.announce(t('comments.newThread', { name: this.authorName(latest.author) }));
    else if (thread.comments.length > held.comments.length) this.announce(t('comments.newReply', { name: this.authorName(latest.author) }));
  }

  // ---------- Actions (each acknowledged; the reply is merged at once) ----------

  async create(anchor: Anchor, body: string, proposal?: string): Promise<ActionResult | QueuedResult> {
    // Only the range: the server reads the words themselves from the live document. The quote is kept to show it while queued.
    const base = { key: crypto.randomUUID(), documentId: this.documentId, at: Date.now(), kind: 'create' as const };
    const result = await this.#queue({ ...base, anchor: { start: anchor.start, end: anchor.end }, body, quote: anchor.quote, ...(proposal ? { proposal } : {}) });
    if (result.ok) this.#draft = null;
    return result;
  }

  reply(threadId: string, body: string): Promise<ActionResult | QueuedResult> {
    return this.#queue({ key: crypto.randomUUID(), documentId: this.documentId, at: Date.now(), kind: 'reply', threadId, body });
  }

  edit(threadId: string, commentId: string, body: string): Promise<ActionResult> {
    return this.#send((s, done) => s.timeout(ACK_TIMEOUT).emit('comment:edit', { threadId, commentId, body }, timed(done)));
  }

  remove(threadId: string, commentId: string): Promise<ActionResult> {
    return this.#send((s, done) => s.timeout(ACK_TIMEOUT).emit('comment:delete', { threadId, commentId }, timed(done)));
  }

  setStatus(threadId: string, status: 'open' | 'resolved'): Promise<ActionResult> {
    return this.#send((s, done) => s.timeout(ACK_TIMEOUT).emit('thread:status', { threadId, status }, timed(done)));
  }

  setPosition(threadId: string, stance: Stance | null): Promise<ActionResult | QueuedResult> {
    return this.#queue({ key: crypto.randomUUID(), documentId: this.documentId, at: Date.now(), kind: 'position', threadId, stance });
  }

  decide(input: DecideProposalInput): Promise<ActionResult> {
    return this.#send((s, done) => s.timeout(ACK_TIMEOUT).emit('proposal:decide', input, timed(done)));
  }

  async #send(emit: (socket: ConveneSocket, done: (reply: Ack<Thread> | null) => void) => void): Promise<ActionResult> {
    let socket: ConveneSocket;
    try {
      socket = await getSocket();
    } catch (cause) {
      return { ok: false, code: toApiError(cause).code };
    }
    const reply = await ack<Thread>((done) => emit(socket, done));
    if (!reply.ok) return reply;
    this.#merge([reply.data], false);
    return { ok: true, thread: this.#threads.get(reply.data.id) ?? reply.data };
  }
}

/** Sends a queued item with its idempotency key. */
function emitQueued(socket: ConveneSocket, item: QueuedItem, done: (reply: Ack<Thread> | null) => void): void {
  const s = socket.timeout(ACK_TIMEOUT);
  if (item.kind === 'create') {
    const input = { documentId: item.documentId, anchor: item.anchor, body: item.body, key: item.key, ...(item.proposal ? { proposal: item.proposal } : {}) };
    s.emit('thread:create', input, timed(done));
  } else if (item.kind === 'reply') s.emit('comment:reply', { threadId: item.threadId, body: item.body, key: item.key }, timed(done));
  else s.emit('thread:position', { threadId: item.threadId, stance: item.stance, key: item.key }, timed(done));
}

type Reply<T> = { ok: true; data: T } | { ok: false; code: ApiErrorCode; details?: unknown };

function sameEntries(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (b.get(key) !== value) return false;
  return true;
}

/** Wraps an acknowledged emit; a timeout (no reply) counts as a network error. */
function ack<T>(send: (done: (reply: Ack<T> | null) => void) => void): Promise<Reply<T>> {
  return new Promise((resolve) =>
    send((reply) => {
      if (!reply) resolve({ ok: false, code: 'network_error' });
      else if (reply.ok) resolve({ ok: true, data: reply.data });
      else resolve({ ok: false, code: reply.error.code, details: reply.error.details });
    }),
  );
}

/** Adapts a `(reply | null)` callback to Socket.IO's `(error, reply)` acknowledgement with a timeout. */
function timed<T>(done: (reply: Ack<T> | null) => void) {
  return (error: Error | null, reply: Ack<T>) => done(error ? null : reply);
}
