import { rtlLocales, type Locale } from '../../client/src/lib/i18n/locales.ts';
import type { MessageKey } from '../../client/src/lib/i18n/catalogue.ts';
import { stakeholderGroups } from '../../shared/groups.ts';
import { stances } from '../../shared/comments.ts';
import type { Minutes, MinutesPoll } from '../../shared/minutes.ts';
import { labelsFor } from '../plan/labels.ts';
import type { ReportData, ReportThread, GroupParticipation } from './report.data.ts';
import { actionFieldLines, formatters, heldLine, itemTitle, participationCharts, participationColumns, seriesColours, valueOf, type Formatters } from './format.ts';

/** Everything people typed goes through here: no tag, attribute or entity of theirs survives as markup. */
export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const e = escapeHtml;

/**
 * The page printed to PDF. Self-contained (no script, no fetch: the printer
 * allows neither), with `lang` and `dir` from the reader's language so that
 * Chromium shapes Arabic right to left and picks CJK fonts for Chinese.
 * Layout uses logical properties, so one stylesheet serves both directions.
 */
function page(locale: Locale, title: string, body: string): string {
  const dir = rtlLocales.has(locale) ? 'rtl' : 'ltr';
  return `<!doctype html>
<html lang="${locale}" dir="${dir}"><head><meta charset="utf-8"><title>${e(title)}</title>
<style>
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC", "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.45; color: #111; }
h1 { font-size: 20pt; margin-block: 0 4pt; } h2 { font-size: 15pt; margin-block: 18pt 6pt; break-after: avoid; }
h3 { font-size: 12.5pt; margin-block: 12pt 4pt; break-after: avoid; } h4 { font-size: 11pt; margin-block: 8pt 2pt; break-after: avoid; }
.meta { color: #444; } blockquote { margin-block: 2pt; margin-inline: 0; padding-inline-start: 8pt; border-inline-start: 3pt solid #999; }
table { border-collapse: collapse; margin-block: 4pt 8pt; break-inside: avoid; } th, td { border: 0.5pt solid #888; padding: 2pt 5pt; text-align: start; vertical-align: top; }
td.n { text-align: end; font-variant-numeric: tabular-nums; } .thread { break-inside: avoid; margin-block: 6pt; padding-block-end: 4pt; border-block-end: 0.5pt solid #ccc; }
.marker { font-style: italic; color: #555; } figure { margin-block: 6pt; margin-inline: 0; break-inside: avoid; } figcaption { font-weight: bold; }
ul, ol { margin-block: 2pt; padding-inline-start: 18pt; }
/* "fi", "ff" as ligature glyphs copy and search as broken words in PDF readers; Arabic keeps its own. */
html:not([lang="ar"]) body { font-variant-ligatures: no-common-ligatures; }
</style></head><body>${body}</body></html>`;
}

export function reportHtml(data: ReportData): string {
  const f = formatters(data.locale, labelsFor(data.locale));
  const { t } = f;
  const out: string[] = [];
  out.push(`<h1>${e(t('report.title'))}: ${e(data.title)}</h1>`);
  out.push(`<p class="meta">${e(t('report.subtitle', { country: f.country(data.country), phase: t(`phases.${data.phase}` as MessageKey), date: f.date(data.generatedAt) }))}</p>`);

  out.push(`<h2>${e(t('report.text'))}</h2>`);
  for (const d of data.documents) {
    out.push(`<h3>${e(d.title)}</h3>`);
    if (d.blocks.length === 0) out.push(`<p class="marker">${e(t('report.emptyDocument'))}</p>`);
    let list = false;
    for (const b of d.blocks) {
      if (b.kind === 'item' && !list) out.push('<ul>'), (list = true);
      if (b.kind !== 'item' && list) out.push('</ul>'), (list = false);
      if (b.kind === 'heading') out.push(`<h4 data-level="${b.level}">${e(b.text)}</h4>`);
      else if (b.kind === 'item') out.push(`<li>${e(b.text)}</li>`);
      else if (b.kind === 'fields') out.push(`<p class="meta">${actionFieldLines(f, b.action).map(e).join('<br>')}</p>`);
      else out.push(`<p>${e(b.text)}</p>`);
    }
    if (list) out.push('</ul>');
  }

  out.push(`<h2>${e(t('report.threads'))}</h2>`);
  for (const d of data.documents) {
    out.push(`<h3>${e(t('report.threadsIn', { document: d.title }))}</h3>`);
    if (d.sections.length === 0) out.push(`<p class="marker">${e(t('report.noThreads'))}</p>`);
    for (const s of d.sections) {
      out.push(`<h4>${e(s.title ?? t('report.detached'))}</h4>`);
      for (const thread of s.threads) out.push(threadHtml(f, thread));
    }
  }

  out.push(`<h2>${e(t('report.participation'))}</h2>`, participationHtml(f, data.participation, rtlLocales.has(data.locale)));

  out.push(`<h2>${e(t('report.pollsByGroup'))}</h2>`);
  const polls = data.minutes.flatMap((m) => m.polls.map((p) => ({ m, p })));
  if (polls.length === 0) out.push(`<p class="marker">${e(t('report.noPolls'))}</p>`);
  for (const { m, p } of polls) out.push(`<h4>${e(p.question)} <span class="meta">(${e(m.title)})</span></h4>`, pollHtml(f, p));

  out.push(`<h2>${e(t('report.minutes'))}</h2>`);
  if (data.minutes.length === 0) out.push(`<p class="marker">${e(t('report.noMeetings'))}</p>`);
  for (const m of data.minutes) out.push(minutesBody(f, m, 3));

  out.push(`<h2>${e(t('report.moderation'))}</h2><p class="meta">${e(t('report.moderationNote'))}</p>`);
  out.push(
    `<table><tbody>${(['pending', 'hidden', 'restored', 'dismissed'] as const)
      .map((k) => `<tr><th scope="row">${e(t(`report.moderation.${k}`))}</th><td class="n">${data.moderation.reported[k]}</td></tr>`)
      .join('')}</tbody></table>`,
  );
  out.push(`<h3>${e(t('report.moderation.byReason'))}</h3>`);
  if (data.moderation.hiddenByReason.length === 0) out.push(`<p class="marker">${e(t('report.moderation.noneHidden'))}</p>`);
  else
    out.push(
      `<table><thead><tr><th>${e(t('report.col.reason'))}</th><th>${e(t('report.col.count'))}</th></tr></thead><tbody>${data.moderation.hiddenByReason
        .map((r) => `<tr><td>${e(r.reason)}</td><td class="n">${r.count}</td></tr>`)
        .join('')}</tbody></table>`,
    );
  return page(data.locale, `${t('report.title')}: ${data.title}`, out.join('\n'));
}

function threadHtml(f: Formatters, thread: ReportThread): string {
  const { t } = f;
  const parts = [`<div class="thread">`, `<blockquote>${e(t('report.quote', { quote: thread.quote }))}</blockquote>`];
  parts.push(`<p>${e(t('report.openedBy', { group: f.group(thread.group) }))} · ${e(t('report.outcome', { status: t(`report.threadStatus.${thread.status}`) }))}</p>`);
  parts.push('<ul>');
  for (const c of thread.comments) {
    const text = c.state === 'shown' ? e(c.body ?? '') : `<span class="marker">${e(t(c.state === 'hidden' ? 'report.commentHidden' : 'report.commentDeleted'))}</span>`;
    parts.push(`<li><strong>${e(f.who(c.author))}</strong>: ${text}</li>`);
  }
  parts.push('</ul>');
  if (thread.proposal) {
    const p = thread.proposal;
    parts.push(`<p>${e(t('report.proposal', { text: p.text }))}</p>`);
    parts.push(`<p>${e(t('report.proposalOutcome', { status: t(`report.proposalStatus.${p.status}`) }))}${p.decidedBy ? ` · ${e(t('report.decidedBy', { who: f.who(p.decidedBy) }))}` : ''}</p>`);
    if (p.replaced) parts.push(`<p>${e(t('report.replaced', { text: p.replaced }))}</p>`);
    if (p.reason) parts.push(`<p>${e(t('report.reason', { reason: p.reason }))}</p>`);
  }
  if (thread.positions.length > 0) {
    parts.push(`<table><caption>${e(t('report.positions'))}</caption><thead><tr><th>${e(t('report.col.group'))}</th>${stances.map((s) => `<th>${e(t(`comments.stance.${s}`))}</th>`).join('')}</tr></thead><tbody>`);
    for (const p of thread.positions) parts.push(`<tr><th scope="row">${e(f.group(p.group))}</th>${stances.map((s) => `<td class="n">${p.counts[s]}</td>`).join('')}</tr>`);
    parts.push('</tbody></table>');
  }
  parts.push('</div>');
  return parts.join('');
}

function participationHtml(f: Formatters, rows: GroupParticipation[], rtl: boolean): string {
  const { t } = f;
  const charts = participationCharts.map((c) => barChart(f, t(c.title), c.series, rows, rtl)).join('');
  const table = `<table><thead><tr><th>${e(t('report.col.group'))}</th>${participationColumns.map(([k]) => `<th>${e(t(k))}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr><th scope="row">${e(f.group(r.group))}</th>${participationColumns.map(([, v]) => `<td class="n">${f.number(v(r))}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
  return `${table}<p class="meta">${e(t('report.participationNote'))}</p>${charts}`;
}

/**
 * A horizontal grouped bar chart as inline SVG: one band per group, one bar
 * per series. Mirrored for right-to-left languages (labels on the right,
 * bars growing leftwards). The same numbers are in the table above it.
 */
function barChart(f: Formatters, title: string, series: MessageKey[], rows: GroupParticipation[], rtl: boolean): string {
  const width = 640, label = 190, valueRoom = 44, bar = 12, gap = 10, legend = 22;
  const band = series.length * bar + gap;
  const height = legend + rows.length * band + 4;
  const max = Math.max(1, ...rows.flatMap((r) => series.map((s) => valueOf(s, r))));
  const plot = width - label - valueRoom;
  // Physical coordinates (the SVG is laid out left to right whatever the page's direction), mirrored for RTL.
  const x = (from: number, w: number) => (rtl ? width - from - w : from);
  const at = (from: number) => (rtl ? width - from : from);
  const near = rtl ? 'end' : 'start';
  const far = rtl ? 'start' : 'end';
  const out: string[] = [];
  series.forEach((s, i) => {
    const lx = 10 + i * 180;
    out.push(`<rect x="${x(lx, 10)}" y="4" width="10" height="10" fill="${seriesColours[i]}"/>`);
    out.push(`<text x="${at(lx + 14)}" y="13" font-size="10" text-anchor="${near}">${e(f.t(s))}</text>`);
  });
  rows.forEach((r, gi) => {
    const top = legend + gi * band;
    out.push(`<text x="${at(label - 6)}" y="${top + (series.length * bar) / 2 + 4}" font-size="10" text-anchor="${far}">${e(f.group(r.group))}</text>`);
    series.forEach((s, si) => {
      const v = valueOf(s, r);
      const w = (v / max) * plot;
      const y = top + si * bar;
      out.push(`<rect x="${x(label, w)}" y="${y}" width="${w}" height="${bar - 2}" fill="${seriesColours[si]}"/>`);
      out.push(`<text x="${at(label + w + 4)}" y="${y + bar - 3}" font-size="9" text-anchor="${near}">${f.number(v)}</text>`);
    });
  });
  return `<figure><figcaption>${e(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" direction="ltr" role="img" aria-label="${e(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${out.join('')}</svg></figure>`;
}

/** A poll's results by option: the total and each group that voted; or why there are none. */
export function pollHtml(f: Formatters, p: MinutesPoll): string {
  const { t } = f;
  const status = t(p.status === 'open' ? 'report.minutes.pollOpen' : 'report.minutes.pollClosed');
  if (!p.results) return `<p>${e(status)} · <span class="marker">${e(t('report.minutes.resultsHidden'))}</span></p>`;
  const results = p.results;
  const groups = stakeholderGroups.filter((g) => (results.byGroup[g] ?? []).some((n) => n > 0));
  return `<p>${e(status)} · ${e(t('report.minutes.votes', { count: results.total }))}</p><table><thead><tr><th>${e(t('report.col.option'))}</th><th>${e(t('report.col.total'))}</th>${groups
    .map((g) => `<th>${e(f.group(g))}</th>`)
    .join('')}</tr></thead><tbody>${p.options
    .map((o, i) => `<tr><th scope="row">${e(o)}</th><td class="n">${results.byOption[i] ?? 0}</td>${groups.map((g) => `<td class="n">${results.byGroup[g]?.[i] ?? 0}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** One meeting's minutes, headed at `level` (1 alone, 3 inside the report). */
function minutesBody(f: Formatters, m: Minutes, level: 1 | 3): string {
  const { t } = f;
  const h = (n: number, text: string) => `<h${n}>${e(text)}</h${n}>`;
  const sub = level + 1;
  const out = [h(level, t('report.minutes.title', { title: m.title })), `<p class="meta">${e(t('report.minutes.scheduled', { date: f.date(m.startsAt) }))}<br>${e(heldLine(f, m))}${m.editedAt ? `<br>${e(t('report.minutes.edited', { date: f.date(m.editedAt) }))}` : ''}</p>`];
  out.push(h(sub, t('report.minutes.agenda')));
  if (m.agenda.length === 0) out.push(`<p class="marker">${e(t('report.minutes.noAgenda'))}</p>`);
  else out.push(`<ol>${m.agenda.map((a, i) => `<li>${e(a)}${m.notes.items[i]?.trim() ? `<p>${e(m.notes.items[i]!)}</p>` : ''}</li>`).join('')}</ol>`);
  out.push(h(sub, t('report.minutes.speeches')));
  if (m.speeches.length === 0) out.push(`<p class="marker">${e(t('report.minutes.noSpeeches'))}</p>`);
  else
    out.push(
      `<ul>${m.speeches
        .map((s) => `<li>${e(t('report.minutes.speech', { who: f.speaker(s.speaker), group: f.group(s.speaker.group), duration: f.duration(s.seconds) }))} · ${e(itemTitle(f, m, s.agendaItem))}</li>`)
        .join('')}</ul>`,
    );
  out.push(h(sub, t('report.minutes.decisions')));
  if (m.decisions.length === 0) out.push(`<p class="marker">${e(t('report.minutes.noDecisions'))}</p>`);
  else out.push(`<ul>${m.decisions.map((d) => `<li>${e(d.text)} · <span class="meta">${e(itemTitle(f, m, d.agendaItem))}</span></li>`).join('')}</ul>`);
  if (m.polls.length > 0) {
    out.push(h(sub, t('report.minutes.polls')));
    for (const p of m.polls) out.push(`<p><strong>${e(p.question)}</strong> · ${e(itemTitle(f, m, p.agendaItem))}</p>`, pollHtml(f, p));
  }
  if (m.notes.general.trim()) out.push(h(sub, t('report.minutes.generalNotes')), ...m.notes.general.split('\n').filter((l) => l.trim()).map((l) => `<p>${e(l)}</p>`));
  return out.join('');
}

/** One meeting's minutes as a page of their own. */
export function minutesHtml(m: Minutes, locale: Locale): string {
  const f = formatters(locale, labelsFor(locale));
  return page(locale, f.t('report.minutes.title', { title: m.title }), minutesBody(f, m, 1));
}
