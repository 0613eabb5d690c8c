import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { ThreadFateEntry } from '../shared/history.ts';
import { encodeRange } from '../shared/anchors.ts';
import { threadFates, type FateThread } from '../server/history/diff.fates.ts';
import { History, paragraph, textOf } from './helpers/history.ts';

const FROM = '2026-03-01T10:00:00.000Z';
const TO = '2026-03-08T10:00:00.000Z';
const before = '2026-02-20T10:00:00.000Z';
const between = '2026-03-04T10:00:00.000Z';
const later = '2026-03-10T10:00:00.000Z';

/** A document "The police shall respect the right to protest." and a thread on "respect the right". */
function setup() {
  const h = new History();
  const gov = h.member('government', 1);
  const cso = h.member('civil_society', 2);
  const nhri = h.member('nhri', 3);
  h.edit(gov, (b) => b.insert(0, [paragraph('The police shall respect the right to protest.'), paragraph('Other.')]));
  const text = textOf(h.replica.getXmlFragment('body'), 0);
  const at = 'The police shall '.length;
  const quote = 'respect the right';
  const anchor = { ...encodeRange(text, at, at + quote.length), quote };
  const thread = (extra: Partial<FateThread> = {}): FateThread => ({
    _id: randomUUID(),
    anchor,
    originalQuote: quote,
    status: 'open',
    proposal: null,
    createdAt: before,
    updatedAt: before,
    ...extra,
  });
  const from = h.snapshot();
  return { h, gov, cso, nhri, at, quote, thread, from };
}

const fatesOf = (s: ReturnType<typeof setup>, threads: FateThread[], to = s.h.snapshot()) =>
  threadFates(threads, s.h.replica, s.from, to, s.h.index, { from: FROM, to: TO }).map((f) => ThreadFateEntry.parse(f));

describe('threadFates', () => {
  it('reads open when nothing touched the thread or its words, even with edits right next to the passage', () => {
    const s = setup();
    const t = s.thread();
    s.h.edit(s.cso, (b) => textOf(b, 0).insert(s.at, 'always '));
    s.h.edit(s.gov, (b) => textOf(b, 0).insert(s.at + 'always '.length + s.quote.length, ' fully'));
    s.h.edit(s.gov, (b) => textOf(b, 1).insert(0, 'x'));
    expect(fatesOf(s, [t])).toEqual([{ threadId: t._id, fate: 'open', groups: [], reason: null, quote: s.quote }]);
  });

  it('reads passage_changed with the groups whose insertions and deletions fell inside the passage', () => {
    const s = setup();
    const t = s.thread();
    s.h.edit(s.nhri, (b) => textOf(b, 0).insert(s.at + 'respect'.length, ' fully')); // inside
    s.h.edit(s.gov, (b) => textOf(b, 0).delete(s.at + 'respect fully '.length, 'the '.length)); // inside
    const [fate] = fatesOf(s, [t]);
    expect(fate).toMatchObject({ fate: 'passage_changed', groups: ['government', 'nhri'], quote: s.quote });
  });

  it('reads detached when every word of the passage is gone, before passage_changed', () => {
    const s = setup();
    const words = s.thread();
    s.h.edit(s.gov, (b) => textOf(b, 0).delete(s.at, s.quote.length));
    expect(fatesOf(s, [words])[0]).toMatchObject({ fate: 'detached', groups: [] });

    const whole = setup();
    const t = whole.thread();
    whole.h.edit(whole.cso, (b) => b.delete(0, 1)); // the paragraph
    expect(fatesOf(whole, [t])[0]).toMatchObject({ fate: 'detached' });
  });

  it('reads accepted for a proposal accepted between the ends, before its passage change, keeping the original words', () => {
    const s = setup();
    // Accepting replaces the words and moves the anchor onto the new ones (comments.service decide()).
    s.h.edit(s.gov, (b) => {
      textOf(b, 0).delete(s.at, s.quote.length);
      textOf(b, 0).insert(s.at, 'uphold the freedom');
    });
    const text = textOf(s.h.replica.getXmlFragment('body'), 0);
    const anchor = { ...encodeRange(text, s.at, s.at + 'uphold the freedom'.length), quote: 'uphold the freedom' };
    const proposal = { text: 'uphold the freedom', status: 'accepted' as const, reason: null, decidedBy: null, decidedAt: between, replaced: s.quote };
    // The words at creation are the thread's quote, even when they were edited before the acceptance replaced them.
    const accepted = s.thread({ anchor, proposal: { ...proposal, replaced: 'respect the rights' }, updatedAt: between });
    const legacy = s.thread({ anchor, proposal, originalQuote: undefined, updatedAt: between });
    const earlier = s.thread({ proposal: { ...proposal, decidedAt: before } });
    const [a, b, c] = fatesOf(s, [accepted, legacy, earlier]);
    expect(a).toEqual({ threadId: accepted._id, fate: 'accepted', groups: [], reason: null, quote: s.quote });
    expect(b).toMatchObject({ fate: 'accepted', quote: s.quote });
    // Decided before the comparison began: not news here; its old anchor's words are gone since.
    expect(c).toMatchObject({ fate: 'detached' });
  });

  it('reads declined with the reason, before a passage change', () => {
    const s = setup();
    s.h.edit(s.cso, (b) => textOf(b, 0).insert(s.at + 1, 'x'));
    const proposal = { text: 'honour', status: 'declined' as const, reason: 'Already covered by 2.1', decidedBy: null, decidedAt: between };
    const t = s.thread({ proposal });
    expect(fatesOf(s, [t])[0]).toEqual({ threadId: t._id, fate: 'declined', groups: [], reason: 'Already covered by 2.1', quote: s.quote });
  });

  it('reads resolved when resolved by the later end, after passage_changed, and open when its last change is later', () => {
    const s = setup();
    const resolved = s.thread({ status: 'resolved', updatedAt: between });
    const resolvedEarlier = s.thread({ status: 'resolved', updatedAt: before });
    const changedLater = s.thread({ status: 'resolved', updatedAt: later });
    const closed = s.thread({ status: 'closed_at_adoption', updatedAt: between });
    expect(fatesOf(s, [resolved, resolvedEarlier, changedLater, closed]).map((f) => f.fate)).toEqual(['resolved', 'resolved', 'open', 'open']);

    s.h.edit(s.cso, (b) => textOf(b, 0).insert(s.at + 1, 'x'));
    expect(fatesOf(s, [resolved])[0]).toMatchObject({ fate: 'passage_changed', groups: ['civil_society'] });
  });

  it('does not read a block move as a change: a thread that followed its unchanged words stays open', () => {
    const s = setup();
    const original = s.thread();
    // A move: the paragraph deleted and typed again elsewhere (the editor does this), the thread anchored again on the same words.
    s.h.edit(s.gov, (b) => {
      b.delete(0, 1);
      b.insert(1, [paragraph('The police shall respect the right to protest.')]);
    });
    const text = textOf(s.h.replica.getXmlFragment('body'), 1);
    const moved = { ...original, anchor: { ...encodeRange(text, s.at, s.at + s.quote.length), quote: s.quote } };
    expect(fatesOf(s, [moved])[0]).toMatchObject({ fate: 'open' });
    // Edited after the move: changed, by whoever edited it.
    s.h.edit(s.cso, (b) => textOf(b, 1).insert(s.at + 1, 'x'));
    expect(fatesOf(s, [moved])[0]).toMatchObject({ fate: 'passage_changed', groups: ['government', 'civil_society'] });
  });

  it('leaves out threads made after the later end, and takes no decision made after it', () => {
    const s = setup();
    const future = s.thread({ createdAt: later, updatedAt: later });
    const decidedLater = s.thread({ proposal: { text: 'x', status: 'declined', reason: 'no', decidedBy: null, decidedAt: later }, updatedAt: later });
    const fates = fatesOf(s, [future, decidedLater]);
    expect(fates).toHaveLength(1);
    expect(fates[0]).toMatchObject({ threadId: decidedLater._id, fate: 'open' });
  });

  it('compares a passage typed after the earlier end: its characters are all new, so it changed', () => {
    const s = setup();
    s.h.edit(s.gov, (b) => textOf(b, 1).insert(0, 'Brand new words '));
    const text = textOf(s.h.replica.getXmlFragment('body'), 1);
    const t = s.thread({ anchor: { ...encodeRange(text, 0, 5), quote: 'Brand' }, originalQuote: 'Brand', createdAt: between, updatedAt: between });
    expect(fatesOf(s, [t])[0]).toMatchObject({ fate: 'passage_changed', groups: ['government'] });
    expect(() => threadFates([t], new Y.Doc(), s.from, s.from, s.h.index, { from: null, to: null })).toThrow(/garbage collection/);
  });
});
