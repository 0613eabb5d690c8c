import { describe, expect, it } from 'vitest';
import { checkPlanAttribute, checkPlanAttributes, isCurrency, periodRange, periodsInOrder } from '../shared/plan.ts';

const action = {
  id: 'a1',
  dir: 'auto',
  lead: 'Ministry of Justice',
  partners: ['National Human Rights Commission'],
  start: '2027-Q3',
  end: '2028-06-30',
  indicators: [{ name: 'Cases resolved', baseline: '120', target: '400', unit: 'cases', verification: 'Court records' }],
  budget: { amount: 250000, currency: 'XOF', source: 'national_budget' },
  status: 'in_progress',
  recommendations: ['rec-12'],
  sdgTargets: ['16.3', '5.a'],
};

describe('plan attributes', () => {
  it('accepts a complete action, a goal and an objective', () => {
    expect(checkPlanAttributes('planAction', action)).toBeNull();
    expect(checkPlanAttributes('planGoal', { id: 'g1', dir: 'auto' })).toBeNull();
    expect(checkPlanAttributes('planObjective', { id: 'o1' })).toBeNull();
  });

  it('accepts the currencies a plan needs', () => {
    for (const code of ['XOF', 'XAF', 'KES', 'EUR', 'USD', 'HTG']) expect(isCurrency(code), code).toBe(true);
  });

  it('treats a removed attribute (null) as allowed', () => {
    expect(checkPlanAttribute('planAction', 'budget', undefined)).toBeNull();
    expect(checkPlanAttribute('planAction', 'end', null)).toBeNull();
    expect(checkPlanAttributes('planAction', { ...action, budget: null, start: null })).toBeNull();
  });

  const invalid: [string, string, string, unknown, RegExp][] = [
    ['an unknown field', 'planAction', 'colour', 'red', /unknown field "colour"/],
    ['an unknown field on a goal', 'planGoal', 'lead', 'x', /unknown field "lead"/],
    ['a prototype key', 'planAction', '__proto__', {}, /unknown field/],
    ['a wrong type', 'planAction', 'lead', 42, /invalid lead/],
    ['partners not an array', 'planAction', 'partners', 'A, B', /invalid partners/],
    ['an impossible date', 'planAction', 'start', '2027-02-30', /invalid start/],
    ['a fifth quarter', 'planAction', 'end', '2027-Q5', /invalid end/],
    ['a date in another format', 'planAction', 'end', '30/09/2027', /invalid end/],
    ['an unknown currency', 'planAction', 'budget', { amount: 1, currency: 'XXZ', source: 'donor' }, /invalid budget\.currency/],
    ['a negative amount', 'planAction', 'budget', { amount: -5, currency: 'EUR', source: 'donor' }, /invalid budget\.amount/],
    ['an unknown budget source', 'planAction', 'budget', { amount: 5, currency: 'EUR', source: 'bank' }, /invalid budget\.source/],
    ['an extra budget field', 'planAction', 'budget', { amount: 5, currency: 'EUR', source: 'donor', note: 'x' }, /invalid budget/],
    ['an unknown status', 'planAction', 'status', 'cancelled', /invalid status/],
    ['a bad SDG target', 'planAction', 'sdgTargets', ['18.1'], /invalid sdgTargets\.0/],
    ['an indicator without a name', 'planAction', 'indicators', [{ name: '', baseline: '', target: '', unit: '', verification: '' }], /invalid indicators\.0\.name/],
    ['an over-long lead', 'planAction', 'lead', 'x'.repeat(301), /invalid lead/],
    ['a bad id', 'planGoal', 'id', 'a b', /invalid id/],
  ];
  for (const [what, node, key, value, message] of invalid) {
    it(`refuses ${what}`, () => {
      expect(checkPlanAttribute(node as 'planAction', key, value)).toMatch(message);
      expect(checkPlanAttributes(node as 'planAction', { [key]: value })).toMatch(message);
    });
  }

  it('refuses an end before the start, and allows an end inside the start quarter', () => {
    expect(checkPlanAttributes('planAction', { ...action, start: '2028-Q1', end: '2027-12-31' })).toMatch(/end .* before the start/);
    expect(checkPlanAttributes('planAction', { ...action, start: '2027-09-30', end: '2027-Q3' })).toBeNull();
    expect(periodsInOrder('2027-Q3', '2027-Q2')).toBe(false);
    expect(periodsInOrder('2027-Q3', null)).toBe(true);
  });

  it('knows how long quarters and leap years are', () => {
    expect(periodRange('2028-Q1')).toEqual({ first: '2028-01-01', last: '2028-03-31' });
    expect(periodRange('2027-Q4')).toEqual({ first: '2027-10-01', last: '2027-12-31' });
    expect(periodRange('2028-02-29')).not.toBeNull();
    expect(periodRange('2027-02-29')).toBeNull();
    expect(periodRange('2027-13-01')).toBeNull();
  });
});
