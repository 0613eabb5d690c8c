import { PassThrough, type Readable } from 'node:stream';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { stakeholderGroups } from '../../shared/groups.ts';
import { stances } from '../../shared/comments.ts';
import type { FacetCount } from '../../shared/coverage.ts';
import type { MessageKey } from '../../client/src/lib/i18n/catalogue.ts';
import { rtlLocales } from '../../client/src/lib/i18n/locales.ts';
import { addressedBy, listSeparator, planColumns, planHeaders, planRows, type PlanExport } from './cells.ts';

type Cell = string | number | null;

/** Excel's limit for one cell; longer text would make it refuse the whole file. */
const cellLimit = 32_767;
/** Rows written between two turns of the event loop, so one large export never holds up everyone else. */
const rowsPerTurn = 200;

/**
 * Every value goes in as a plain string or number: ExcelJS writes a formula
 * only for a `{ formula }` object, so "=HYPERLINK(…)" typed into the plan is
 * stored as the text it is and never runs.
 */
const cell = (v: Cell): Cell => (typeof v === 'string' && v.length > cellLimit ? v.slice(0, cellLimit) : v);

/** Sheet names may not hold []:*?/\ and are at most 31 characters. */
const sheetName = (name: string) => name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet';

const planWidths: Record<(typeof planColumns)[number], number> = {
  number: 8, goal: 30, objective: 30, action: 40, description: 60, lead: 28, partners: 30, start: 12, end: 12,
  status: 14, indicators: 50, amount: 16, currency: 10, source: 18, recommendations: 30, sdgTargets: 16,
};

/**
 * The plan as an Excel workbook: the plan (one row per action, as the CSV),
 * the recommendations register (with the actions that address each) and the
 * coverage. Streamed: rows are zipped as they are written.
 */
export function planXlsx(x: PlanExport): Readable {
  const out = new PassThrough();
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  book.creator = 'Convene';
  write(book, x).catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}

async function write(book: ExcelJS.stream.xlsx.WorkbookWriter, x: PlanExport): Promise<void> {
  const { t } = x;
  // Right-to-left sheets for Arabic: the first column on the right, as a reader of Arabic expects.
  const rightToLeft = rtlLocales.has(x.locale);
  const frozen = { views: [{ state: 'frozen' as const, ySplit: 1, rightToLeft }] };
  let written = 0;
  const add = async (sheet: ExcelJS.Worksheet, values: Cell[], bold = false) => {
    const row = sheet.addRow(values.map(cell));
    if (bold) row.font = { bold: true };
    row.commit();
    if (++written % rowsPerTurn === 0) await yieldToLoop();
  };

  const plan = book.addWorksheet(sheetName(t('export.sheet.plan')), frozen);
  plan.columns = planColumns.map((c) => ({ key: c, width: planWidths[c], style: { alignment: { wrapText: true, vertical: 'top' } } }));
  await add(plan, planHeaders(t), true);
  for (const row of planRows(x)) await add(plan, row);
  plan.commit();

  const recommendations = book.addWorksheet(sheetName(t('export.sheet.recommendations')), frozen);
  const fields = ['id', 'symbol', 'body', 'type', 'session', 'countries', 'themes', 'affectedPersons', 'sdgs', 'recommendingStates', 'position', 'text'] as const;
  const widths = [18, 22, 28, 14, 16, 16, 28, 28, 12, 20, 14, 80, 20];
  recommendations.columns = widths.map((width) => ({ width, style: { alignment: { wrapText: true, vertical: 'top' } } }));
  await add(recommendations, [...fields.map((f) => t(`recommendations.field.${f}` as MessageKey)), t('export.col.addressedBy')], true);
  const by = addressedBy(x.plan);
  for (const r of x.register) {
    await add(recommendations, [
      ...fields.map((f) => {
        if (f === 'position') return t(`recommendations.position.${r.position ?? 'none'}` as MessageKey);
        const v = r[f];
        return Array.isArray(v) ? v.join(listSeparator) : v;
      }),
      (by.get(r.id) ?? []).join(listSeparator),
    ]);
  }
  recommendations.commit();

  const coverage = book.addWorksheet(sheetName(t('export.sheet.coverage')), { views: [{ rightToLeft }] });
  coverage.columns = [{ width: 36 }, { width: 40 }, { width: 30 }, ...stakeholderGroups.flatMap(() => stances.map(() => ({ width: 14 })))];
  await writeCoverage(x, coverage, add);
  coverage.commit();
  await book.commit();
}

type Add = (sheet: ExcelJS.Worksheet, values: Cell[], bold?: boolean) => Promise<void>;

/**
 * The coverage in sections, each a bold title row, a bold header row and its
 * rows, with an empty row between sections (so a reader can find a section
 * by its title, as a person does).
 */
async function writeCoverage(x: PlanExport, sheet: ExcelJS.Worksheet, add: Add): Promise<void> {
  const { t, coverage: c } = x;
  const section = async (title: string, header: Cell[], rows: Cell[][]) => {
    await add(sheet, []);
    await add(sheet, [title], true);
    await add(sheet, header, true);
    for (const row of rows) await add(sheet, row);
  };
  const facet = (field: MessageKey, counts: FacetCount[], name: (v: string) => string = (v) => v): [Cell[], Cell[][]] => [
    [t(field), t('export.coverage.count')],
    counts.map((f) => [f.value ? name(f.value) : t('export.coverage.none'), f.count]),
  ];
  await add(sheet, [t('export.coverage.addressed', { addressed: c.recommendations.addressed, total: c.recommendations.total })], true);
  await section(t('export.coverage.byBody'), ...facet('recommendations.field.body', c.recommendations.byBody));
  await section(t('export.coverage.byTheme'), ...facet('recommendations.field.themes', c.recommendations.byTheme));
  await section(
    t('export.coverage.byPosition'),
    ...facet('recommendations.field.position', c.recommendations.byPosition, (v) => t(`recommendations.position.${v}` as MessageKey)),
  );
  await section(t('export.coverage.byAffectedPersons'), ...facet('recommendations.field.affectedPersons', c.recommendations.byAffectedPersons));
  await section(
    t('export.coverage.sdgTargets'),
    [t('export.coverage.target'), t('export.coverage.actions')],
    c.sdgTargets.map((s) => [s.target, s.actions.join(listSeparator)]),
  );
  await section(
    t('export.coverage.gaps'),
    [t('export.col.number'), t('export.col.action'), t('export.coverage.missing')],
    c.incomplete.map((a) => [a.number, a.title, a.missing.map((m) => t(`export.coverage.gap.${m}` as MessageKey)).join(listSeparator)]),
  );
  await section(
    t('export.coverage.positions'),
    [
      t('export.col.number'),
      t('export.col.action'),
      t('export.coverage.threads'),
      ...stakeholderGroups.flatMap((g) =>
        stances.map((s) => t('export.coverage.groupStance', { group: t(`groups.${g}` as MessageKey), stance: t(`comments.stance.${s}` as MessageKey) })),
      ),
    ],
    c.positions.map((p) => [p.number, p.title, p.threads, ...stakeholderGroups.flatMap((g) => stances.map((s) => p.counts[g][s]))]),
  );
}
