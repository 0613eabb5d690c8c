import { stringify } from 'csv-stringify';
import type { Readable } from 'node:stream';
import { planHeaders, planRows, type PlanExport } from './cells.ts';

/**
 * A cell a spreadsheet would run as a formula (= + - @, and tab or carriage
 * return, which some read the same way) is prefixed with an apostrophe: the
 * plan's text is typed by members, and opening the file must not run it.
 */
export function neutralise(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * The plan as CSV, one row per action after a header row: UTF-8 with a
 * byte-order mark so that Excel reads every script, CRLF line ends, quoted
 * where needed (csv-stringify). A stream, written row by row.
 */
export function planCsv(x: PlanExport): Readable {
  // A line break inside a cell must be quoted too, not only the record delimiter (CRLF) csv-stringify quotes by itself.
  const csv = stringify({ bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/, cast: { string: neutralise } });
  const rows = [planHeaders(x.t), ...planRows(x)];
  // Written as the reader drains it: a large plan never sits in memory twice, nor blocks the loop in one go.
  let i = 0;
  const pump = () => {
    while (i < rows.length) if (!csv.write(rows[i++]!)) return void csv.once('drain', pump);
    csv.end();
  };
  pump();
  return csv;
}
