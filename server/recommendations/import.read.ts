import { parse as parseCsvStream } from 'csv-parse';
import ExcelJS from 'exceljs';
import { AppError } from '../errors.ts';
import { ErrorCode } from '../../shared/errors.ts';
import type { ImportProblem } from '../../shared/recommendations.ts';

/** A file as a table: its headers and its rows, each with the line (CSV) or row number (XLSX) it starts on. */
export interface Table {
  format: 'csv' | 'xlsx';
  encoding: string | null;
  delimiter: string | null;
  headers: string[];
  rows: { line: number; cells: string[] }[];
  /** Rows that cannot be read as rows at all (wrong number of cells, broken quoting). */
  problems: ImportProblem[];
}

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/**
 * Text from bytes, by byte-order mark: UTF-16 LE (Excel's "Unicode text") or
 * BE, UTF-8 with a BOM, else UTF-8 without one. Anything that is not valid in
 * the detected encoding is refused rather than guessed at (a legacy code page
 * would silently garble names).
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string } {
  const [a, b, c] = bytes;
  let encoding = 'utf-8';
  let start = 0;
  if (a === 0xff && b === 0xfe) [encoding, start] = ['utf-16le', 2];
  else if (a === 0xfe && b === 0xff) [encoding, start] = ['utf-16be', 2];
  else if (a === 0xef && b === 0xbb && c === 0xbf) [encoding, start] = ['utf-8', 3];
  try {
    return { text: new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(start)), encoding: start === 3 ? 'utf-8-bom' : encoding };
  } catch {
    throw new AppError(ErrorCode.validation, `The file is not valid ${encoding.toUpperCase()}; save it as CSV UTF-8 or as Unicode text`);
  }
}

/** The delimiter the header line uses most: tab (Unicode text), semicolon (European Excel) or comma. */
export function detectDelimiter(text: string): string {
  const end = text.indexOf('\n');
  const header = end < 0 ? text : text.slice(0, end);
  const count = (d: string) => header.split(d).length - 1;
  const [best] = ['\t', ';', ','].map((d) => [d, count(d)] as const).sort((x, y) => y[1] - x[1]);
  return best && best[1] > 0 ? best[0] : ',';
}

const newlines = (s: string) => {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
};

type CsvRecord = { record: string[]; info: { lines: number } };

/** Characters of text parsed between two turns of the event loop (a few milliseconds' work). */
const csvSlice = 256 * 1024;
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Parses CSV a slice at a time, letting the event loop turn in between, so that
 * a 20 MiB import does not stall everyone else's edits on this server for the
 * second or so that parsing it takes.
 */
async function parseCsvSliced(text: string, delimiter: string): Promise<CsvRecord[]> {
  // Ragged rows are let through here so that every one of them can be reported with its line, not just the first.
  const parser = parseCsvStream({ delimiter, info: true, relax_column_count: true, skip_empty_lines: true, relax_quotes: false });
  const records: CsvRecord[] = [];
  let failure: unknown = null;
  parser.on('readable', () => {
    for (let r = parser.read() as CsvRecord | null; r !== null; r = parser.read() as CsvRecord | null) records.push(r);
  });
  parser.on('error', (err) => (failure ??= err));
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', () => resolve());
  });
  for (let at = 0; at < text.length && failure === null; ) {
    let end = Math.min(text.length, at + csvSlice);
    // Never split a surrogate pair between two slices.
    if (end < text.length && /[\ud800-\udbff]/.test(text[end - 1]!)) end++;
    parser.write(text.slice(at, end));
    at = end;
    await nextTurn();
  }
  if (failure === null) parser.end();
  await ended;
  if (failure !== null) throw failure;
  return records;
}

export async function readCsv(bytes: Uint8Array): Promise<Table> {
  const { text, encoding } = decodeText(bytes);
  const delimiter = detectDelimiter(text);
  let records: CsvRecord[];
  try {
    records = await parseCsvSliced(text, delimiter);
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1;
    return { format: 'csv', encoding, delimiter, headers: [], rows: [], problems: [{ line, column: null, code: 'unreadable', params: {}, reason: `The file cannot be read as CSV: ${(err as Error).message}` }] };
  }
  const [head, ...rest] = records;
  const headers = (head?.record ?? []).map((h) => h.trim());
  const problems: ImportProblem[] = [];
  const rows: Table['rows'] = [];
  for (const { record, info } of rest) {
    // csv-parse counts the line a record ends on; a quoted cell may span several.
    const line = info.lines - record.reduce((n, cell) => n + newlines(cell), 0);
    if (record.every((cell) => cell.trim() === '')) continue;
    if (record.length !== headers.length) {
      problems.push({ line, column: null, code: 'cellCount', params: { cells: record.length, expected: headers.length }, reason: `The row has ${record.length} cells; the header has ${headers.length}` });
      continue;
    }
    rows.push({ line, cells: record });
  }
  return { format: 'csv', encoding, delimiter, headers, rows, problems };
}

/** A cell's text as Excel shows it (rich text, numbers, dates and formula results included). */
const cellText = (cell: ExcelJS.Cell): string => {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  return cell.text ?? '';
};

/**
 * The total size a zip file says its entries expand to, from its central
 * directory, or null when the directory cannot be found or uses ZIP64 (which
 * no spreadsheet of the size we accept needs).
 */
export function zipExpandedBytes(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record is in the last 22 bytes plus a comment of at most 65,535.
  for (let end = bytes.length - 22; end >= Math.max(0, bytes.length - 22 - 65_535); end--) {
    if (view.getUint32(end, true) !== 0x06054b50) continue;
    const entries = view.getUint16(end + 10, true);
    let at = view.getUint32(end + 16, true);
    let total = 0;
    for (let i = 0; i < entries; i++) {
      if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return null;
      const size = view.getUint32(at + 24, true);
      if (size === 0xffffffff) return null;
      total += size;
      at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    }
    return total;
  }
  return null;
}

/**
 * The first worksheet; its first non-empty row holds the headers. A workbook
 * is a zip: one that would expand beyond `maxExpandedBytes` in memory (a "zip
 * bomb", or just a huge sheet) is refused before anything is decompressed.
 */
export async function readXlsx(bytes: Uint8Array, maxExpandedBytes: number): Promise<Table> {
  const expanded = zipExpandedBytes(bytes);
  if (expanded === null) throw new AppError(ErrorCode.validation, 'The file cannot be read as an Excel workbook (.xlsx)');
  if (expanded > maxExpandedBytes) {
    throw new AppError(ErrorCode.payloadTooLarge, `The workbook expands to ${Math.ceil(expanded / 2 ** 20)} MiB; at most ${Math.floor(maxExpandedBytes / 2 ** 20)} MiB is accepted`, { expandedBytes: expanded, maxExpandedBytes });
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch {
    throw new AppError(ErrorCode.validation, 'The file cannot be read as an Excel workbook (.xlsx)');
  }
  const sheet = workbook.worksheets[0];
  const table: Table = { format: 'xlsx', encoding: null, delimiter: null, headers: [], rows: [], problems: [] };
  if (!sheet) return table;
  const width = () => table.headers.length;
  let header = true;
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => void (cells[col - 1] = cellText(cell)));
    for (let i = 0; i < cells.length; i++) cells[i] ??= '';
    if (header) {
      table.headers = cells.map((h) => h.trim());
      header = false;
      return;
    }
    if (cells.every((c) => c.trim() === '')) return;
    const extra = cells.findIndex((c, i) => i >= width() && c.trim() !== '');
    if (extra >= 0) {
      table.problems.push({ line, column: null, code: 'cellWithoutHeader', params: { index: extra + 1 }, reason: `Column ${extra + 1} has a value but no header` });
      return;
    }
    while (cells.length < width()) cells.push('');
    table.rows.push({ line, cells: cells.slice(0, width()) });
  });
  return table;
}

export function readTable(bytes: Uint8Array, maxExpandedBytes: number): Promise<Table> | Table {
  if (bytes.length === 0) throw new AppError(ErrorCode.validation, 'The file is empty');
  return isZip(bytes) ? readXlsx(bytes, maxExpandedBytes) : readCsv(bytes);
}
