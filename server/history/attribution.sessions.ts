import type { Logger } from '../logger.ts';
import type { Editor } from './attribution.runs.ts';
import type { EditCounts } from './attribution.capture.ts';

/** One member's editing session in one document, summed. */
export interface EditSession extends EditCounts {
  docId: string;
  editor: Editor;
}

interface Open extends EditSession {
  timer: NodeJS.Timeout;
}

/**
 * Edit sessions, for the audit log: one member's edits to one document, from
 * their first until `idleMs` pass without one or their last connection to the
 * document closes. Each ended session is handed to `write` once (the audit
 * entry `document.edited`); `close` ends and writes every open one (shutdown).
 */
export class EditSessions {
  readonly #open = new Map<string, Open>();
  readonly #writing = new Set<Promise<void>>();

  constructor(
    private readonly idleMs: number,
    private readonly write: (session: EditSession) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  edited(docId: string, editor: Editor, counts: EditCounts): void {
    const key = `${docId}\u0000${editor.membershipId}`;
    let open = this.#open.get(key);
    if (!open) {
      open = { docId, editor, inserted: 0, deleted: 0, timer: undefined as unknown as NodeJS.Timeout };
      this.#open.set(key, open);
    }
    clearTimeout(open.timer);
    open.inserted += counts.inserted;
    open.deleted += counts.deleted;
    open.timer = setTimeout(() => this.#end(key), this.idleMs);
    open.timer.unref();
  }

  /** The member's last connection to the document closed. */
  left(docId: string, editor: Editor): void {
    this.#end(`${docId}\u0000${editor.membershipId}`);
  }

  /** Ends and writes every open session; resolves once all are written. */
  async close(): Promise<void> {
    for (const key of [...this.#open.keys()]) this.#end(key);
    await Promise.all([...this.#writing]);
  }

  #end(key: string): void {
    const open = this.#open.get(key);
    if (!open) return;
    this.#open.delete(key);
    clearTimeout(open.timer);
    const { timer: _, ...session } = open;
    const writing = this.write(session).catch((err: unknown) =>
      this.logger.error({ err, docId: session.docId }, 'recording an editing session in the audit log failed'),
    );
    this.#writing.add(writing);
    void writing.finally(() => this.#writing.delete(writing));
  }
}
