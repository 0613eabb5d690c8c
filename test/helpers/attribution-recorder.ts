import * as Y from 'yjs';
import type { Attribution, AttributionIndex } from '../../server/history/types.ts';

/**
 * Ground truth for the history tests and the diff benchmark: an
 * AttributionIndex filled by watching the documents where people type
 * (each local transaction's new items and deletions, credited to whoever
 * `who()` says is typing), not from the server's update log. Concurrent
 * deletions of one character by two people keep every deleter (`deleters`),
 * and `deletedBy` answers with the first.
 */
export class RecordedAttribution implements AttributionIndex {
  /** Per client, the inserted clock ranges in clock order (a client's clock only grows). */
  readonly #inserts = new Map<number, { clock: number; len: number; who: Attribution }[]>();
  readonly #deletes = new Map<string, Attribution[]>();

  /** Records every local transaction of `doc`, credited to `who()` at the time. */
  watch(doc: Y.Doc, who: () => Attribution): void {
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (!tr.local) return;
      const a = who();
      const before = tr.beforeState.get(doc.clientID) ?? 0;
      const after = tr.afterState.get(doc.clientID) ?? 0;
      if (after > before) this.inserted(doc.clientID, before, after - before, a);
      for (const [client, ranges] of tr.deleteSet.clients)
        for (const r of ranges) for (let i = 0; i < r.len; i++) this.deleted(client, r.clock + i, a);
    });
  }

  inserted(client: number, clock: number, len: number, who: Attribution): void {
    let list = this.#inserts.get(client);
    if (!list) this.#inserts.set(client, (list = []));
    list.push({ clock, len, who });
  }

  deleted(client: number, clock: number, who: Attribution): void {
    const key = `${client}:${clock}`;
    const list = this.#deletes.get(key);
    if (list) list.push(who);
    else this.#deletes.set(key, [who]);
  }

  insertedBy(id: Y.ID): Attribution | null {
    const list = this.#inserts.get(id.client);
    if (!list) return null;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = list[mid]!;
      if (id.clock < r.clock) hi = mid - 1;
      else if (id.clock >= r.clock + r.len) lo = mid + 1;
      else return r.who;
    }
    return null;
  }

  deletedBy(id: Y.ID): Attribution | null {
    return this.#deletes.get(`${id.client}:${id.clock}`)?.[0] ?? null;
  }

  /** Everyone whose transaction deleted this character (two people can delete it at once). */
  deleters(id: Y.ID): Attribution[] {
    return this.#deletes.get(`${id.client}:${id.clock}`) ?? [];
  }
}
