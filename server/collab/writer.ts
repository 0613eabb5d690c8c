import type { UpdateLog } from './persistence.ts';
import type { Compactor } from './compactor.ts';
import { MergingBatch } from './merge.ts';
import { PendingRuns, type Editor, type Run, type StoredRun } from '../history/attribution.runs.ts';
import type { Logger } from '../logger.ts';

export interface WriterOptions {
  /** Pending updates are written at most this long after the first of them arrived. */
  maxDelayMs: number;
  /** …or once no new update has arrived for this long. */
  debounceMs: number;
  compactAfterUpdates: number;
  /**
   * …or as soon as this many updates are pending. Fast typing fills a batch
   * with thousands of keystrokes; merging them all at write time blocked the
   * event loop for 10–40 ms, while a batch of this size merges in about one.
   */
  maxBatchUpdates?: number;
}

const defaultMaxBatchUpdates = 1024;

/**
 * Writes one document's updates to its log: batched (debounced, with a
 * maximum delay that bounds what a crash can lose), one write at a time, and
 * retried when the store fails, so an update the room applied is never
 * dropped while the process lives.
 *
 * Now and then it compacts the log: the entries stored so far are merged into
 * one (in the compactor's thread) and replace them. Writes go on meanwhile.
 */
export class DocumentWriter {
  #pending = new MergingBatch();
  /** Who made the pending updates; written with them. */
  #runs = new PendingRuns();
  /** The runs of the batch being written, until it is stored (readers see them meanwhile). */
  #writing: PendingRuns | null = null;
  #firstPendingAt = 0;
  #lastPendingAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #chain: Promise<void> = Promise.resolve();
  #seq: number;
  #sinceCompaction: number;
  /** Bytes appended since the last compaction, and the size of the last compacted state. */
  #bytesSinceCompaction = 0;
  #compactedBytes = 0;
  #failures = 0;
  /** The compaction under way, if any. */
  #compacting: Promise<void> | undefined;
  #disposed = false;

  constructor(
    private readonly docId: string,
    private readonly log: UpdateLog,
    private readonly compactor: Compactor,
    private readonly options: WriterOptions,
    private readonly logger: Logger,
    loaded: { lastSeq: number; entries: number },
  ) {
    this.#seq = loaded.lastSeq;
    this.#sinceCompaction = loaded.entries;
  }

  /** The run to record an editor's next update in; call before `schedule` for that update. */
  attribute(editor: Editor): Run {
    return this.#runs.of(editor);
  }

  /** Attribution not yet stored: the pending batch's and the one being written. */
  pendingAttribution(): StoredRun[] {
    return [...(this.#writing?.encode() ?? []), ...this.#runs.encode()];
  }

  schedule(update: Uint8Array): void {
    const now = Date.now();
    if (this.#pending.size === 0) this.#firstPendingAt = now;
    this.#lastPendingAt = now;
    this.#pending.push(update);
    if (this.#pending.size === (this.options.maxBatchUpdates ?? defaultMaxBatchUpdates)) {
      void this.flush().catch(() => undefined);
      return;
    }
    // One timer per batch, re-armed when it fires early, rather than a new timer for every keystroke.
    this.#timer ??= setTimeout(this.#due, this.options.debounceMs);
  }

  #due = (): void => {
    this.#timer = undefined;
    const now = Date.now();
    const quietAt = this.#lastPendingAt + this.options.debounceMs;
    const latestAt = this.#firstPendingAt + this.options.maxDelayMs;
    if (this.#pending.size > 0 && now < quietAt && now < latestAt) {
      this.#timer = setTimeout(this.#due, Math.min(quietAt, latestAt) - now);
      return;
    }
    void this.flush().catch(() => undefined);
  };

  /**
   * Writes everything pending now; resolves once it is stored, and any
   * compaction under way has ended (or rejects if the store refuses).
   */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#enqueue(() => this.#write());
    // Compaction runs beside the writes: wait for any under way, and for any that its end found due.
    while (this.#compacting) {
      await this.#compacting;
      await this.#chain;
    }
  }

  /** Writes what is pending, then compacts the whole log now, whatever is due (tests and tools). */
  async compactNow(): Promise<void> {
    await this.flush();
    await this.#enqueue(async () => {
      if (!(await this.#compact())) throw new Error('compacting the update log failed');
    });
  }

  /** Runs `step` after every write before it (and any step queued before it) has ended. */
  #enqueue(step: () => Promise<void> | void): Promise<void> {
    const next = this.#chain.then(step);
    this.#chain = next.catch(() => undefined);
    return next;
  }

  async #write(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    const runs = this.#runs;
    this.#pending = new MergingBatch();
    this.#runs = new PendingRuns();
    this.#writing = runs;
    // A seq is never reused: a write that failed may still have landed, and a
    // retry under a new seq merely repeats an idempotent update.
    const parts = batch.parts();
    const seq = this.#seq + 1;
    this.#seq += parts.length;
    try {
      await this.log.append(this.docId, seq, parts, runs.encode());
      this.#writing = null;
      this.#sinceCompaction += parts.length;
      this.#bytesSinceCompaction += parts.reduce((n, p) => n + p.byteLength, 0);
      this.#failures = 0;
    } catch (err) {
      // Keep the batch and try again (updates commute: the order they are merged in does not matter).
      this.#pending.absorb(batch);
      runs.absorb(this.#runs);
      this.#runs = runs;
      this.#writing = null;
      this.#failures++;
      const retryIn = Math.min(30_000, 250 * 2 ** Math.min(this.#failures, 7));
      this.logger.error({ err, docId: this.docId, retryIn }, 'storing document updates failed; will retry');
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.flush().catch(() => undefined), retryIn);
      throw err;
    }
    this.#compactIfDue();
  }

  /**
   * Compacts after so many entries, or once the log has grown well past the
   * document it describes. Called only between writes (on the write chain).
   */
  #compactIfDue(): void {
    const grown = this.#bytesSinceCompaction > Math.max(256 * 1024, 2 * this.#compactedBytes);
    if (this.#compacting || this.#disposed || (this.#sinceCompaction < this.options.compactAfterUpdates && !grown)) return;
    this.#compacting = this.#compact().then((done) => {
      this.#compacting = undefined;
      // Writes went on meanwhile; if they are already due again, compact again rather than wait for the next write.
      if (done) void this.#enqueue(() => this.#compactIfDue());
    });
  }

  /**
   * Started between two writes, so every entry below its seq is stored; the
   * merged entry replaces exactly those. Later writes take higher seqs and
   * stay as they are.
   */
  async #compact(): Promise<boolean> {
    const seq = ++this.#seq;
    const counted = { entries: this.#sinceCompaction - 1, bytes: this.#bytesSinceCompaction };
    this.#sinceCompaction = 1;
    this.#bytesSinceCompaction = 0;
    try {
      const entries = await this.log.entriesBefore(this.docId, seq);
      const { update, stateVector, attribution } = await this.compactor.merge(entries.updates, entries.attribution);
      await this.log.compact(this.docId, seq, update, stateVector, attribution);
      this.#compactedBytes = update.byteLength;
      return true;
    } catch (err) {
      // The log is still complete without the merged entry; compaction is tried again after a later write.
      this.#sinceCompaction += counted.entries;
      this.#bytesSinceCompaction += counted.bytes;
      this.logger.warn({ err, docId: this.docId }, 'compacting the update log failed');
      return false;
    }
  }

  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#timer);
  }
}
