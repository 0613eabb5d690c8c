import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import type { Author } from '../../shared/comments.ts';
import type { StakeholderGroup } from '../../shared/groups.ts';
import type { Attribution } from '../../server/history/types.ts';
import { fragmentName } from '../../shared/collab.ts';
import { RecordedAttribution } from './attribution-recorder.ts';

/**
 * A small consultation in memory for the history tests: a gc:false replica
 * (what the server keeps) and members typing in documents of their own,
 * each update reaching the replica at once, with the ground truth of who
 * did what recorded as they type.
 */
export interface Member {
  doc: Y.Doc;
  attribution: Attribution;
  body: Y.XmlFragment;
}

export class History {
  readonly replica = new Y.Doc({ gc: false });
  readonly index = new RecordedAttribution();
  readonly #aliases = new Map<string, number>();

  member(group: StakeholderGroup, clientID: number): Member {
    const doc = new Y.Doc({ gc: false });
    doc.clientID = clientID;
    const attribution: Attribution = { membershipId: randomUUID(), group, at: new Date().toISOString() };
    this.#aliases.set(attribution.membershipId, this.#aliases.size + 1);
    this.index.watch(doc, () => attribution);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(this.replica));
    doc.on('update', (u: Uint8Array) => Y.applyUpdate(this.replica, u, 'member'));
    return { doc, attribution, body: doc.getXmlFragment(fragmentName) };
  }

  /** Members see each other's edits through the replica: bring `m` up to date. */
  sync(m: Member): void {
    Y.applyUpdate(m.doc, Y.encodeStateAsUpdate(this.replica, Y.encodeStateVector(m.doc)), 'replica');
  }

  /** `m` catches up with everyone, then makes one change (one transaction). */
  edit(m: Member, change: (body: Y.XmlFragment) => void): void {
    this.sync(m);
    m.doc.transact(() => change(m.body));
  }

  snapshot(): Y.Snapshot {
    return Y.snapshot(this.replica);
  }

  /** What a viewer is shown of an attribution: the alias and group, as on comments. */
  readonly author = (a: Attribution): Author => ({ memberId: a.membershipId, alias: this.#aliases.get(a.membershipId) ?? 0, group: a.group, role: 'contributor' });
}

export function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  return p;
}

/** The first XmlText of the `i`th block of a fragment. */
export const textOf = (fragment: Y.XmlFragment, i: number): Y.XmlText => (fragment.get(i) as Y.XmlElement).get(0) as Y.XmlText;
