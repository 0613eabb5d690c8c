import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { prosemirrorToYXmlFragment } from '@tiptap/y-tiptap';
import { Node } from '@tiptap/pm/model';
import { DiffBlock, DocumentDiff, FieldChange, GroupCounts } from '../shared/history.ts';
import { diffDocument } from '../server/history/diff.engine.ts';
import type { AttributionIndex } from '../server/history/types.ts';
import { writePlan } from './helpers/plan.ts';
import { History, paragraph, textOf } from './helpers/history.ts';

const plain = (text: string) => ({ text, change: null });
const nobody: AttributionIndex = { insertedBy: () => null, deletedBy: () => null };

describe('diffDocument: paragraphs', () => {
  it('shows unchanged text plain and each insertion and deletion with the member who made it, with counts per group', () => {
    const h = new History();
    const gov = h.member('government', 1);
    const cso = h.member('civil_society', 2);
    h.edit(gov, (b) => b.insert(0, [paragraph('The old law protects defenders.'), paragraph('Second paragraph.')]));
    const from = h.snapshot();
    h.edit(cso, (b) => textOf(b, 0).insert('The old law '.length, 'fully '));
    h.edit(gov, (b) => textOf(b, 0).delete('The '.length, 'old '.length));
    const to = h.snapshot();

    const diff = diffDocument(h.replica, from, to, h.index, h.author);
    expect(diff.blocks.map((b) => DiffBlock.parse(b))).toEqual([
      {
        node: 'paragraph',
        planBlock: null,
        status: 'changed',
        segments: [
          plain('The '),
          { text: 'old ', change: { kind: 'removed', by: h.author(gov.attribution) } },
          plain('law '),
          { text: 'fully ', change: { kind: 'added', by: h.author(cso.attribution) } },
          plain('protects defenders.'),
        ],
      },
      { node: 'paragraph', planBlock: null, status: 'same', segments: [plain('Second paragraph.')] },
    ]);
    GroupCounts.parse(diff.counts);
    expect(diff.counts.civil_society).toEqual({ added: 6, removed: 0 });
    expect(diff.counts.government).toEqual({ added: 0, removed: 4 });
    expect(diff.counts.unknown).toEqual({ added: 0, removed: 0 });
    expect(diff.fields).toEqual([]);
  });

  it('counts formatting as no change to the text', () => {
    const h = new History();
    const gov = h.member('government', 1);
    h.edit(gov, (b) => b.insert(0, [paragraph('Bold words here.')]));
    const from = h.snapshot();
    h.edit(gov, (b) => textOf(b, 0).format(0, 4, { bold: true }));
    h.edit(gov, (b) => textOf(b, 0).format(5, 5, { italic: true }));
    const to = h.snapshot();

    const diff = diffDocument(h.replica, from, to, h.index, h.author);
    expect(diff.blocks).toEqual([{ node: 'paragraph', planBlock: null, status: 'same', segments: [plain('Bold words here.')] }]);
    expect(Object.values(diff.counts).every((c) => c.added === 0 && c.removed === 0)).toBe(true);
  });

  it('marks a paragraph deleted whole as removed, and a new one as added, each by whoever did it', () => {
    const h = new History();
    const gov = h.member('government', 1);
    const nhri = h.member('nhri', 2);
    h.edit(gov, (b) => b.insert(0, [paragraph('Keep me.'), paragraph('Delete me.')]));
    const from = h.snapshot();
    h.edit(nhri, (b) => b.delete(1, 1));
    h.edit(gov, (b) => b.insert(0, [paragraph('New.')]));
    const to = h.snapshot();

    const diff = diffDocument(h.replica, from, to, h.index, h.author);
    expect(diff.blocks).toEqual([
      { node: 'paragraph', planBlock: null, status: 'added', segments: [{ text: 'New.', change: { kind: 'added', by: h.author(gov.attribution) } }] },
      { node: 'paragraph', planBlock: null, status: 'same', segments: [plain('Keep me.')] },
      { node: 'paragraph', planBlock: null, status: 'removed', segments: [{ text: 'Delete me.', change: { kind: 'removed', by: h.author(nhri.attribution) } }] },
    ]);
    expect(diff.counts.nhri).toEqual({ added: 0, removed: 10 });
    expect(diff.counts.government).toEqual({ added: 4, removed: 0 });
  });

  it('finds the text blocks inside lists and headings, in document order, and marks those inside a removed list removed', () => {
    const h = new History();
    const gov = h.member('government', 1);
    const list = (items: string[]) => {
      const ul = new Y.XmlElement('bulletList');
      ul.insert(
        0,
        items.map((t) => {
          const li = new Y.XmlElement('listItem');
          li.insert(0, [paragraph(t)]);
          return li;
        }),
      );
      return ul;
    };
    h.edit(gov, (b) => {
      const heading = new Y.XmlElement('heading');
      heading.setAttribute('level', '2');
      heading.insert(0, [new Y.XmlText('Title')]);
      b.insert(0, [heading, list(['one', 'two']), list(['gone'])]);
    });
    const from = h.snapshot();
    h.edit(gov, (b) => b.delete(2, 1));
    h.edit(gov, (b) => {
      const item = (b.get(1) as Y.XmlElement).get(1) as Y.XmlElement;
      ((item.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(3, '!');
    });
    const to = h.snapshot();
    const diff = diffDocument(h.replica, from, to, h.index, h.author);
    expect(diff.blocks.map((b) => [b.node, b.status, b.segments.map((s) => `${s.change?.kind ?? '='}:${s.text}`).join('|')])).toEqual([
      ['heading', 'same', '=:Title'],
      ['paragraph', 'same', '=:one'],
      ['paragraph', 'changed', '=:two|added:!'],
      ['paragraph', 'removed', 'removed:gone'],
    ]);
  });

  it('shows a line break (an element between two texts) as a newline, added or removed by whoever did it', () => {
    const h = new History();
    const gov = h.member('government', 1);
    const cso = h.member('civil_society', 2);
    h.edit(gov, (b) => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText('one'), new Y.XmlElement('hardBreak'), new Y.XmlText('two')]);
      b.insert(0, [p]);
    });
    const from = h.snapshot();
    h.edit(cso, (b) => (b.get(0) as Y.XmlElement).delete(1, 1));
    h.edit(gov, (b) => (b.get(0) as Y.XmlElement).insert(1, [new Y.XmlElement('hardBreak')]));
    const diff = diffDocument(h.replica, from, h.snapshot(), h.index, h.author);
    expect(diff.blocks[0]!.segments).toEqual([
      plain('one'),
      // Yjs places the new break right after "one", before the deleted one.
      { text: '\n', change: { kind: 'added', by: h.author(gov.attribution) } },
      { text: '\n', change: { kind: 'removed', by: h.author(cso.attribution) } },
      plain('two'),
    ]);
    expect(diff.counts.civil_society).toEqual({ added: 0, removed: 1 });
  });

  it('reads documents as the editor binding (y-tiptap) writes them: marks, line breaks, lists', () => {
    const schema = getSchema([StarterKit]);
    const text = (t: string, mark?: string) => ({ type: 'text', text: t, ...(mark ? { marks: [{ type: mark }] } : {}) });
    const pm = (word: string, mark: string | undefined, tail: string) =>
      Node.fromJSON(schema, {
        type: 'doc',
        content: [
          { type: 'heading', attrs: { level: 2 }, content: [text('Title')] },
          { type: 'paragraph', content: [text('The '), text(word, 'bold'), text(' law'), { type: 'hardBreak' }, text(`next line${tail}`)] },
          { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [text('item', mark)] }] }] },
        ],
      });
    const h = new History();
    const gov = h.member('government', 1);
    const cso = h.member('civil_society', 2);
    h.edit(gov, (b) => prosemirrorToYXmlFragment(pm('old', undefined, ''), b));
    const from = h.snapshot();
    h.edit(cso, (b) => prosemirrorToYXmlFragment(pm('new', 'italic', '!'), b));
    const diff = diffDocument(h.replica, from, h.snapshot(), h.index, h.author);
    expect(diff.blocks.map((b) => [b.node, b.status, b.segments.map((s) => `${s.change?.kind ?? '='}:${s.text}`)])).toEqual([
      ['heading', 'same', ['=:Title']],
      ['paragraph', 'changed', ['=:The ', 'removed:old', 'added:new', '=: law\nnext line', 'added:!']],
      ['paragraph', 'same', ['=:item']],
    ]);
    expect(diff.counts.civil_society).toEqual({ added: 4, removed: 3 });
  });

  it('splits one deleted run between the people who deleted its parts', () => {
    const h = new History();
    const gov = h.member('government', 1);
    const intl = h.member('international', 2);
    h.edit(gov, (b) => b.insert(0, [paragraph('abcdefgh')]));
    const from = h.snapshot();
    h.edit(gov, (b) => textOf(b, 0).delete(2, 2)); // cd
    h.edit(intl, (b) => textOf(b, 0).delete(2, 2)); // ef
    const to = h.snapshot();
    const diff = diffDocument(h.replica, from, to, h.index, h.author);
    expect(diff.blocks[0]!.segments).toEqual([
      plain('ab'),
      { text: 'cd', change: { kind: 'removed', by: h.author(gov.attribution) } },
      { text: 'ef', change: { kind: 'removed', by: h.author(intl.attribution) } },
      plain('gh'),
    ]);
  });

  it('keeps unattributed text and hidden authors apart: by null, counted as unknown or under the recorded group', () => {
    const h = new History();
    const gov = h.member('government', 1);
    h.edit(gov, (b) => b.insert(0, [paragraph('abc')]));
    const from = h.snapshot();
    h.edit(gov, (b) => textOf(b, 0).insert(3, 'def'));
    const to = h.snapshot();

    const unknown = diffDocument(h.replica, from, to, nobody, h.author);
    expect(unknown.blocks[0]!.segments).toEqual([plain('abc'), { text: 'def', change: { kind: 'added', by: null } }]);
    expect(unknown.counts.unknown).toEqual({ added: 3, removed: 0 });

    const hidden = diffDocument(h.replica, from, to, h.index, () => null);
    expect(hidden.blocks[0]!.segments).toEqual([plain('abc'), { text: 'def', change: { kind: 'added', by: null } }]);
    expect(hidden.counts.government).toEqual({ added: 3, removed: 0 });
  });

  it('compares backwards too (a later version against an earlier one) and refuses a garbage-collected document', () => {
    const h = new History();
    const gov = h.member('government', 1);
    h.edit(gov, (b) => b.insert(0, [paragraph('abc')]));
    const early = h.snapshot();
    h.edit(gov, (b) => textOf(b, 0).insert(3, 'd'));
    const late = h.snapshot();
    const back = diffDocument(h.replica, late, early, h.index, h.author);
    expect(back.blocks[0]!.segments).toEqual([plain('abc'), { text: 'd', change: { kind: 'removed', by: null } }]);
    expect(() => diffDocument(new Y.Doc(), early, late, h.index, h.author)).toThrow(/garbage collection/);
    // A snapshot from a newer state than the document holds (e.g. the wrong document loaded) is refused plainly.
    const behind = new Y.Doc({ gc: false });
    Y.applyUpdate(behind, Y.encodeStateAsUpdate(h.replica, Y.encodeStateVector(new Y.Doc())));
    h.edit(gov, (b) => textOf(b, 0).insert(0, 'x'));
    expect(() => diffDocument(behind, early, h.snapshot(), h.index, h.author)).toThrow(/ahead of the document/);
  });
});

describe('diffDocument: plan blocks', () => {
  const plan = (actions: { id: string; title: string; attrs?: Record<string, unknown> }[]) => [
    { id: 'g1', title: 'Goal', objectives: [{ id: 'o1', title: 'Objective', actions }] },
  ];

  it('places text in its plan block with the number at the later end, and compares actions field by field', () => {
    const h = new History();
    const gov = h.member('government', 1);
    const cso = h.member('civil_society', 2);
    h.edit(gov, (b) =>
      writePlan(
        b,
        plan([
          { id: 'a1', title: 'Train judges', attrs: { lead: 'Ministry of Justice', partners: ['NHRI'], recommendations: ['r1', 'r2'] } },
          { id: 'a2', title: 'Dropped action' },
        ]),
      ),
    );
    const from = h.snapshot();
    const objective = (b: Y.XmlFragment) => (b.get(0) as Y.XmlElement).get(1) as Y.XmlElement;
    const action = (b: Y.XmlFragment, i: number) => objective(b).get(1 + i) as Y.XmlElement;
    h.edit(cso, (b) => ((action(b, 0).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert('Train '.length, 'all '));
    h.edit(gov, (b) => {
      const a1 = action(b, 0);
      a1.setAttribute('lead', 'Judicial Council');
      a1.setAttribute('budget', { amount: 1000, currency: 'EUR', source: 'donor' } as unknown as string);
      a1.setAttribute('recommendations', ['r2', 'r1'] as unknown as string); // same links, other order
    });
    h.edit(gov, (b) => objective(b).delete(2, 1)); // a2
    h.edit(cso, (b) => writePlan(b, [])); // nothing
    h.edit(cso, (b) => {
      const o = objective(b);
      const el = new Y.XmlElement('planAction');
      el.setAttribute('id', 'a3');
      el.setAttribute('status', 'in_progress');
      const t = new Y.XmlElement('planTitle');
      t.insert(0, [new Y.XmlText('Consult')]);
      el.insert(0, [t]);
      o.insert(0 + 1, [el]); // before a1
    });
    const to = h.snapshot();

    const diff = diffDocument(h.replica, from, to, h.index, h.author);
    const ref = (node: string, id: string, number: string | null) => ({ node, id, number });
    expect(diff.blocks.map((b) => [b.node, b.planBlock, b.status, b.segments.map((s) => s.text).join('')])).toEqual([
      ['planTitle', ref('planGoal', 'g1', '1'), 'same', 'Goal'],
      ['planTitle', ref('planObjective', 'o1', '1.1'), 'same', 'Objective'],
      ['planTitle', ref('planAction', 'a3', '1.1.1'), 'added', 'Consult'],
      ['planTitle', ref('planAction', 'a1', '1.1.2'), 'changed', 'Train all judges'],
      ['planTitle', ref('planAction', 'a2', null), 'removed', 'Dropped action'],
    ]);
    expect(diff.blocks[3]!.segments[1]).toEqual({ text: 'all ', change: { kind: 'added', by: h.author(cso.attribution) } });
    expect(diff.blocks[4]!.segments).toEqual([{ text: 'Dropped action', change: { kind: 'removed', by: h.author(gov.attribution) } }]);
    expect(diff.fields.map((f) => FieldChange.parse(f))).toEqual([
      { actionId: 'a3', number: '1.1.1', title: 'Consult', field: 'status', before: null, after: 'in_progress' },
      { actionId: 'a1', number: '1.1.2', title: 'Train all judges', field: 'lead', before: 'Ministry of Justice', after: 'Judicial Council' },
      { actionId: 'a1', number: '1.1.2', title: 'Train all judges', field: 'budget', before: null, after: { amount: 1000, currency: 'EUR', source: 'donor' } },
      { actionId: 'a2', number: null, title: 'Dropped action', field: 'status', before: 'planned', after: null },
    ]);
    // What the route will send: the engine's part fits the wire shape as it is.
    expect(() => DocumentDiff.parse({ from: { versionId: null, at: null }, to: { versionId: null, at: null }, ...diff, threads: [] })).not.toThrow();
  });
});
