import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fragmentName } from '../shared/collab.ts';
import { readPlan, findActionElement, actionOfAnchor } from '../shared/plan-read.ts';
import { computeCoverage, positionsByAction, emptyCounts, compareTargets } from '../shared/coverage.ts';
import { encodeRange } from '../shared/anchors.ts';
import type { RecommendationSummary } from '../shared/recommendations.ts';
import { writePlan } from './helpers/plan.ts';

const rec = (id: string, over: Partial<RecommendationSummary> = {}): RecommendationSummary => ({
  id,
  symbol: `A/HRC/${id}`,
  body: 'UPR',
  themes: [],
  affectedPersons: [],
  sdgs: [],
  position: null,
  text: `Recommendation ${id}`,
  ...over,
});

function samplePlan(): Y.Doc {
  const doc = new Y.Doc();
  writePlan(doc.getXmlFragment(fragmentName), [
    {
      id: 'g1',
      title: 'Access to justice',
      description: 'Courts for everyone\nIn every region',
      objectives: [
        {
          id: 'o1',
          title: 'Faster trials',
          actions: [
            {
              id: 'a1',
              title: 'Train magistrates',
              description: 'Two sessions a year',
              attrs: {
                lead: 'Ministry of Justice',
                partners: ['NHRC'],
                start: '2027-Q3',
                end: '2028-06-30',
                indicators: [{ name: 'Magistrates trained', baseline: '0', target: '200', unit: 'people', verification: 'Reports' }],
                budget: { amount: 250000, currency: 'KES', source: 'donor' },
                status: 'in_progress',
                recommendations: ['r1', 'r1', 'gone'],
                sdgTargets: ['16.3', '16.a'],
              },
            },
            { id: 'a2', title: 'Legal aid', attrs: { lead: 'Bogus', budget: { amount: -1, currency: 'KES', source: 'donor' }, sdgTargets: ['5.1'] } },
          ],
        },
      ],
    },
    { id: 'g2', title: 'Education', objectives: [{ id: 'o2', title: 'Schools', actions: [{ id: 'a3', title: 'Build', attrs: { start: '2028-Q1', end: '2027-Q1', recommendations: ['r3'] } }] }] },
  ]);
  return doc;
}

describe('readPlan', () => {
  it('reads goals, objectives and actions with their numbers, texts and valid attributes', () => {
    const plan = readPlan(samplePlan().getXmlFragment(fragmentName));
    expect(plan.goals.map((g) => [g.number, g.title, g.description])).toEqual([
      ['1', 'Access to justice', 'Courts for everyone\nIn every region'],
      ['2', 'Education', ''],
    ]);
    expect(plan.actions.map((a) => [a.id, a.number, a.title, a.goalId, a.objectiveId])).toEqual([
      ['a1', '1.1.1', 'Train magistrates', 'g1', 'o1'],
      ['a2', '1.1.2', 'Legal aid', 'g1', 'o1'],
      ['a3', '2.1.1', 'Build', 'g2', 'o2'],
    ]);
    const [a1, a2, a3] = plan.actions;
    expect(a1).toMatchObject({ description: 'Two sessions a year', lead: 'Ministry of Justice', status: 'in_progress', start: '2027-Q3', end: '2028-06-30' });
    expect(a1!.recommendations).toEqual(['r1', 'gone']);
    // An invalid budget reads as none; an end before the start is dropped.
    expect(a2!.budget).toBeNull();
    expect(a2!.status).toBe('planned');
    expect([a3!.start, a3!.end]).toEqual(['2028-Q1', null]);
  });

  it('finds an action element by id, and the action a comment anchor sits in', () => {
    const doc = samplePlan();
    const fragment = doc.getXmlFragment(fragmentName);
    const el = findActionElement(fragment, 'a2');
    expect(el?.getAttribute('lead')).toBe('Bogus');
    expect(findActionElement(fragment, 'nope')).toBeNull();
    const titleText = (el!.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    expect(actionOfAnchor(encodeRange(titleText, 0, 5), doc)).toBe('a2');
    const goalTitle = ((fragment.get(0) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    expect(actionOfAnchor(encodeRange(goalTitle, 0, 3), doc)).toBeNull();
  });
});

describe('computeCoverage', () => {
  it('lists unaddressed recommendations by facet, touched targets, gaps, unknown links and positions per action', () => {
    const doc = samplePlan();
    const plan = readPlan(doc.getXmlFragment(fragmentName));
    const register = [
      rec('r1'),
      rec('r2', { body: 'CEDAW', themes: ['Women', 'Justice'], position: 'supported', affectedPersons: ['women'] }),
      rec('r3'),
      rec('r4', { body: 'CEDAW', themes: ['Women'], position: 'noted' }),
    ];
    const el = findActionElement(doc.getXmlFragment(fragmentName), 'a1')!;
    const text = (el.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    const counts = emptyCounts();
    counts.civil_society.object = 2;
    counts.government.support = 1;
    const positions = positionsByAction([{ anchor: encodeRange(text, 0, 4), counts }, { anchor: encodeRange(text, 1, 3), counts }], doc);
    const c = computeCoverage(plan, register, positions);
    expect(c.recommendations.total).toBe(4);
    expect(c.recommendations.addressed).toBe(2);
    expect(c.recommendations.unaddressed.map((r) => r.id)).toEqual(['r2', 'r4']);
    expect(c.recommendations.byBody).toEqual([{ value: 'CEDAW', count: 2 }]);
    expect(c.recommendations.byTheme).toEqual([
      { value: 'Women', count: 2 },
      { value: 'Justice', count: 1 },
    ]);
    expect(c.recommendations.byPosition).toEqual([
      { value: 'noted', count: 1 },
      { value: 'supported', count: 1 },
    ]);
    expect(c.recommendations.byAffectedPersons).toEqual([
      { value: '', count: 1 },
      { value: 'women', count: 1 },
    ]);
    expect(c.sdgTargets).toEqual([
      { target: '5.1', actions: ['1.1.2'] },
      { target: '16.3', actions: ['1.1.1'] },
      { target: '16.a', actions: ['1.1.1'] },
    ]);
    expect(c.incomplete).toEqual([
      { actionId: 'a2', number: '1.1.2', title: 'Legal aid', missing: ['indicator', 'budget', 'timeline'] },
      { actionId: 'a3', number: '2.1.1', title: 'Build', missing: ['lead', 'indicator', 'budget', 'timeline'] },
    ]);
    expect(c.unknownLinks).toEqual([{ actionId: 'a1', number: '1.1.1', recommendationId: 'gone' }]);
    expect(c.positions[0]).toMatchObject({ actionId: 'a1', threads: 2 });
    expect(c.positions[0]!.counts.civil_society.object).toBe(4);
    expect(c.positions[0]!.counts.government.support).toBe(2);
    expect(c.positions[1]).toMatchObject({ actionId: 'a2', threads: 0 });
  });

  it('orders SDG targets by goal, then numbered targets before lettered ones', () => {
    expect(['16.a', '2.1', '16.10', '16.2', '10.1'].sort(compareTargets)).toEqual(['2.1', '10.1', '16.2', '16.10', '16.a']);
  });
});
