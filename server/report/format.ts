import type { MessageKey } from '../../client/src/lib/i18n/catalogue.ts';
import type { Locale } from '../../client/src/lib/i18n/locales.ts';
import type { StakeholderGroup } from '../../shared/groups.ts';
import type { Label } from '../plan/labels.ts';
import type { Minutes } from '../../shared/minutes.ts';
import type { Face, GroupParticipation } from './report.data.ts';
import type { PlanAction } from '../../shared/plan-read.ts';
import { indicatorText, listSeparator, sourceLabel, statusLabel } from '../plan/cells.ts';

/** How the files write people, groups, dates and durations, in the reader's language. Shared by every format. */
export function formatters(locale: Locale, t: Label) {
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return {
    t,
    group: (g: StakeholderGroup) => t(`groups.${g}` as MessageKey),
    /** An alias as members see it ("Civil society participant 12"): never a name. */
    who: (f: Face) =>
      f.former ? t('personalData.formerParticipant', { group: t(`groups.${f.group}` as MessageKey) }) : t(`alias.${f.group}` as MessageKey, { alias: f.alias }),
    /** A speaking turn's speaker, whose group the line writes beside it. */
    speaker: (f: Face) => (f.former ? t('report.formerParticipant') : t(`alias.${f.group}` as MessageKey, { alias: f.alias })),
    date: (iso: string) => `${dates.format(new Date(iso))} UTC`,
    number: (n: number) => numbers.format(n),
    /** A country code as the reader's language names it ("KE" → "Kenya", "كينيا"); a regional consultation has none. */
    country: (code: string) => {
      if (!code) return '—';
      try {
        return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
      } catch {
        return code;
      }
    },
    duration: (seconds: number) => t('report.minutes.duration', { minutes: Math.floor(seconds / 60), seconds: seconds % 60 }),
  };
}
export type Formatters = ReturnType<typeof formatters>;

/** The participation table's columns, in order, with each row's value (speaking time in minutes). */
export const participationColumns: [MessageKey, (p: GroupParticipation) => number][] = [
  ['report.col.invited', (p) => p.invited],
  ['report.col.joined', (p) => p.joined],
  ['report.col.active', (p) => p.active],
  ['report.col.comments', (p) => p.comments],
  ['report.col.positions', (p) => p.positions],
  ['report.col.proposals', (p) => p.proposals],
  ['report.col.accepted', (p) => p.accepted],
  ['report.col.speaking', (p) => Math.round((p.speakingSeconds / 60) * 10) / 10],
];

/** The charts: each a few series over the groups. */
export const participationCharts: { title: MessageKey; series: MessageKey[] }[] = [
  { title: 'report.chart.members', series: ['report.col.invited', 'report.col.joined', 'report.col.active'] },
  { title: 'report.chart.contributions', series: ['report.col.comments', 'report.col.positions'] },
  { title: 'report.chart.speaking', series: ['report.col.speaking'] },
];

export const valueOf = (key: MessageKey, p: GroupParticipation): number => participationColumns.find(([k]) => k === key)![1](p);

/** Series colours: distinguishable for common colour blindness (Okabe–Ito), dark enough on white. */
export const seriesColours = ['#0072B2', '#D55E00', '#009E73'];

/** When a meeting happened, as one line. */
export function heldLine(f: Formatters, m: Minutes): string {
  if (m.startedAt && m.endedAt) return f.t('report.minutes.held', { start: f.date(m.startedAt), end: f.date(m.endedAt) });
  if (m.startedAt) return f.t('report.minutes.running', { start: f.date(m.startedAt) });
  return f.t('report.minutes.notHeld');
}

/** Agenda item `i` as a heading ("Item 2: Justice"), or "Outside the agenda" for null. */
export function itemTitle(f: Formatters, m: Minutes, i: number | null): string {
  return i === null || !m.agenda[i] ? f.t('report.minutes.outsideAgenda') : f.t('report.minutes.item', { n: i + 1, title: m.agenda[i] });
}

/** A plan action's fields as "Label: value" lines, labelled as in the plan's own exports; empty ones left out. */
export function actionFieldLines(f: Formatters, a: PlanAction): string[] {
  const { t } = f;
  const budget = a.budget ? `${f.number(a.budget.amount)} ${a.budget.currency} (${sourceLabel(t, a.budget)})` : '';
  const fields: [MessageKey, string][] = [
    ['export.col.status', statusLabel(t, a.status)],
    ['export.col.lead', a.lead],
    ['export.col.partners', a.partners.join(listSeparator)],
    ['export.col.start', a.start ?? ''],
    ['export.col.end', a.end ?? ''],
    ['export.col.amount', budget],
    ['export.col.indicators', a.indicators.map((i) => indicatorText(t, i)).join(listSeparator)],
    ['export.col.recommendations', a.recommendations.join(listSeparator)],
    ['export.col.sdgTargets', a.sdgTargets.join(listSeparator)],
  ];
  return fields.filter(([, v]) => v.trim()).map(([k, v]) => t('export.field', { label: t(k), value: v }));
}
