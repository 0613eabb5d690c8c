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

const rowsPerTurn = 50;

/**
 * The plan as CSV, one row per action after a header row: UTF-8 with a
 * byte-order mark so that Excel reads every script, CRLF line ends, quoted
 * where needed (csv-stringify). A stream, written row by row.
 */
export function planCsv(x: PlanExport): Readable {
  // A line break inside a cell must be quoted too, not only the record delimiter (CRLF) csv-stringify quotes by itself.
  const csv = stringify({ bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/, cast: { string: neutralise } });
  const rows = planRows(x);
  csv.write(planHeaders(x.t));
  // Rows are made and written as the reader drains them, a batch per turn of the event loop: a large plan never blocks it in one go.
  // ('drain' comes back on the same turn, so the count runs across it.)
  let written = 0;
  const pump = () => {
    for (;;) {
      const next = rows.next();
      if (next.done) return void csv.end();
      const more = csv.write(next.value);
      if (++written % rowsPerTurn === 0) return void setImmediate(pump);
      if (!more) return void csv.once('drain', pump);
    }
  };
  pump();
  return csv;
}
