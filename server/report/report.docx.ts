import {
  BorderStyle,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { rtlLocales, type Locale } from '../../client/src/lib/i18n/locales.ts';
import type { MessageKey } from '../../client/src/lib/i18n/catalogue.ts';
import { stakeholderGroups } from '../../shared/groups.ts';
import { stances } from '../../shared/comments.ts';
import type { Minutes, MinutesPoll } from '../../shared/minutes.ts';
import { labelsFor } from '../plan/labels.ts';
import type { GroupParticipation, ReportData, ReportThread } from './report.data.ts';
import { actionFieldLines, formatters, heldLine, itemTitle, participationCharts, participationColumns, seriesColours, valueOf, type Formatters } from './format.ts';

type HeadingValue = (typeof HeadingLevel)[keyof typeof HeadingLevel];
type Block = Paragraph | Table;
const headings: HeadingValue[] = [HeadingLevel.TITLE, HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4];

/**
 * Word's building blocks in the reader's direction. Everything people typed
 * goes into text runs only, so nothing becomes a field code or a link.
 */
function kit(locale: Locale) {
  const rtl = rtlLocales.has(locale);
  const run = (text: string, o: { bold?: boolean; italics?: boolean; colour?: string } = {}) =>
    new TextRun({ text, bold: o.bold, italics: o.italics, color: o.colour, rightToLeft: rtl });
  const para = (text: string | TextRun[], o: { heading?: number; bullet?: boolean; italics?: boolean; indent?: boolean } = {}) =>
    new Paragraph({
      heading: o.heading === undefined ? undefined : headings[o.heading],
      bullet: o.bullet ? { level: 0 } : undefined,
      bidirectional: rtl,
      indent: o.indent ? { start: 360 } : undefined,
      children: typeof text === 'string' ? [run(text, { italics: o.italics })] : text,
    });
  const cell = (text: string, o: { bold?: boolean; fill?: string; width?: number } = {}) =>
    new TableCell({
      width: o.width === undefined ? undefined : { size: o.width, type: WidthType.DXA },
      shading: o.fill ? { type: ShadingType.CLEAR, color: 'auto', fill: o.fill } : undefined,
      children: text.split('\n').map((l) => new Paragraph({ bidirectional: rtl, children: [run(l, { bold: o.bold })] })),
    });
  const table = (header: string[], rows: string[][]) =>
    new Table({
      visuallyRightToLeft: rtl,
      rows: [new TableRow({ tableHeader: true, children: header.map((h) => cell(h, { bold: true })) }), ...rows.map((r) => new TableRow({ cantSplit: true, children: r.map((v) => cell(v)) }))],
    });
  return { rtl, run, para, cell, table };
}
type Kit = ReturnType<typeof kit>;

/**
 * The report as a Word document. Charts are drawn as tables: one row per
 * group and series, the bar a shaded cell whose width is proportional to the
 * value, and the number beside it. Word, LibreOffice and Google Docs all lay
 * such a table out the same way, it turns with the page for right-to-left
 * languages, a screen reader reads it as text, and nothing needs rasterising
 * on the server (an image would need a PNG encoder and alt text, and SVG in
 * DOCX needs a PNG fallback anyway).
 */
export async function reportDocx(data: ReportData): Promise<Buffer> {
  const f = formatters(data.locale, labelsFor(data.locale));
  const k = kit(data.locale);
  const { t } = f;
  const out: Block[] = [
    k.para(`${t('report.title')}: ${data.title}`, { heading: 0 }),
    k.para(t('report.subtitle', { country: f.country(data.country), phase: t(`phases.${data.phase}` as MessageKey), date: f.date(data.generatedAt) })),
    k.para(t('report.text'), { heading: 1 }),
  ];
  for (const d of data.documents) {
    out.push(k.para(d.title, { heading: 2 }));
    if (d.blocks.length === 0) out.push(k.para(t('report.emptyDocument'), { italics: true }));
    for (const b of d.blocks) {
      if (b.kind === 'heading') out.push(k.para(b.text, { heading: Math.min(4, b.level + 2) }));
      else if (b.kind === 'fields') out.push(...actionFieldLines(f, b.action).map((l) => k.para(l, { indent: true })));
      else out.push(k.para(b.text, { bullet: b.kind === 'item' }));
    }
  }

  out.push(k.para(t('report.threads'), { heading: 1 }));
  for (const d of data.documents) {
    out.push(k.para(t('report.threadsIn', { document: d.title }), { heading: 2 }));
    if (d.sections.length === 0) out.push(k.para(t('report.noThreads'), { italics: true }));
    for (const s of d.sections) {
      out.push(k.para(s.title ?? t('report.detached'), { heading: 3 }));
      for (const thread of s.threads) out.push(...threadBlocks(f, k, thread));
    }
  }

  out.push(k.para(t('report.participation'), { heading: 1 }), ...participationBlocks(f, k, data.participation));

  out.push(k.para(t('report.pollsByGroup'), { heading: 1 }));
  const polls = data.minutes.flatMap((m) => m.polls.map((p) => ({ m, p })));
  if (polls.length === 0) out.push(k.para(t('report.noPolls'), { italics: true }));
  for (const { m, p } of polls) out.push(k.para(`${p.question} (${m.title})`, { heading: 3 }), ...pollBlocks(f, k, p));

  out.push(k.para(t('report.minutes'), { heading: 1 }));
  if (data.minutes.length === 0) out.push(k.para(t('report.noMeetings'), { italics: true }));
  for (const m of data.minutes) out.push(...minutesBlocks(f, k, m, 2));

  out.push(k.para(t('report.moderation'), { heading: 1 }), k.para(t('report.moderationNote'), { italics: true }));
  out.push(
    k.table(
      [t('report.moderation'), t('report.col.count')],
      (['pending', 'hidden', 'restored', 'dismissed'] as const).map((s) => [t(`report.moderation.${s}`), String(data.moderation.reported[s])]),
    ),
  );
  out.push(k.para(t('report.moderation.byReason'), { heading: 2 }));
  if (data.moderation.hiddenByReason.length === 0) out.push(k.para(t('report.moderation.noneHidden'), { italics: true }));
  else out.push(k.table([t('report.col.reason'), t('report.col.count')], data.moderation.hiddenByReason.map((r) => [r.reason, String(r.count)])));

  return pack(data.title, out);
}

/** One meeting's minutes as a Word document of their own. */
export async function minutesDocx(m: Minutes, locale: Locale): Promise<Buffer> {
  const f = formatters(locale, labelsFor(locale));
  return pack(f.t('report.minutes.title', { title: m.title }), minutesBlocks(f, kit(locale), m, 0));
}

function pack(title: string, children: Block[]): Promise<Buffer> {
  return Packer.toBuffer(new Document({ creator: 'Convene', title, sections: [{ children }] }));
}

function threadBlocks(f: Formatters, k: Kit, thread: ReportThread): Block[] {
  const { t } = f;
  const out: Block[] = [
    k.para(t('report.quote', { quote: thread.quote }), { italics: true, indent: true }),
    k.para(`${t('report.openedBy', { group: f.group(thread.group) })} · ${t('report.outcome', { status: t(`report.threadStatus.${thread.status}`) })}`),
  ];
  for (const c of thread.comments) {
    const text = c.state === 'shown' ? k.run(c.body ?? '') : k.run(t(c.state === 'hidden' ? 'report.commentHidden' : 'report.commentDeleted'), { italics: true });
    out.push(k.para([k.run(`${f.who(c.author)}: `, { bold: true }), text], { bullet: true }));
  }
  if (thread.proposal) {
    const p = thread.proposal;
    out.push(k.para(t('report.proposal', { text: p.text })));
    out.push(k.para(`${t('report.proposalOutcome', { status: t(`report.proposalStatus.${p.status}`) })}${p.decidedBy ? ` · ${t('report.decidedBy', { who: f.who(p.decidedBy) })}` : ''}`));
    if (p.replaced) out.push(k.para(t('report.replaced', { text: p.replaced })));
    if (p.reason) out.push(k.para(t('report.reason', { reason: p.reason })));
  }
  if (thread.positions.length > 0) {
    out.push(k.para(t('report.positions'), { italics: true }));
    out.push(k.table([t('report.col.group'), ...stances.map((s) => t(`comments.stance.${s}`))], thread.positions.map((p) => [f.group(p.group), ...stances.map((s) => String(p.counts[s]))])));
  }
  out.push(k.para(''));
  return out;
}

function participationBlocks(f: Formatters, k: Kit, rows: GroupParticipation[]): Block[] {
  const { t } = f;
  const out: Block[] = [
    k.table([t('report.col.group'), ...participationColumns.map(([key]) => t(key))], rows.map((r) => [f.group(r.group), ...participationColumns.map(([, v]) => f.number(v(r)))])),
    k.para(t('report.participationNote'), { italics: true }),
  ];
  for (const chart of participationCharts) out.push(k.para(t(chart.title), { heading: 3 }), barChart(f, k, chart.series, rows), k.para(''));
  return out;
}

/** A bar chart as a table: group, series, a bar (a shaded cell of proportional width in a fixed track) and the value. */
function barChart(f: Formatters, k: Kit, series: MessageKey[], rows: GroupParticipation[]): Table {
  const track = 4800; // twips: the full-length bar
  const max = Math.max(1, ...rows.flatMap((r) => series.map((s) => valueOf(s, r))));
  const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  const noBorders = { top: none, bottom: none, left: none, right: none };
  const barRows = rows.flatMap((r) =>
    series.map((s, si) => {
      const v = valueOf(s, r);
      const w = Math.max(1, Math.round((v / max) * track));
      const bar = new Table({
        visuallyRightToLeft: k.rtl,
        borders: { ...noBorders, insideHorizontal: none, insideVertical: none },
        columnWidths: v > 0 ? [w, Math.max(1, track - w)] : [track],
        rows: [
          new TableRow({
            children:
              v > 0
                ? [k.cell('', { fill: seriesColours[si]!.slice(1), width: w }), k.cell('', { width: Math.max(1, track - w) })]
                : [k.cell('', { width: track })],
          }),
        ],
      });
      return new TableRow({
        cantSplit: true,
        children: [
          k.cell(si === 0 ? f.group(r.group) : '', { width: 2200 }),
          k.cell(f.t(s), { width: 1600 }),
          new TableCell({ width: { size: track + 200, type: WidthType.DXA }, children: [bar, new Paragraph({ children: [] })] }),
          k.cell(f.number(v), { width: 800 }),
        ],
      });
    }),
  );
  return new Table({ visuallyRightToLeft: k.rtl, rows: barRows });
}

function pollBlocks(f: Formatters, k: Kit, p: MinutesPoll): Block[] {
  const { t } = f;
  const status = t(p.status === 'open' ? 'report.minutes.pollOpen' : 'report.minutes.pollClosed');
  if (!p.results) return [k.para(`${status} · ${t('report.minutes.resultsHidden')}`)];
  const results = p.results;
  const groups = stakeholderGroups.filter((g) => (results.byGroup[g] ?? []).some((n) => n > 0));
  return [
    k.para(`${status} · ${t('report.minutes.votes', { count: results.total })}`),
    k.table(
      [t('report.col.option'), t('report.col.total'), ...groups.map((g) => f.group(g))],
      p.options.map((o, i) => [o, String(results.byOption[i] ?? 0), ...groups.map((g) => String(results.byGroup[g]?.[i] ?? 0))]),
    ),
  ];
}

/** A meeting's minutes, headed at `level` (0 as a file of their own, 2 inside the report). */
function minutesBlocks(f: Formatters, k: Kit, m: Minutes, level: 0 | 2): Block[] {
  const { t } = f;
  const sub = level + 1;
  const out: Block[] = [k.para(t('report.minutes.title', { title: m.title }), { heading: level }), k.para(t('report.minutes.scheduled', { date: f.date(m.startsAt) })), k.para(heldLine(f, m))];
  if (m.editedAt) out.push(k.para(t('report.minutes.edited', { date: f.date(m.editedAt) })));
  out.push(k.para(t('report.minutes.agenda'), { heading: sub }));
  if (m.agenda.length === 0) out.push(k.para(t('report.minutes.noAgenda'), { italics: true }));
  m.agenda.forEach((a, i) => {
    out.push(k.para(itemTitle(f, m, i), { bullet: true }));
    if (m.notes.items[i]?.trim()) out.push(...m.notes.items[i]!.split('\n').filter((l) => l.trim()).map((l) => k.para(l, { indent: true })));
  });
  out.push(k.para(t('report.minutes.speeches'), { heading: sub }));
  if (m.speeches.length === 0) out.push(k.para(t('report.minutes.noSpeeches'), { italics: true }));
  for (const s of m.speeches)
    out.push(k.para(`${t('report.minutes.speech', { who: f.speaker(s.speaker), group: f.group(s.speaker.group), duration: f.duration(s.seconds) })} · ${itemTitle(f, m, s.agendaItem)}`, { bullet: true }));
  out.push(k.para(t('report.minutes.decisions'), { heading: sub }));
  if (m.decisions.length === 0) out.push(k.para(t('report.minutes.noDecisions'), { italics: true }));
  for (const d of m.decisions) out.push(k.para(`${d.text} · ${itemTitle(f, m, d.agendaItem)}`, { bullet: true }));
  if (m.polls.length > 0) {
    out.push(k.para(t('report.minutes.polls'), { heading: sub }));
    for (const p of m.polls) out.push(k.para([k.run(p.question, { bold: true }), k.run(` · ${itemTitle(f, m, p.agendaItem)}`)]), ...pollBlocks(f, k, p));
  }
  if (m.notes.general.trim()) out.push(k.para(t('report.minutes.generalNotes'), { heading: sub }), ...m.notes.general.split('\n').filter((l) => l.trim()).map((l) => k.para(l)));
  return out;
}
