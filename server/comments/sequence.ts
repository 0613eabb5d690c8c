import type { Thread } from '../../shared/comments.ts';

interface DocumentSequence {
  /** The last number handed out. */
  last: number;
  /** Every change up to this number is stored (or failed) and announced. */
  announced: number;
  /** Changes that finished ahead of an earlier one, held until it does: the stored thread, or null if storing failed. */
  settled: Map<number, Thread | null>;
}

/** A change's place in its document's sequence; settle it once the change is stored, or has failed. */
export interface Ticket {
  seq: number;
  settle(thread: Thread | null): void;
}

/**
 * Numbers every thread change in a document and announces them in that
 * order. Changes are stored concurrently — none waits for another's store
 * round-trip — but a change is announced only once every lower number has
 * been stored or has failed. A client that has heard of change n therefore
 * misses nothing at or below it, and `seq > n` is all it needs to ask for.
 *
 * The numbers live in this process, which owns its documents' comments; on
 * first use they continue from the highest one stored.
 */
export class ThreadSequences {
  readonly #docs = new Map<string, Promise<DocumentSequence>>();

  constructor(
    private readonly lastStored: (documentId: string) => Promise<number>,
    private readonly announce: (thread: Thread) => void,
  ) {}

  async next(documentId: string): Promise<Ticket> {
    const doc = await this.#doc(documentId);
    const seq = ++doc.last;
    let settled = false;
    return {
      seq,
      settle: (thread) => {
        if (settled) return;
        settled = true;
        doc.settled.set(seq, thread);
        while (doc.settled.has(doc.announced + 1)) {
          const next = doc.settled.get(++doc.announced)!;
          doc.settled.delete(doc.announced);
          if (next) this.announce(next);
        }
      },
    };
  }

  /** The number below which everything is stored and announced: a safe `since` for the next catch-up. */
  async announced(documentId: string): Promise<number> {
    return (await this.#doc(documentId)).announced;
  }

  #doc(documentId: string): Promise<DocumentSequence> {
    let doc = this.#docs.get(documentId);
    if (!doc) {
      doc = this.lastStored(documentId).then((last) => ({ last, announced: last, settled: new Map() }));
      this.#docs.set(documentId, doc);
      // A failed read is tried again next time rather than remembered.
      doc.catch(() => this.#docs.delete(documentId));
    }
    return doc;
  }
}
