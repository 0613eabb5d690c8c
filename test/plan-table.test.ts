import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { facetsOf, filterActions, groupRows, indexPlan, noFilters, sortActions, tableItems, textDiff, type PositionsEntry } from '../client/src/lib/plan-table.ts';
import { writeActionAttrs, writeActionTitle } from '../client/src/lib/plan-table-write.ts';
import { emptyCounts } from '../shared/coverage.ts';
import { fragmentName } from '../shared/collab.ts';
import { readPlan } from '../shared/plan-read.ts';
import { writePlan } from './helpers/plan.ts';

/** A plan of two goals, four actions, linked to a small register, with positions on two of them. */
function fixture() {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(fragmentName);
  writePlan(fragment, [
    {
      id: 'g1',
      title: 'Justice',
      objectives: [
        {
          id: 'o1',
          title: 'Courts',
          actions: [
            { id: 'a1', title: 'Publish judgments', description: 'Online, within thirty days', attrs: { lead: 'Ministry of Justice', status: 'in_progress', start: '2027-Q3', end: '2028-Q2', recommendations: ['R1', 'R2'], sdgTargets: ['16.3', '16.10'], budget: { amount: 500, currency: 'KES', source: 'donor' } } },
            { id: 'a2', title: 'Train judges', attrs: { lead: 'Judicial Service Commission', partners: ['Bar association'], start: '2027-01-15', recommendations: ['R3'], sdgTargets: ['5.1'] } },
          ],
        },
      ],
    },
    {
      id: 'g2',
      title: 'Education',
      objectives: [
        {
          id: 'o2',
          title: 'Schools',
          actions: [
            { id: 'a3', title: 'Abolish school fees', attrs: { status: 'delayed', recommendations: ['missing'], budget: { amount: 20, currency: 'KES', source: 'national_budget' } } },
            { id: 'a4', title: 'Écoles inclusives', attrs: { lead: 'Ministry of Education', partners: ['Judicial Service Commission'], start: '2026-Q1' } },
          ],
        },
      ],
    },
  ]);
  const register = new Map([
    ['R1', { symbol: 'A/HRC/52/9 para 12', body: 'UPR', themes: ['Justice', 'Freedom of expression'] }],
    ['R2', { symbol: 'CAT/C/KEN/CO/3 para 8', body: 'CAT', themes: ['Torture'] }],
    ['R3', { symbol: '', body: 'CEDAW', themes: ['Women’s rights'] }],
  ]);
  const counts = emptyCounts();
  counts.civil_society.object = 2;
  counts.government.support = 1;
  const other = emptyCounts();
  other.nhri.support = 3;
  const positions = new Map<string, PositionsEntry>([
    ['a2', { counts, threads: 2 }],
    ['a3', { counts: other, threads: 1 }],
  ]);
  return { doc, fragment, index: indexPlan(readPlan(fragment), register, positions) };
}

const ids = (rows: { action: { id: string } }[]) => rows.map((r) => r.action.id);

describe('the plan table index', () => {
  it('indexes each action once, in plan order, with symbols, bodies, themes, SDG goals and objections', () => {
    const { index } = fixture();
    expect(ids(index)).toEqual(['a1', 'a2', 'a3', 'a4']);
    const [a1, a2, a3] = index;
    expect(a1!.symbols).toEqual(['A/HRC/52/9 para 12', 'CAT/C/KEN/CO/3 para 8']);
    expect([...a1!.bodies]).toEqual(['UPR', 'CAT']);
    expect([...a1!.sdgGoals]).toEqual([16]);
    // No symbol: the id; not in the register: the id, and no body.
    expect(a2!.symbols).toEqual(['R3']);
    expect(a3!.symbols).toEqual(['missing']);
    expect(a3!.bodies.size).toBe(0);
    expect([...a2!.objectedBy]).toEqual(['civil_society']);
    expect(a2!.objections).toBe(2);
    expect(a3!.objectedBy.size).toBe(0);
    expect(a1!.objectiveNumber).toBe('1.1');
    expect(index[3]!.goalTitle).toBe('Education');
  });

  it('offers each filter’s values from the whole plan', () => {
    const facets = facetsOf(fixture().index);
    expect(facets).toEqual({
      leads: ['Judicial Service Commission', 'Ministry of Education', 'Ministry of Justice'],
      noLead: true,
      sdgGoals: [5, 16],
      bodies: ['CAT', 'CEDAW', 'UPR'],
      themes: ['Freedom of expression', 'Justice', 'Torture', 'Women’s rights'],
    });
  });
});

describe('filtering the plan table', () => {
  const { index } = fixture();

  it('passes everything with no filter', () => {
    expect(ids(filterActions(index, noFilters))).toEqual(['a1', 'a2', 'a3', 'a4']);
  });

  it('filters by lead (and by no lead), status and SDG goal', () => {
    expect(ids(filterActions(index, { ...noFilters, lead: 'Ministry of Justice' }))).toEqual(['a1']);
    expect(ids(filterActions(index, { ...noFilters, lead: '' }))).toEqual(['a3']);
    expect(ids(filterActions(index, { ...noFilters, status: 'planned' }))).toEqual(['a2', 'a4']);
    expect(ids(filterActions(index, { ...noFilters, sdgGoal: 16 }))).toEqual(['a1']);
    expect(ids(filterActions(index, { ...noFilters, sdgGoal: 4 }))).toEqual([]);
  });

  it('filters by the linked recommendations’ body and theme', () => {
    expect(ids(filterActions(index, { ...noFilters, body: 'CEDAW' }))).toEqual(['a2']);
    expect(ids(filterActions(index, { ...noFilters, theme: 'Torture' }))).toEqual(['a1']);
  });

  it('filters by the group that objected, not by the one that supported', () => {
    expect(ids(filterActions(index, { ...noFilters, objectedBy: 'civil_society' }))).toEqual(['a2']);
    expect(ids(filterActions(index, { ...noFilters, objectedBy: 'government' }))).toEqual([]);
    expect(ids(filterActions(index, { ...noFilters, objectedBy: 'nhri' }))).toEqual([]);
  });

  it('searches title, description, lead and partners; every word, any case and accent', () => {
    expect(ids(filterActions(index, { ...noFilters, search: 'THIRTY online' }))).toEqual(['a1']);
    expect(ids(filterActions(index, { ...noFilters, search: 'judicial service' }))).toEqual(['a2', 'a4']);
    expect(ids(filterActions(index, { ...noFilters, search: 'ecoles' }))).toEqual(['a4']);
    expect(ids(filterActions(index, { ...noFilters, search: 'bar association' }))).toEqual(['a2']);
    expect(ids(filterActions(index, { ...noFilters, search: 'judgments fees' }))).toEqual([]);
  });

  it('combines filters', () => {
    expect(ids(filterActions(index, { ...noFilters, search: 'judicial', lead: 'Ministry of Education' }))).toEqual(['a4']);
  });
});

describe('sorting the plan table', () => {
  const { index } = fixture();
  const sorted = (key: Parameters<typeof sortActions>[1]['key'], direction: 'ascending' | 'descending' = 'ascending') => ids(sortActions(index, { key, direction }));

  it('keeps plan order by number, reversed on demand', () => {
    expect(sorted('number')).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(sorted('number', 'descending')).toEqual(['a4', 'a3', 'a2', 'a1']);
  });

  it('sorts text in the reader’s language, empty cells last either way', () => {
    expect(sorted('title')).toEqual(['a3', 'a4', 'a1', 'a2']);
    expect(sorted('lead')).toEqual(['a2', 'a4', 'a1', 'a3']);
    expect(sorted('lead', 'descending')).toEqual(['a1', 'a4', 'a2', 'a3']);
  });

  it('sorts periods by the days they cover, statuses by their order, budgets and counts by number', () => {
    expect(sorted('start')).toEqual(['a4', 'a2', 'a1', 'a3']);
    expect(sorted('status')).toEqual(['a2', 'a4', 'a1', 'a3']);
    expect(sorted('budget')).toEqual(['a3', 'a1', 'a2', 'a4']);
    expect(sorted('positions', 'descending')).toEqual(['a2', 'a1', 'a3', 'a4']);
    expect(sorted('recommendations', 'descending')).toEqual(['a1', 'a2', 'a3', 'a4']);
  });

  it('groups rows under their objective in plan order only', () => {
    const groups = groupRows(index, true);
    expect(groups.map((g) => [g.heading?.objectiveNumber, ids(g.rows)])).toEqual([
      ['1.1', ['a1', 'a2']],
      ['2.1', ['a3', 'a4']],
    ]);
    expect(groupRows(sortActions(index, { key: 'title', direction: 'ascending' }), false)).toEqual([{ key: 'all', heading: null, rows: expect.any(Array) }]);
  });

  it('lists the rows to draw: each kept group’s heading, then its kept actions; a group the filters empty goes whole', () => {
    const groups = groupRows(index, true);
    const keys = (shown: string[]) => tableItems(groups, new Set(shown)).map((i) => i.key);
    expect(keys(['a1', 'a2', 'a3', 'a4'])).toEqual(['heading:1.1|o1', 'action:a1', 'action:a2', 'heading:2.1|o2', 'action:a3', 'action:a4']);
    expect(keys(['a2', 'a4'])).toEqual(['heading:1.1|o1', 'action:a2', 'heading:2.1|o2', 'action:a4']);
    expect(keys(['a3'])).toEqual(['heading:2.1|o2', 'action:a3']);
    expect(keys([])).toEqual([]);
    // Sorted otherwise: no headings, the sorted order kept.
    expect(tableItems(groupRows(sortActions(index, { key: 'title', direction: 'ascending' }), false), new Set(['a1', 'a3'])).map((i) => i.key)).toEqual(['action:a3', 'action:a1']);
  });
});

describe('the smallest text change', () => {
  it('keeps the shared start and end', () => {
    expect(textDiff('Publish judgments', 'Publish all judgments')).toEqual({ index: 8, remove: 0, insert: 'all ' });
    expect(textDiff('Publish judgments', 'Publish')).toEqual({ index: 7, remove: 10, insert: '' });
    expect(textDiff('abc', 'abc')).toEqual({ index: 3, remove: 0, insert: '' });
    expect(textDiff('', 'new')).toEqual({ index: 0, remove: 0, insert: 'new' });
    expect(textDiff('aaa', 'aa')).toEqual({ index: 2, remove: 1, insert: '' });
  });

  it('never splits a surrogate pair', () => {
    const d = textDiff('a😀b', 'a😃b');
    expect(d).toEqual({ index: 1, remove: 2, insert: '😃' });
  });
});

describe('writing from the table into the document', () => {
  const attrsOf = (fragment: Y.XmlFragment, id: string) => readPlan(fragment).actions.find((a) => a.id === id)!;

  it('writes only the keys changed, as JSON values, and removes a cleared one', () => {
    const { doc, fragment } = fixture();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    expect(writeActionAttrs(fragment, 'a2', { lead: 'Chief Justice', partners: ['Law Society', 'NHRI'], budget: { amount: 10, currency: 'USD', source: 'other' } })).toBeNull();
    expect(updates).toHaveLength(1); // one transaction
    const a2 = attrsOf(fragment, 'a2');
    expect(a2).toMatchObject({ lead: 'Chief Justice', partners: ['Law Society', 'NHRI'], budget: { amount: 10, currency: 'USD', source: 'other' }, start: '2027-01-15' });
    expect(writeActionAttrs(fragment, 'a2', { start: null })).toBeNull();
    expect(attrsOf(fragment, 'a2').start).toBeNull();
  });

  it('refuses an invalid value or an end before the start, and writes nothing', () => {
    const { doc, fragment } = fixture();
    let changed = 0;
    doc.on('update', () => changed++);
    expect(writeActionAttrs(fragment, 'a1', { budget: { amount: 5, currency: 'XXY', source: 'donor' } })).toMatchObject({ problem: expect.stringContaining('budget') });
    expect(writeActionAttrs(fragment, 'a1', { start: '2027-Q5' })).toMatchObject({ problem: expect.stringContaining('start') });
    expect(writeActionAttrs(fragment, 'a1', { end: '2027-01-01' })).toMatchObject({ problem: expect.stringContaining('before the start') });
    expect(writeActionAttrs(fragment, 'a1', { lead: 'x'.repeat(301) })).toMatchObject({ problem: expect.stringContaining('lead') });
    expect(writeActionAttrs(fragment, 'nope', { lead: 'x' })).toBe('gone');
    expect(changed).toBe(0);
  });

  it('merges two people’s changes to different fields of one action', () => {
    const a = fixture();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc));
    const bFragment = b.getXmlFragment(fragmentName);
    expect(writeActionAttrs(a.fragment, 'a1', { lead: 'Attorney General' })).toBeNull();
    expect(writeActionAttrs(bFragment, 'a1', { status: 'completed', partners: ['Judiciary'] })).toBeNull();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc));
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b));
    for (const fragment of [a.fragment, bFragment]) expect(attrsOf(fragment, 'a1')).toMatchObject({ lead: 'Attorney General', status: 'completed', partners: ['Judiciary'] });
  });

  it('edits the title by its smallest change, so concurrent typing elsewhere in it survives', () => {
    const a = fixture();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc));
    const bFragment = b.getXmlFragment(fragmentName);
    expect(writeActionTitle(a.fragment, 'a1', 'Publish all judgments')).toBeNull();
    expect(writeActionTitle(bFragment, 'a1', 'Publish judgments online')).toBeNull();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc));
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b));
    expect(attrsOf(a.fragment, 'a1').title).toBe('Publish all judgments online');
    expect(attrsOf(bFragment, 'a1').title).toBe('Publish all judgments online');
  });

  it('gives an empty title its text, and empties one', () => {
    const { fragment } = fixture();
    expect(writeActionTitle(fragment, 'a4', '')).toBeNull();
    expect(attrsOf(fragment, 'a4').title).toBe('');
    const doc = new Y.Doc();
    const f = doc.getXmlFragment(fragmentName);
    writePlan(f, [{ id: 'g', title: 'G', objectives: [{ id: 'o', title: 'O', actions: [{ id: 'x', title: '' }] }] }]);
    expect(writeActionTitle(f, 'x', 'Named at last')).toBeNull();
    expect(attrsOf(f, 'x').title).toBe('Named at last');
  });
});
