/**
 * One simulated participant on a raw `ws` socket. Three roles, combinable:
 * - typist: keeps a private Y.Doc, inserts a 16-character send-time stamp
 *   per update and sends the encoded update; awareness (cursor) on a timer;
 * - sampled receiver: decodes every update, times every stamp it has not
 *   seen, and applies updates to a mirror Y.Doc for the end-of-run check;
 * - everyone else only counts: it reads the clock range of each update and
 *   keeps, per sending client, how far it has received contiguously.
 * A clock range that skips ahead is a lost update; so is whatever is still
 * missing from the expected state vector at the end.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { createHash } from 'node:crypto';
import { now } from '../lib/clock.ts';
import { awarenessFrame, clockRanges, readFrame, readStamps, stamp, STAMP_LEN, syncStep1Frame, updateFrame } from '../lib/wire.ts';

export interface ClientSpec {
  url: string;
  room: string;
  typist: boolean;
  sampled: boolean;
  /** Y client id of a typist (unique across the run). */
  clientId: number;
}

export class SimClient {
  ws: WebSocket | undefined;
  synced = false;
  closedBy: string | undefined;
  /** Per sending client: the clock up to which updates arrived without a gap. */
  readonly coverage = new Map<number, number>();
  gapsLost = 0;
  delivered = 0;
  messages = 0;
  sent = 0;
  nextTypeAt = Infinity;
  nextAwarenessAt = Infinity;
  readonly sendTimes: number[] = [];
  readonly latencies: number[] = [];
  readonly awarenessLatencies: number[] = [];
  readonly #doc: Y.Doc | undefined;
  readonly #mirror: Y.Doc | undefined;
  #lastUpdate: Uint8Array | undefined;
  #awarenessClock = 0;
  readonly #ranges: number[] = [];

  constructor(readonly spec: ClientSpec) {
    if (spec.typist) {
      this.#doc = new Y.Doc();
      this.#doc.clientID = spec.clientId;
      this.#doc.on('update', (u: Uint8Array) => (this.#lastUpdate = u));
    }
    if (spec.sampled) this.#mirror = new Y.Doc();
  }

  get ownId(): number {
    return this.spec.typist ? this.spec.clientId : -1;
  }

  /** Opens the socket, asks for the document (sync step 1) and resolves once its state arrived. */
  connect(cookie: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done('no sync within timeout'), timeoutMs);
      const done = (failure?: string) => {
        clearTimeout(timer);
        if (failure && !this.closedBy) this.closedBy = failure;
        resolve();
      };
      const ws = new WebSocket(this.spec.url, { headers: cookie ? { cookie } : {}, perMessageDeflate: false, maxPayload: 2 ** 30 });
      this.ws = ws;
      ws.on('open', () => ws.send(syncStep1Frame()));
      ws.on('message', (data: Buffer) => {
        this.onMessage(data);
        if (this.synced) done();
      });
      ws.on('error', (err) => done(err.message));
      ws.on('close', (code, reason) => {
        this.closedBy ??= `closed ${code} ${reason.toString()}`;
        done(this.closedBy);
      });
    });
  }

  onMessage(data: Buffer): void {
    const t = now();
    this.messages++;
    const msg = readFrame(data, this.#mirror !== undefined);
    if (msg.kind === 'update') {
      this.#onUpdate(msg.update, t);
      if (msg.step2) this.synced = true;
    } else if (msg.kind === 'awareness') {
      for (const e of msg.entries) {
        if (e.clientId === this.ownId) continue;
        const sentAt = (JSON.parse(e.state) as { t?: number } | null)?.t;
        if (typeof sentAt === 'number') this.awarenessLatencies.push(t - sentAt);
      }
    }
  }

  #onUpdate(update: Uint8Array, t: number): void {
    if (this.#mirror) {
      // Time each stamp not seen before (servers may merge several updates into one message).
      for (const s of Y.decodeUpdate(update).structs) {
        if (!(s instanceof Y.Item) || !(s.content instanceof Y.ContentString) || s.id.client === this.ownId) continue;
        const seen = this.coverage.get(s.id.client) ?? 0;
        readStamps(s.content.str, s.id.clock, (sentAt, clock) => {
          if (clock < seen) return;
          this.sendTimes.push(sentAt);
          this.latencies.push(t - sentAt);
        });
      }
      Y.applyUpdate(this.#mirror, update);
    }
    const r = this.#ranges;
    r.length = 0;
    clockRanges(update, r);
    for (let i = 0; i < r.length; i += 3) {
      const [client, from, to] = [r[i]!, r[i + 1]!, r[i + 2]!];
      if (client === this.ownId) continue;
      const have = this.coverage.get(client) ?? 0;
      if (from > have) this.gapsLost += (from - have) / STAMP_LEN;
      if (to > have) {
        this.delivered += (to - Math.max(from, have)) / STAMP_LEN;
        this.coverage.set(client, to);
      }
    }
  }

  /** Types one stamp at the end of this typist's own text and sends the update. */
  type(): void {
    const text = this.#doc!.getText('t');
    text.insert(text.length, stamp(now()));
    this.ws!.send(updateFrame(this.#lastUpdate!));
    // The mirror is this participant's view of the whole room, own edits included (Convene does not echo them).
    if (this.#mirror) Y.applyUpdate(this.#mirror, this.#lastUpdate!);
    this.sent++;
  }

  /** Publishes a cursor, as an editor does when the caret moves. */
  announce(): void {
    const clock = this.#doc!.getText('t').length;
    const pos = { type: null, tname: 'body', item: { client: this.spec.clientId, clock }, assoc: 0 };
    const state = { user: { name: `Typist ${this.spec.clientId % 10_000}`, group: 'civil_society', color: '#1b7a3e' }, cursor: { anchor: pos, head: pos }, t: now() };
    this.ws!.send(awarenessFrame(this.spec.clientId, ++this.#awarenessClock, JSON.stringify(state)));
  }

  get clock(): number {
    return this.#doc ? Y.getState(this.#doc.store, this.spec.clientId) : 0;
  }

  /** Updates still missing against the room's expected state vector (gaps included). */
  missing(expected: [client: number, clock: number][]): number {
    let n = this.gapsLost;
    for (const [client, clock] of expected) {
      if (client !== this.ownId) n += Math.max(0, clock - (this.coverage.get(client) ?? 0)) / STAMP_LEN;
    }
    return n;
  }

  /** The mirror's state vector is exactly the expected one and its text holds every stamp; plus a hash to compare mirrors. */
  mirrorCheck(expected: [client: number, clock: number][]): { ok: boolean; hash: string } {
    const sv = Y.decodeStateVector(Y.encodeStateVector(this.#mirror!));
    const ok = sv.size === expected.length && expected.every(([c, clock]) => sv.get(c) === clock);
    const text = this.#mirror!.getText('t').toString();
    const total = expected.reduce((n, [, clock]) => n + clock, 0);
    return { ok: ok && text.length === total, hash: createHash('sha1').update(text).digest('hex') };
  }

  close(): void {
    this.ws?.terminate();
  }
}
