import type { AuditEntry } from '../../shared/audit.ts';

/**
 * The aliases (`actor_alias`, and `subject_alias` for a member) are what the
 * other members see where identities are hidden, so a facilitator can match
 * an entry to what people saw; a name is left empty where the reader may not
 * see it (see audit.identity.ts). A position's group, recorded without its
 * member, fills `actor_group`.
 */
const header = [
  'time',
  'action',
  'actor_member_id',
  'actor_name',
  'actor_alias',
  'actor_role',
  'actor_group',
  'subject_type',
  'subject_id',
  'subject_name',
  'subject_alias',
  'reason',
  'details',
];

/**
 * One CSV cell (RFC 4180), safe to open in a spreadsheet. Names and reasons
 * are typed by members, so a cell that a spreadsheet would read as a formula
 * (`= + - @`, and tab or carriage return, which some read the same way) is
 * prefixed with an apostrophe and shown as text.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const row = (cells: (string | number | boolean | null | undefined)[]) => cells.map(csvCell).join(',');

/** The audit log as CSV, with a byte-order mark so spreadsheets read it as UTF-8 (names in every script). */
export function auditCsv(entries: AuditEntry[]): string {
  const lines = [row(header)];
  for (const e of entries) {
    const details = Object.entries(e.details).map(([k, v]) => `${k}=${v === null ? '' : String(v)}`).join('; ');
    lines.push(
      row([
        e.at,
        e.action,
        e.actor?.memberId,
        e.actor?.displayName,
        e.actor?.alias,
        e.actor?.role,
        e.actor?.group ?? (e.action.startsWith('position.') ? e.details.group : null),
        e.subject?.type,
        e.subject?.id,
        e.subject?.name,
        e.subject?.alias,
        e.reason,
        details,
      ]),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
