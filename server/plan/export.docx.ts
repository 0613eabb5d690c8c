import {
  Document,
  HeadingLevel,
  Packer,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ISectionOptions,
} from 'docx';
import type { PlanAction } from '../../shared/plan-read.ts';
import type { MessageKey } from '../../client/src/lib/i18n/catalogue.ts';
import { rtlLocales } from '../../client/src/lib/i18n/locales.ts';
import { citation, indicatorText, listSeparator, sourceLabel, statusLabel, type PlanExport } from './cells.ts';
import type { Recommendation } from '../../shared/recommendations.ts';

type HeadingValue = (typeof HeadingLevel)[keyof typeof HeadingLevel];

/**
 * The plan as a Word document: the narrative (the title, then goals,
 * objectives and actions as numbered headings, each with its description and
 * each action's fields), then the matrix, a landscape table of every action.
 * Text is only ever put in runs, so nothing people typed becomes a field code.
 * Right-to-left languages get right-to-left paragraphs.
 */
export async function planDocx(x: PlanExport): Promise<Buffer> {
  const rtl = rtlLocales.has(x.locale);
  const { t } = x;
  const byId = new Map(x.register.map((r) => [r.id, r]));
  const para = (text: string, options: { heading?: HeadingValue; bold?: boolean } = {}) =>
    new Paragraph({ heading: options.heading, bidirectional: rtl, children: [new TextRun({ text, bold: options.bold, rightToLeft: rtl })] });
  /** Each line of a description as a paragraph of its own, as it was in the editor. */
  const lines = (text: string) => text.split('\n').filter((l) => l.trim()).map((l) => para(l));
  const field = (key: MessageKey, value: string) =>
    new Paragraph({
      bidirectional: rtl,
      children: [
        // The label part of "{label}: {value}" in this language, bold; then the value.
        new TextRun({ text: t('export.field', { label: t(key), value: '' }), bold: true, rightToLeft: rtl }),
        new TextRun({ text: value, rightToLeft: rtl }),
      ],
    });

  const narrative: (Paragraph | Table)[] = [para(x.title, { heading: HeadingLevel.TITLE })];
  for (const g of x.plan.goals) {
    narrative.push(para(`${g.number} ${g.title}`, { heading: HeadingLevel.HEADING_1 }), ...lines(g.description));
    for (const o of g.objectives) {
      narrative.push(para(`${o.number} ${o.title}`, { heading: HeadingLevel.HEADING_2 }), ...lines(o.description));
      for (const a of o.actions) {
        narrative.push(para(`${a.number} ${a.title}`, { heading: HeadingLevel.HEADING_3 }), ...lines(a.description));
        for (const [key, value] of actionFields(x, a, byId)) if (value) narrative.push(field(key, value));
        if (a.indicators.length > 0) narrative.push(field('export.col.indicators', ''));
        for (const i of a.indicators)
          narrative.push(new Paragraph({ bullet: { level: 0 }, bidirectional: rtl, children: [new TextRun({ text: indicatorText(t, i), rightToLeft: rtl })] }));
      }
    }
  }

  const matrixColumns: MessageKey[] = [
    'export.col.number', 'export.col.action', 'export.col.lead', 'export.col.partners', 'export.col.start', 'export.col.end',
    'export.col.status', 'export.col.indicators', 'export.col.amount', 'export.col.recommendations', 'export.col.sdgTargets',
  ];
  const cell = (text: string, bold = false) =>
    new TableCell({ children: text.split('\n').map((l) => new Paragraph({ bidirectional: rtl, children: [new TextRun({ text: l, bold, rightToLeft: rtl })] })) });
  const header = new TableRow({ tableHeader: true, children: matrixColumns.map((k) => cell(t(k), true)) });
  const rows = x.plan.actions.map(
    (a) =>
      new TableRow({
        cantSplit: true,
        children: [
          a.number, a.title, a.lead, a.partners.join(listSeparator), a.start ?? '', a.end ?? '', statusLabel(t, a.status),
          a.indicators.map((i) => indicatorText(t, i)).join('\n'), budgetText(x, a),
          a.recommendations.map((id) => citation(byId, id)).join(listSeparator), a.sdgTargets.join(listSeparator),
        ].map((v) => cell(v)),
      }),
  );
  const matrix: ISectionOptions = {
    properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } },
    children: [
      para(t('export.docx.matrix'), { heading: HeadingLevel.HEADING_1 }),
      new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...rows], visuallyRightToLeft: rtl }),
    ],
  };

  const doc = new Document({
    creator: 'Convene',
    title: x.title,
    sections: [{ children: narrative }, matrix],
  });
  return Packer.toBuffer(doc);
}

/** "250,000 KES (Donor)" with the amount in the reader's number format. */
function budgetText(x: PlanExport, a: PlanAction): string {
  if (!a.budget) return '';
  const amount = new Intl.NumberFormat(x.locale, { maximumFractionDigits: 2 }).format(a.budget.amount);
  return `${amount} ${a.budget.currency} (${sourceLabel(x.t, a.budget)})`;
}

/** An action's fields below its heading, labelled; empty ones are left out. */
function actionFields(x: PlanExport, a: PlanAction, byId: ReadonlyMap<string, Recommendation>): [MessageKey, string][] {
  return [
    ['export.col.lead', a.lead],
    ['export.col.partners', a.partners.join(listSeparator)],
    ['export.col.start', a.start ?? ''],
    ['export.col.end', a.end ?? ''],
    ['export.col.status', statusLabel(x.t, a.status)],
    ['export.col.amount', budgetText(x, a)],
    ['export.col.recommendations', a.recommendations.map((id) => citation(byId, id)).join(listSeparator)],
    ['export.col.sdgTargets', a.sdgTargets.join(listSeparator)],
  ];
}
