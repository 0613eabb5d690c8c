import * as Y from 'yjs';
import type { Author } from '../../../shared/comments.ts';
import { stakeholderGroups, type StakeholderGroup } from '../../../shared/groups.ts';
import type { DiffSegment, DocumentDiff, FieldChange, ThreadFate, Version } from '../../../shared/history.ts';
import type { MessageKey } from './i18n/catalogue.ts';

/**
 * How the history page words things: pure functions over the wire shapes,
 * given the translator (so that they can be tested without the app).
 */
export type Translate = (key: MessageKey, values?: Record<string, string | number | Date | null | undefined>) => string;

/** The label a version is listed under: its name, or what made it (a phase, adoption, a restore). */
export function versionTitle(version: Version, t: Translate, titleOf: (versionId: string) => string | null = () => null): string {
  if (version.name) return version.name;
  if (version.reason === 'adoption') return t('history.reason.adoption');
  if (version.reason === 'phase' && version.phase) return t('history.reason.phase', { phase: t(`phases.${version.phase}`) });
  if (version.reason === 'restore') {
    const from = version.restoredFrom ? titleOf(version.restoredFrom) : null;
    return from ? t('history.reason.restore', { name: from }) : t('history.reason.restoreUnknown');
  }
  return t('history.reason.manual');
}

/** For a restore that was named: what it brought back, shown under the name. */
export function restoreNote(version: Version, t: Translate, titleOf: (versionId: string) => string | null): string | null {
  if (version.reason !== 'restore' || !version.name) return null;
  const from = version.restoredFrom ? titleOf(version.restoredFrom) : null;
  return from ? t('history.reason.restore', { name: from }) : t('history.reason.restoreUnknown');
}

/** "Civil society participant 3 (Civil society)": a person as comments show them, with the group in words. */
export function authorLabel(author: Author | null, t: Translate, nameOf: (author: Author) => string): string {
  if (!author) return t('history.unknownAuthor');
  return t('history.authorWithGroup', { name: nameOf(author), group: t(`groups.${author.group}`) });
}

const isGroup = (value: string): value is StakeholderGroup => (stakeholderGroups as readonly string[]).includes(value);

export interface CountRow {
  /** A stakeholder group, or "unknown" for text from before attribution was recorded. */
  group: StakeholderGroup | 'unknown';
  added: number;
  removed: number;
}

/** Per-group counts in the groups' usual order (then the unrecorded ones), leaving out groups that changed nothing. */
export function countRows(counts: DocumentDiff['counts']): CountRow[] {
  const rows: CountRow[] = [];
  for (const group of [...stakeholderGroups, 'unknown'] as const) {
    const count = counts[group];
    if (count && (count.added > 0 || count.removed > 0)) rows.push({ group, added: count.added, removed: count.removed });
  }
  return rows;
}

export const groupName = (group: string, t: Translate): string => (isGroup(group) ? t(`groups.${group}`) : t('history.counts.unknown'));

const fieldKeys = {
  lead: 'history.field.lead',
  partners: 'history.field.partners',
  start: 'history.field.start',
  end: 'history.field.end',
  indicators: 'history.field.indicators',
  budget: 'history.field.budget',
  status: 'history.field.status',
  recommendations: 'history.field.recommendations',
  sdgTargets: 'history.field.sdgTargets',
} as const satisfies Record<string, MessageKey>;

export function fieldLabel(field: string, t: Translate): string {
  return Object.hasOwn(fieldKeys, field) ? t(fieldKeys[field as keyof typeof fieldKeys]) : field;
}

const statusKeys = {
  planned: 'plan.status.planned',
  in_progress: 'plan.status.in_progress',
  completed: 'plan.status.completed',
  delayed: 'plan.status.delayed',
  dropped: 'plan.status.dropped',
} as const satisfies Record<string, MessageKey>;

const sourceKeys = { national_budget: 'plan.source.national_budget', donor: 'plan.source.donor', other: 'plan.source.other' } as const satisfies Record<
  string,
  MessageKey
>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A field's stored value as a reader would say it: lists joined, a budget as money with its source, a status in words. */
export function fieldValue(field: string, value: unknown, t: Translate, locale: string): string {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return t('history.field.none');
  if (field === 'status' && typeof value === 'string' && Object.hasOwn(statusKeys, value)) return t(statusKeys[value as keyof typeof statusKeys]);
  if (field === 'budget' && isRecord(value) && typeof value.amount === 'number' && typeof value.currency === 'string') {
    let money: string;
    try {
      money = new Intl.NumberFormat(locale, { style: 'currency', currency: value.currency }).format(value.amount);
    } catch {
      money = `${new Intl.NumberFormat(locale).format(value.amount)} ${value.currency}`;
    }
    const source = typeof value.source === 'string' && Object.hasOwn(sourceKeys, value.source) ? t(sourceKeys[value.source as keyof typeof sourceKeys]) : null;
    return source ? t('history.field.budgetValue', { money, source }) : money;
  }
  if (field === 'indicators' && Array.isArray(value)) {
    return join(value.map((item) => (isRecord(item) && typeof item.name === 'string' ? item.name : JSON.stringify(item))), locale);
  }
  if (Array.isArray(value)) return join(value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))), locale);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return new Intl.NumberFormat(locale).format(value);
  return JSON.stringify(value);
}

function join(items: string[], locale: string): string {
  return new Intl.ListFormat(locale, { style: 'short', type: 'unit' }).format(items);
}

/** "Action 1.2.3", or the action's title when it has no number. */
export function actionLabel(change: Pick<FieldChange, 'number' | 'title'>, t: Translate): string {
  return change.number ? t('history.fields.action', { number: change.number, title: change.title }) : t('history.fields.actionUnnumbered', { title: change.title });
}

/** What happened to a thread, in words: "passage changed by Government", "declined: <reason>"… */
export function fateLabel(entry: Pick<ThreadFate, 'fate' | 'groups' | 'reason'>, t: Translate, locale: string): string {
  switch (entry.fate) {
    case 'passage_changed':
      return entry.groups.length
        ? t('history.fate.passage_changed', { groups: new Intl.ListFormat(locale, { type: 'conjunction' }).format(entry.groups.map((g) => t(`groups.${g}`))) })
        : t('history.fate.passage_changedUnknown');
    case 'declined':
      return entry.reason ? t('history.fate.declined', { reason: entry.reason }) : t('history.fate.declinedNoReason');
    case 'accepted':
      return t('history.fate.accepted');
    case 'resolved':
      return t('history.fate.resolved');
    case 'detached':
      return t('history.fate.detached');
    case 'open':
      return t('history.fate.open');
  }
}

/** A document as it was, as plain blocks to render read-only (no editor: nothing to type into, nothing to send). */
export type TextNode =
  | { kind: 'text'; text: string; bold: boolean; italic: boolean }
  | { kind: 'element'; node: string; attrs: Record<string, unknown>; children: TextNode[] };

export function readFragment(fragment: Y.XmlFragment | Y.XmlElement): TextNode[] {
  const out: TextNode[] = [];
  for (const child of fragment.toArray()) {
    if (child instanceof Y.XmlText) {
      for (const op of child.toDelta() as { insert?: unknown; attributes?: Record<string, unknown> }[]) {
        if (typeof op.insert !== 'string' || !op.insert) continue;
        out.push({ kind: 'text', text: op.insert, bold: !!op.attributes?.bold, italic: !!op.attributes?.italic });
      }
    } else if (child instanceof Y.XmlElement) {
      out.push({ kind: 'element', node: child.nodeName, attrs: child.getAttributes(), children: readFragment(child) });
    }
  }
  return out;
}

/** The version's document, decoded from its update (base64), ready to read. */
export function decodeVersion(updateBase64: string, fragmentName: string): TextNode[] {
  const bytes = Uint8Array.from(atob(updateBase64), (c) => c.charCodeAt(0));
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, bytes);
    return readFragment(doc.getXmlFragment(fragmentName));
  } finally {
    doc.destroy();
  }
}

/**
 * Which changed segments carry the author's label: the last of each run of
 * segments changed the same way by the same person, so a sentence typed in
 * several updates is labelled once, after it.
 */
export function labelRuns(segments: readonly DiffSegment[]): boolean[] {
  const same = (a: DiffSegment, b: DiffSegment | undefined) =>
    !!a.change && !!b?.change && a.change.kind === b.change.kind && (a.change.by?.memberId ?? null) === (b.change.by?.memberId ?? null);
  return segments.map((segment, i) => !!segment.change && !same(segment, segments[i + 1]));
}
