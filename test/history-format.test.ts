import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { IntlMessageFormat } from 'intl-messageformat';
import { catalogues } from '../client/src/lib/i18n/all-catalogues.ts';
import {
  actionLabel,
  authorLabel,
  countRows,
  decodeVersion,
  fateLabel,
  fieldLabel,
  fieldValue,
  labelRuns,
  readFragment,
  restoreNote,
  versionTitle,
  type Translate,
} from '../client/src/lib/history-format.ts';
import { fragmentName } from '../shared/collab.ts';
import type { Author } from '../shared/comments.ts';
import type { DiffSegment, Version } from '../shared/history.ts';

const { en, fr } = catalogues;

/** The real catalogues, formatted as the app does. */
const translator =
  (catalogue: Record<string, string>, locale: string): Translate =>
  (key, values) =>
    String(new IntlMessageFormat(catalogue[key]!, locale).format(values as Record<string, string>)).replace(/[\u2066-\u2069]/g, '');
const t = translator(en, 'en');

const version = (over: Partial<Version> = {}): Version => ({
  id: '00000000-0000-4000-8000-000000000001',
  documentId: '00000000-0000-4000-8000-00000000000d',
  name: null,
  reason: 'manual',
  phase: null,
  createdBy: null,
  createdAt: '2026-12-01T10:00:00.000Z',
  restoredFrom: null,
  ...over,
});
const gov: Author = { memberId: '00000000-0000-4000-8000-0000000000a1', alias: 4, group: 'government', role: 'drafter' };
const cso: Author = { memberId: '00000000-0000-4000-8000-0000000000b2', alias: 7, group: 'civil_society', role: 'contributor' };

describe('version titles', () => {
  it('is the name when given, else what made it', () => {
    expect(versionTitle(version({ name: 'Draft for comment' }), t)).toBe('Draft for comment');
    expect(versionTitle(version({ reason: 'phase', phase: 'open_for_comment' }), t)).toBe('Phase: Open for comment');
    expect(versionTitle(version({ reason: 'adoption', phase: 'adopted' }), t)).toBe('Adopted');
    expect(versionTitle(version({ reason: 'manual' }), t)).toBe('Named version');
  });

  it('says what a restore brought back when that version is known', () => {
    const from = '00000000-0000-4000-8000-0000000000ff';
    const titleOf = (id: string) => (id === from ? 'Draft for comment' : null);
    expect(versionTitle(version({ reason: 'restore', restoredFrom: from }), t, titleOf)).toBe('Restored from “Draft for comment”');
    expect(versionTitle(version({ reason: 'restore', restoredFrom: '00000000-0000-4000-8000-000000000000' }), t, titleOf)).toBe('Restored from an earlier version');
    expect(restoreNote(version({ reason: 'restore', name: 'Back', restoredFrom: from }), t, titleOf)).toBe('Restored from “Draft for comment”');
    expect(restoreNote(version({ name: 'Back' }), t, titleOf)).toBeNull();
  });
});

describe('authors', () => {
  it('names people as the caller does (name or alias) with their group in words, and says when nobody was recorded', () => {
    expect(authorLabel(gov, t, () => 'Ministry drafter')).toBe('Ministry drafter (Government)');
    expect(authorLabel(cso, t, (a) => `Civil society participant ${a.alias}`)).toBe('Civil society participant 7 (Civil society)');
    expect(authorLabel(null, t, () => 'x')).toBe('someone not recorded');
  });

  it('labels each run of the same change by the same person once, after it', () => {
    const seg = (text: string, kind: 'added' | 'removed' | null, by: Author | null = gov): DiffSegment => ({ text, change: kind ? { kind, by } : null });
    expect(labelRuns([seg('a', null), seg('b', 'added'), seg('c', 'added'), seg('d', 'removed'), seg('e', 'added', cso), seg('f', null)])).toEqual([
      false,
      false,
      true,
      true,
      true,
      false,
    ]);
    expect(labelRuns([seg('x', 'added', null), seg('y', 'added', null)])).toEqual([false, true]);
  });
});

describe('counts', () => {
  it('lists groups in their usual order, the unrecorded last, and leaves out those that changed nothing', () => {
    expect(
      countRows({ unknown: { added: 1, removed: 0 }, civil_society: { added: 0, removed: 0 }, government: { added: 18, removed: 13 }, nhri: { added: 0, removed: 2 } }),
    ).toEqual([
      { group: 'government', added: 18, removed: 13 },
      { group: 'nhri', added: 0, removed: 2 },
      { group: 'unknown', added: 1, removed: 0 },
    ]);
  });
});

describe('plan fields', () => {
  it('reads values as people say them', () => {
    expect(fieldLabel('lead', t)).toBe('Lead institution');
    expect(fieldValue('lead', 'Ministry of Justice', t, 'en')).toBe('Ministry of Justice');
    expect(fieldValue('lead', '', t, 'en')).toBe('(none)');
    expect(fieldValue('partners', null, t, 'en')).toBe('(none)');
    expect(fieldValue('partners', ['NHRI', 'Bar association'], t, 'en')).toBe('NHRI, Bar association');
    expect(fieldValue('status', 'in_progress', t, 'en')).toBe('In progress');
    expect(fieldValue('budget', { amount: 250000, currency: 'KES', source: 'donor' }, t, 'en').replace(/\s/g, ' ')).toBe('KES 250,000.00, Donor');
    expect(fieldValue('indicators', [{ name: 'Inspections a year', baseline: '0', target: '4', unit: '', verification: '' }], t, 'en')).toBe('Inspections a year');
    expect(fieldValue('start', '2027-Q3', t, 'en')).toBe('2027-Q3');
    expect(actionLabel({ number: '1.2.3', title: 'Inspect prisons' }, t)).toBe('Action 1.2.3: Inspect prisons');
    expect(actionLabel({ number: null, title: 'Inspect prisons' }, t)).toBe('Action: Inspect prisons');
  });

  it('in the reader’s language and number format', () => {
    const tf = translator(fr, 'fr');
    expect(fieldValue('status', 'delayed', tf, 'fr')).toBe('En retard');
    expect(fieldValue('budget', { amount: 1500, currency: 'EUR', source: 'national_budget' }, tf, 'fr').replace(/\s/g, ' ')).toBe('1 500,00 €, Budget national');
  });
});

describe('thread fates', () => {
  it('says what happened to each comment', () => {
    expect(fateLabel({ fate: 'passage_changed', groups: ['government'], reason: null }, t, 'en')).toBe('passage changed by Government');
    expect(fateLabel({ fate: 'passage_changed', groups: ['government', 'nhri'], reason: null }, t, 'en')).toBe('passage changed by Government and National human rights institution');
    expect(fateLabel({ fate: 'declined', groups: [], reason: 'Out of scope' }, t, 'en')).toBe('declined: Out of scope');
    expect(fateLabel({ fate: 'declined', groups: [], reason: null }, t, 'en')).toBe('declined');
    expect(fateLabel({ fate: 'accepted', groups: [], reason: null }, t, 'en')).toBe('accepted');
    expect(fateLabel({ fate: 'resolved', groups: [], reason: null }, t, 'en')).toBe('resolved');
    expect(fateLabel({ fate: 'detached', groups: [], reason: null }, t, 'en')).toBe('detached (the passage was deleted)');
    expect(fateLabel({ fate: 'open', groups: [], reason: null }, t, 'en')).toBe('open');
  });
});

describe('a version read read-only', () => {
  it('decodes the update into blocks and text with bold and italic, nothing else', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment(fragmentName);
    const heading = new Y.XmlElement('heading');
    heading.setAttribute('level', 2 as unknown as string);
    heading.insert(0, [new Y.XmlText('Prisons')]);
    const p = new Y.XmlElement('paragraph');
    const words = new Y.XmlText();
    p.insert(0, [words]);
    fragment.insert(0, [heading, p]);
    words.insert(0, 'Inspect ');
    words.insert(8, 'every', { bold: true });
    words.insert(13, ' year<script>', { italic: true });
    const update = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
    expect(decodeVersion(update, fragmentName)).toEqual([
      { kind: 'element', node: 'heading', attrs: { level: 2 }, children: [{ kind: 'text', text: 'Prisons', bold: false, italic: false }] },
      {
        kind: 'element',
        node: 'paragraph',
        attrs: {},
        children: [
          { kind: 'text', text: 'Inspect ', bold: false, italic: false },
          { kind: 'text', text: 'every', bold: true, italic: false },
          { kind: 'text', text: ' year<script>', bold: false, italic: true },
        ],
      },
    ]);
    expect(readFragment(new Y.Doc().getXmlFragment(fragmentName))).toEqual([]);
  });
});
