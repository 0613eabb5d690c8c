import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeRange, resolveRange } from '../shared/anchors.ts';
import { seededRandom, testSeed } from './helpers/random.ts';
import { livePassages } from '../server/collab/proposals.ts';
import type { RoomRegistry } from '../server/collab/rooms.ts';

/**
 * Anchors under concurrency: several replicas edit before, after, at the
 * edges of and inside an anchored passage, exchanging updates in a random
 * order. The passage is `{…}` with uppercase letters, digits are typed inside
 * it, '-' outside; letters anywhere may be deleted, but not the braces that
 * mark the passage's first and last characters (once an edge character is
 * gone, text typed exactly where it stood can fall on either side, which the
 * detached case covers). Whatever the interleaving, every replica must
 * resolve the anchor to the same text: the braces, all surviving passage
 * letters and inside digits, and no '-'.
 */
describe('comment anchors (Yjs relative positions)', () => {
  const prefix = 'everyone has the ';
  const passage = '{RIGHTTOTAKEPART}';
  const suffix = ' in public affairs';

  function replicas(count: number) {
    const origin = new Y.Doc();
    const text = origin.getXmlFragment('body').insert(0, [new Y.XmlElement('paragraph')]);
    void text;
    const paragraph = origin.getXmlFragment('body').get(0) as Y.XmlElement;
    paragraph.insert(0, [new Y.XmlText(prefix + passage + suffix)]);
    const anchor = encodeRange(paragraph.get(0) as Y.XmlText, prefix.length, prefix.length + passage.length);
    const state = Y.encodeStateAsUpdate(origin);
    const docs = Array.from({ length: count }, (_, i) => {
      const d = new Y.Doc();
      d.clientID = i + 1;
      Y.applyUpdate(d, state);
      return d;
    });
    return { docs, anchor };
  }

  const textOf = (d: Y.Doc) => ((d.getXmlFragment('body').get(0) as Y.XmlElement).get(0) as Y.XmlText);
  const anchored = (d: Y.Doc, anchor: ReturnType<typeof encodeRange>) => {
    const r = resolveRange(anchor, d);
    return r ? textOf(d).toDelta().map((op: { insert: string }) => op.insert).join('').slice(r.from, r.to) : null;
  };

  for (let run = 0; run < 20; run++) {
    it(`stays on the same words through random concurrent edits (run ${run + 1})`, () => {
      const random = seededRandom(testSeed() + run);
      const { docs, anchor } = replicas(3);
      const queues: Uint8Array[][] = docs.map(() => []);
      docs.forEach((d, i) => d.on('update', (u: Uint8Array, origin: unknown) => {
        if (origin !== 'remote') queues.forEach((q, j) => j !== i && q.push(u));
      }));

      for (let step = 0; step < 300; step++) {
        const i = Math.floor(random() * docs.length);
        const d = docs[i]!;
        if (random() < 0.3 && queues[i]!.length > 0) {
          // Deliver a random pending update to this replica, out of order.
          const k = Math.floor(random() * queues[i]!.length);
          Y.applyUpdate(d, queues[i]!.splice(k, 1)[0]!, 'remote');
          continue;
        }
        const t = textOf(d);
        const r = resolveRange(anchor, d);
        const roll = random();
        if (roll < 0.15 && t.length > 1) {
          const at = Math.floor(random() * t.length);
          if (!'{}'.includes(t.toString()[at]!)) t.delete(at, 1);
        } else if (r && roll < 0.55 && r.to - r.from >= 2) {
          t.insert(r.from + 1 + Math.floor(random() * (r.to - r.from - 1)), String(Math.floor(random() * 10)));
        } else {
          // Outside, including exactly at either edge of the passage.
          const edges = r ? [r.from, r.to] : [];
          const pos = edges.length && random() < 0.5 ? edges[Math.floor(random() * 2)]! : Math.floor(random() * (t.length + 1));
          if (!r || pos <= r.from || pos >= r.to) t.insert(pos, '-');
        }
      }
      // Deliver everything that is left.
      docs.forEach((d, i) => queues[i]!.splice(0).forEach((u) => Y.applyUpdate(d, u, 'remote')));

      const results = docs.map((d) => anchored(d, anchor));
      expect(new Set(results).size).toBe(1);
      const words = results[0];
      const surviving = [...textOf(docs[0]!).toString()].filter((c) => /[A-Z0-9]/.test(c)).join('');
      expect(words).not.toBeNull();
      expect(words!.startsWith('{') && words!.endsWith('}')).toBe(true);
      expect(words).not.toContain('-');
      expect(words!.replace(/[^A-Z0-9]/g, '')).toBe(surviving);
    });
  }

  it('reports a passage as detached once it has been deleted', () => {
    const { docs, anchor } = replicas(1);
    const t = textOf(docs[0]!);
    expect(anchored(docs[0]!, anchor)).toBe(passage);
    t.delete(prefix.length - 2, passage.length + 4);
    expect(resolveRange(anchor, docs[0]!)).toBeNull();
  });
});

describe('the passage a thread anchors, read and replaced on the server', () => {
  /** One paragraph with formatted words, in a registry of one room. */
  function oneRoom(words: [string, Record<string, unknown>?][]) {
    const doc = new Y.Doc();
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    doc.getXmlFragment('default').insert(0, [paragraph]);
    for (const [chunk, format] of words) text.insert(text.length, chunk, format ?? {});
    const rooms = { acquire: async () => ({ doc }), release: () => undefined } as unknown as RoomRegistry;
    const plain = () => (text.toDelta() as { insert: string }[]).map((op) => op.insert).join('');
    return { passages: livePassages(rooms), text, plain };
  }

  it('reads formatted words as the words themselves, and replaces exactly them', async () => {
    const { passages, text, plain } = oneRoom([['Everyone has the '], ['right', { bold: true }], [' to take part in public affairs.']]);
    const anchor = encodeRange(text, 0, 'Everyone has the right to take part'.length);
    expect(await passages.read('d', anchor)).toBe('Everyone has the right to take part');
    await expect(passages.replace('d', anchor, 'Everyone has the <bold>right</bold> to take part', 'x')).rejects.toMatchObject({ code: 'conflict' });
    const done = await passages.replace('d', anchor, 'Everyone has the right to take part', 'Every person may take part');
    expect(done.replaced).toBe('Everyone has the right to take part');
    expect(plain()).toBe('Every person may take part in public affairs.');
  });

  it('refuses a blank passage and answers a deleted one with a conflict carrying null', async () => {
    const { passages, text } = oneRoom([['Everyone has the right.']]);
    await expect(passages.read('d', encodeRange(text, 8, 9))).rejects.toMatchObject({ code: 'validation_failed' });
    const anchor = encodeRange(text, 0, 8);
    text.delete(0, 12);
    await expect(passages.read('d', anchor)).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(passages.replace('d', anchor, 'Everyone', 'x')).rejects.toMatchObject({ code: 'conflict', details: { current: null } });
  });
});
