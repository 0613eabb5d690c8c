import { z } from 'zod';
import { SdgTargetId } from './sdg.ts';

/**
 * The action plan's structure: goals, objectives and actions as typed blocks
 * inside the document's Y.XmlFragment (`fragmentName`), one Tiptap node each.
 * A node's attributes are stored by y-prosemirror as Y.XmlElement attributes
 * with JSON values (arrays and objects as they are; a null attribute is not
 * stored at all), so the schemas below check exactly what the Yjs document
 * holds. The client checks every attribute it writes against them; the server
 * checks every attribute an update sets on a plan element and refuses the
 * update in-band when one is wrong.
 *
 * Numbering (1, 1.1, 1.1.1) comes from position and is never stored.
 */

/** ProseMirror node names, which are also the Y.XmlElement node names. */
export const planNodeNames = { goal: 'planGoal', objective: 'planObjective', action: 'planAction', title: 'planTitle' } as const;
export type PlanNodeName = (typeof planNodeNames)[keyof typeof planNodeNames];

/**
 * The version of the document's schema a client understands, declared when it
 * connects (`?schema=1` on the Yjs endpoint). 1: the plan's typed blocks. The
 * editor library deletes every element its schema does not know; a client that
 * declares nothing (a tab still running the client from before plan blocks, or
 * a script) may not delete plan blocks, so an old tab cannot remove a goal for
 * everyone (server/collab/plan-check.ts, `checkPlanDeletions`).
 */
export { planSchemaVersion, schemaParam } from './plan-version.ts';

/** What a client that does not understand the plan's blocks is told when its change would delete some. */
export const planOutdatedReason = 'this page is out of date: reload it to edit the plan';

/** How the server's in-band refusal of an invalid plan change begins (the rest says what was wrong, in English). */
export const planRefusalPrefix = 'invalid plan change, not saved: ';

export const planLimits = {
  idLength: 64,
  textLength: 300,
  partners: 30,
  indicators: 20,
  links: 100,
  /** Larger than any national budget line, small enough to stay an exact integer. */
  amount: 1e15,
} as const;

export const actionStatuses = ['planned', 'in_progress', 'completed', 'delayed', 'dropped'] as const;
export type ActionStatus = (typeof actionStatuses)[number];

export const budgetSources = ['national_budget', 'donor', 'other'] as const;
export type BudgetSource = (typeof budgetSources)[number];

/** ISO 4217 codes the runtime knows (Node 20 and every current browser list about 160). */
const currencies: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));
export const isCurrency = (code: string): boolean => currencies.has(code);

/** Tiptap's TextDirection extension gives every node a `dir` attribute ('auto' in this editor). */
const Dir = z.enum(['ltr', 'rtl', 'auto']);

const Text = z.string().max(planLimits.textLength);
const BlockId = z.string().min(1).max(planLimits.idLength).regex(/^[A-Za-z0-9_-]+$/, 'Letters, digits, - and _ only');

const quarterRe = /^(\d{4})-Q([1-4])$/;
const dateRe = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The first and last day a period covers, as yyyy-mm-dd (comparable as strings); null when it is no real period. */
export function periodRange(value: string): { first: string; last: string } | null {
  const q = quarterRe.exec(value);
  if (q) {
    const year = Number(q[1]);
    const quarter = Number(q[2]);
    const firstMonth = (quarter - 1) * 3 + 1;
    const lastDay = new Date(Date.UTC(year, firstMonth + 2, 0)).getUTCDate();
    const pad = (n: number) => String(n).padStart(2, '0');
    return { first: `${q[1]}-${pad(firstMonth)}-01`, last: `${q[1]}-${pad(firstMonth + 2)}-${pad(lastDay)}` };
  }
  const d = dateRe.exec(value);
  if (d) {
    const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    // 2027-02-30 becomes March 2nd: a date that does not round-trip does not exist.
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
    return { first: value, last: value };
  }
  return null;
}

/** A quarter ("2027-Q3") or a day ("2027-09-30") that exists. */
export const Period = z
  .string()
  .max(10)
  .refine((v) => periodRange(v) !== null, 'A quarter such as 2027-Q3 or a date such as 2027-09-30 that exists');
export type Period = z.infer<typeof Period>;

/** Whether `end` can follow `start`: the end's period may not finish before the start's begins. */
export function periodsInOrder(start: string | null | undefined, end: string | null | undefined): boolean {
  if (!start || !end) return true;
  const a = periodRange(start);
  const b = periodRange(end);
  return !a || !b || b.last >= a.first;
}

export const Indicator = z.strictObject({
  name: Text.min(1),
  baseline: Text,
  target: Text,
  unit: Text,
  verification: Text,
});
export type Indicator = z.infer<typeof Indicator>;

export const Currency = z.string().refine(isCurrency, 'An ISO 4217 currency code such as XOF, KES, EUR or USD');

export const Budget = z.strictObject({
  amount: z.number().finite().min(0).max(planLimits.amount),
  currency: Currency,
  source: z.enum(budgetSources),
});
export type Budget = z.infer<typeof Budget>;

/** Each attribute's schema, per node: a key missing here is an unknown attribute. */
export const planAttributeSchemas = {
  planGoal: { id: BlockId, dir: Dir },
  planObjective: { id: BlockId, dir: Dir },
  planTitle: { dir: Dir },
  planAction: {
    id: BlockId,
    dir: Dir,
    lead: Text,
    partners: z.array(Text.min(1)).max(planLimits.partners),
    start: Period,
    end: Period,
    indicators: z.array(Indicator).max(planLimits.indicators),
    budget: Budget,
    status: z.enum(actionStatuses),
    recommendations: z.array(BlockId).max(planLimits.links),
    sdgTargets: z.array(SdgTargetId).max(planLimits.links),
  },
} as const satisfies Record<PlanNodeName, Record<string, z.ZodType>>;

export type PlanActionAttrs = {
  id: string;
  lead: string;
  partners: string[];
  start: Period | null;
  end: Period | null;
  indicators: Indicator[];
  budget: Budget | null;
  status: ActionStatus;
  recommendations: string[];
  sdgTargets: SdgTargetId[];
};

export const isPlanNodeName = (name: string): name is PlanNodeName => Object.hasOwn(planAttributeSchemas, name);

/**
 * Checks one attribute of a plan node as stored. Every attribute may be
 * unset: y-prosemirror removes an attribute that is null in ProseMirror
 * (`undefined` here), and a Yjs client may also store null itself. Returns a
 * message for the person who sent it, or null when it is fine.
 */
export function checkPlanAttribute(node: PlanNodeName, key: string, value: unknown): string | null {
  const schemas: Record<string, z.ZodType> = planAttributeSchemas[node];
  const schema = Object.hasOwn(schemas, key) ? schemas[key] : undefined;
  if (!schema) return `${node}: unknown field "${key}"`;
  if (value === undefined || value === null) return null;
  const result = schema.safeParse(value);
  if (result.success) return null;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
  return `${node}: invalid ${key}${where}: ${issue?.message ?? 'invalid value'}`;
}

/**
 * Checks a plan node's attributes together (each one, then the cross-field
 * rules: an action's end not before its start). Null when all is well.
 */
export function checkPlanAttributes(node: PlanNodeName, attrs: Record<string, unknown>): string | null {
  for (const [key, value] of Object.entries(attrs)) {
    const problem = checkPlanAttribute(node, key, value);
    if (problem) return problem;
  }
  if (node === 'planAction' && !periodsInOrder(attrs.start as string | undefined, attrs.end as string | undefined))
    return `${node}: the end (${String(attrs.end)}) is before the start (${String(attrs.start)})`;
  return null;
}
