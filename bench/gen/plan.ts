/**
 * A National Action Plan of a given size for the bench, built as
 * y-prosemirror stores the plan's blocks (an element per goal, objective and
 * action with JSON attributes, a planTitle, description paragraphs, then
 * children), so the browser reads it exactly as it would an edited one.
 * Deterministic: action i always has the same fields.
 */
import * as Y from 'yjs';
import { actionStatuses } from '../../shared/plan.ts';

export const benchLeads = [
  'Ministry of Justice', 'Ministry of Education', 'Ministry of Health', 'Ministry of Interior', 'Ministry of Labour', 'Judicial Service Commission',
  'National Police Service', 'Ministry of Gender', 'National Statistics Office', 'Ministry of Finance', 'Office of the Attorney General', 'Ministry of Foreign Affairs',
];
const partners = ['National human rights commission', 'Law Society', 'UNDP', 'UNICEF', 'OHCHR', 'Civil society coalition', 'Bar association', 'Ombudsman'];
const sdgTargets = ['16.3', '16.10', '5.1', '5.2', '4.1', '4.5', '3.8', '8.7', '10.2', '1.3', '16.9', '17.18'];

export interface BenchPlan {
  goals: number;
  objectivesPerGoal: number;
  actionsPerObjective: number;
  /** Recommendation ids; each action links a run of them, every id linked once or more. */
  recommendationIds: string[];
}

export interface BenchAction {
  id: string;
  lead: string;
  status: (typeof actionStatuses)[number];
}

function block(name: string, attrs: Record<string, unknown>, title: string, description: string, children: Y.XmlElement[] = []): Y.XmlElement {
  const el = new Y.XmlElement(name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v as string);
  const t = new Y.XmlElement('planTitle');
  t.insert(0, [new Y.XmlText(title)]);
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(description)]);
  el.insert(0, [t, p, ...children]);
  return el;
}

/** Appends the plan to `fragment` in one transaction; returns its actions' ids and fields, in plan order. */
export function writeBenchPlan(fragment: Y.XmlFragment, o: BenchPlan): BenchAction[] {
  const actions: BenchAction[] = [];
  const total = o.goals * o.objectivesPerGoal * o.actionsPerObjective;
  const per = Math.max(1, Math.ceil(o.recommendationIds.length / total));
  const goals: Y.XmlElement[] = [];
  for (let g = 0; g < o.goals; g++) {
    const objectives: Y.XmlElement[] = [];
    for (let ob = 0; ob < o.objectivesPerGoal; ob++) {
      const children: Y.XmlElement[] = [];
      for (let a = 0; a < o.actionsPerObjective; a++) {
        const i = actions.length;
        const action: BenchAction = { id: `action-${i}`, lead: benchLeads[i % benchLeads.length]!, status: actionStatuses[i % actionStatuses.length]! };
        actions.push(action);
        const year = 2027 + (i % 4);
        const attrs = {
          id: action.id,
          dir: 'auto',
          lead: action.lead,
          partners: [partners[i % partners.length]!, partners[(i + 3) % partners.length]!],
          start: `${year}-Q${1 + (i % 4)}`,
          end: `${year + 1}-Q${1 + ((i + 1) % 4)}`,
          indicators: [{ name: `Share of cases handled within the time limit (${i})`, baseline: '40%', target: '80%', unit: 'percent', verification: 'Annual report' }],
          budget: { amount: 10_000 * (1 + (i % 50)), currency: 'KES', source: i % 3 === 0 ? 'donor' : 'national_budget' },
          status: action.status,
          recommendations: o.recommendationIds.slice((i * per) % o.recommendationIds.length, ((i * per) % o.recommendationIds.length) + per),
          sdgTargets: [sdgTargets[i % sdgTargets.length]!, sdgTargets[(i + 5) % sdgTargets.length]!],
        };
        children.push(
          block('planAction', attrs, `Action ${i + 1}: strengthen access to justice and remedies for ${partners[i % partners.length]}`, `Carry out the measures recommended in line with international standards, step ${i + 1}.`),
        );
      }
      objectives.push(block('planObjective', { id: `objective-${g}-${ob}`, dir: 'auto' }, `Objective ${g + 1}.${ob + 1}`, 'Ensure that the rights concerned are respected in law and in practice.', children));
    }
    goals.push(block('planGoal', { id: `goal-${g}`, dir: 'auto' }, `Goal ${g + 1}`, 'A goal of the national action plan.', objectives));
  }
  const apply = () => fragment.insert(fragment.length, goals);
  if (fragment.doc) fragment.doc.transact(apply);
  else apply();
  return actions;
}
