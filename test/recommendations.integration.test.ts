import { beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { Consultation } from '../shared/schemas.ts';
import type { AuditEntry } from '../shared/audit.ts';
import type { ImportPreview, ImportResult, Recommendation } from '../shared/recommendations.ts';
import { addMember, registerUser, startServer, type TestServer, type TestUser } from './helpers/server.ts';
import { uploadRecommendations, xlsxType } from './helpers/recommendations.ts';

type Page = { items: Recommendation[]; nextCursor: string | null };
type ErrorBody = { error: { code: string; message: string; details?: { problems?: ImportPreview['problems'] } } };

const uhriHeader = 'Annotation ID,Document Symbol,Recommending Body,Type,Countries,Themes,Affected Persons,SDGs,Text,UPR Session/Cycle,Recommending States,Position';

/** A UHRI-shaped CSV: multi-valued cells hold values separated by semicolons or line breaks. */
function uhriCsv(rows: string[][], header = uhriHeader, delimiter = ','): string {
  const quote = (v: string) => (/[",;\t\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header, ...rows.map((r) => r.map(quote).join(delimiter))].join('\r\n') + '\r\n';
}

const rowA = ['A-1', 'A/HRC/52/10', 'UPR', 'Recommendation', 'Kenya', 'Freedom of expression;Human rights defenders', 'Journalists\nHuman rights defenders', '16.10, 16', 'Protect journalists from harassment.', '4th cycle', 'Korea, Republic of; Côte d’Ivoire', 'Supported'];
const rowB = ['A-2', 'CEDAW/C/KEN/CO/8', 'CEDAW', 'Concluding observations', 'Kenya', 'Women’s rights', 'Women and girls', '5', 'Adopt a law on gender-based violence.', '', '', ''];

let s: TestServer;
let owner: TestUser;

async function consultation(title = 'NAP'): Promise<{ c: Consultation; list: (q?: string) => Promise<Page> }> {
  const c = (await owner.call<Consultation>('POST', '/consultations', { title })).body;
  const list = async (q = '') => (await owner.call<Page>('GET', `/consultations/${c.id}/recommendations?limit=200${q}`)).body;
  return { c, list };
}

const preview = (cid: string, file: string | Uint8Array, options: Parameters<typeof uploadRecommendations>[4] = {}) =>
  uploadRecommendations<ImportPreview & ErrorBody>(s.url, owner, cid, file, options);
const commit = (cid: string, file: string | Uint8Array, options: Parameters<typeof uploadRecommendations>[4] = {}) =>
  uploadRecommendations<ImportResult & ErrorBody>(s.url, owner, cid, file, { ...options, commit: true });

beforeAll(async () => {
  s = await startServer();
  owner = await registerUser(s.url, 'Facilitator');
});

describe('importing recommendations', () => {
  it('reads a UHRI export: preview first (nothing stored), then the import, with multi-valued cells split', async () => {
    const { c, list } = await consultation();
    const file = uhriCsv([rowA, rowB]);
    const p = await preview(c.id, file);
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ',', rows: 2, newRows: 2, updatedRows: 0, problems: [], missingFields: [] });
    expect(p.body.mapping).toMatchObject({ 'Annotation ID': 'id', 'Recommending Body': 'body', 'UPR Session/Cycle': 'session', Position: 'position', 'Affected Persons': 'affectedPersons' });
    expect((await list()).items).toEqual([]);

    expect((await commit(c.id, file)).body).toEqual({ rows: 2, created: 2, updated: 0 });
    const items = (await list()).items;
    expect(items.map((r) => r.id)).toEqual(['A-1', 'A-2']);
    expect(items[0]).toMatchObject({
      symbol: 'A/HRC/52/10',
      body: 'UPR',
      themes: ['Freedom of expression', 'Human rights defenders'],
      affectedPersons: ['Journalists', 'Human rights defenders'],
      sdgs: ['16.10', '16'],
      session: '4th cycle',
      recommendingStates: ['Korea, Republic of', 'Côte d’Ivoire'],
      position: 'supported',
      source: 'import',
    });
    expect(items[1]).toMatchObject({ position: null, recommendingStates: [], session: '' });
  });

  it('matches headers case-insensitively and by known synonyms, and takes an explicit mapping for the rest', async () => {
    const { c, list } = await consultation();
    const synonyms = uhriCsv([['X-1', 'Ratify the Convention', 'noted', 'UPR']], ' annotation ID ,RECOMMENDATION,response,Mechanism');
    const p = await preview(c.id, synonyms);
    expect(p.body.mapping).toEqual({ 'annotation ID': 'id', RECOMMENDATION: 'text', response: 'position', Mechanism: 'body' });
    expect(p.body.problems).toEqual([]);

    const odd = uhriCsv([['Z-9', 'Ratify the Convention', 'CRC']], 'Ref,Wording,Committee');
    const unmapped = await preview(c.id, odd);
    expect(unmapped.body.missingFields).toEqual(['id', 'text']);
    expect(unmapped.body.problems.map((x) => [x.line, x.code, x.params.field])).toEqual([[1, 'fieldMissing', 'id'], [1, 'fieldMissing', 'text']]);
    expect((await commit(c.id, odd)).status).toBe(400);
    expect((await list()).items).toEqual([]);

    const mapping = { ref: 'id', Wording: 'text', Committee: 'body' } as const;
    expect((await preview(c.id, odd, { mapping })).body).toMatchObject({ problems: [], newRows: 1, mapping: { Ref: 'id', Wording: 'text', Committee: 'body' } });
    expect((await commit(c.id, odd, { mapping })).body).toEqual({ rows: 1, created: 1, updated: 0 });
    expect((await list()).items).toMatchObject([{ id: 'Z-9', text: 'Ratify the Convention', body: 'CRC' }]);

    // A column can be ignored, and two columns on one field is a problem.
    const twice = await preview(c.id, odd, { mapping: { Ref: 'id', Wording: 'text', Committee: 'text' } });
    expect(twice.body.problems).toEqual([expect.objectContaining({ line: 1, column: 'Committee', code: 'fieldTwice', params: { field: 'text', first: 'Wording' } })]);
    expect((await preview(c.id, odd, { mapping: { Ref: 'id', Wording: 'text', Committee: null } })).body.mapping.Committee).toBeNull();
  });

  it('accepts UTF-8 with and without BOM, UTF-16 LE "Unicode text" (tabs) and semicolon-delimited files', async () => {
    const text = 'Garantir l’accès à la justice — ضمان الوصول إلى العدالة';
    const row = (id: string) => [id, 'A/HRC/1', 'UPR', 'Recommendation', 'Türkiye', 'Justice', 'Migrants', '16.3', text, '3', 'Sénégal', 'noted'];
    const utf8 = uhriCsv([row('U8')]);
    const files: [string, Uint8Array, string, string][] = [
      ['U8', Buffer.from(utf8, 'utf8'), 'utf-8', ','],
      ['BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(uhriCsv([row('BOM')]), 'utf8')]), 'utf-8-bom', ','],
      ['U16', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(uhriCsv([row('U16')], uhriHeader.replaceAll(',', '\t'), '\t'), 'utf16le')]), 'utf-16le', '\t'],
      ['SEMI', Buffer.from(uhriCsv([row('SEMI')], uhriHeader.replaceAll(',', ';'), ';'), 'utf8'), 'utf-8', ';'],
    ];
    for (const [id, bytes, encoding, delimiter] of files) {
      const { c, list } = await consultation(id);
      const p = await preview(c.id, bytes, { type: 'text/plain' });
      expect(p.body, id).toMatchObject({ encoding, delimiter, problems: [], newRows: 1 });
      expect((await commit(c.id, bytes)).status, id).toBe(200);
      expect((await list()).items, id).toMatchObject([{ id, text, countries: ['Türkiye'], recommendingStates: ['Sénégal'], themes: ['Justice'] }]);
    }
    // Text that is not valid UTF-8 (a legacy code page) is refused, not garbled.
    const { c, list } = await consultation('latin1');
    const latin1 = Buffer.from(uhriCsv([row('L1')]), 'latin1');
    expect((await commit(c.id, latin1)).body.error.code).toBe('validation_failed');
    expect((await list()).items).toEqual([]);
  });

  it('reads XLSX workbooks (first sheet, first row as headers)', async () => {
    const { c, list } = await consultation();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Recommendations');
    sheet.addRow(uhriHeader.split(','));
    sheet.addRow(rowA);
    sheet.addRow(rowB.map((v, i) => (i === 0 ? 'A-2' : v)));
    sheet.addRow([2024, 'A/HRC/2', 'UPR', '', '', '', '', 16, 'A numeric id.', '', '', 'Noted']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const p = await preview(c.id, bytes, { type: xlsxType });
    expect(p.body).toMatchObject({ format: 'xlsx', problems: [], newRows: 3 });
    expect((await commit(c.id, bytes, { type: xlsxType })).body).toEqual({ rows: 3, created: 3, updated: 0 });
    const items = (await list()).items;
    expect(items.map((r) => r.id)).toEqual(['2024', 'A-1', 'A-2']);
    expect(items[0]).toMatchObject({ sdgs: ['16'], position: 'noted' });
    expect(items[1]).toMatchObject({ affectedPersons: ['Journalists', 'Human rights defenders'], position: 'supported' });
  });

  it('lists every bad row with its line, column and reason, and imports nothing', async () => {
    const { c, list } = await consultation();
    const bad = uhriCsv([
      rowA, // line 2, its affected persons span lines 2–3
      ['B-1', '', '', '', '', '', '', '', '', '', '', ''], // line 4: no text
      ['B-2', '', '', '', '', '', '', '99', 'Text', '', '', 'maybe'], // line 5: bad SDG and bad position
      ['A-1', '', '', '', '', '', '', '', 'Again', '', '', ''], // line 6: id already on line 2
      ['', '', '', '', '', '', '', '', 'No id', '', '', ''], // line 7: no id
    ]) + 'B-3,too,few\r\n'; // line 8: cells missing
    const p = await preview(c.id, bad);
    expect(p.body.problems).toEqual([
      { line: 4, column: 'Text', code: 'textRequired', params: {}, reason: 'The text is required' },
      { line: 5, column: 'Position', code: 'badPosition', params: { value: 'maybe' }, reason: 'The position "maybe" is neither supported nor noted' },
      { line: 5, column: 'SDGs', code: 'badSdg', params: { value: '99' }, reason: expect.stringContaining('"99"') },
      { line: 6, column: 'Annotation ID', code: 'idRepeated', params: { id: 'A-1', line: 2 }, reason: 'The id A-1 is also on line 2' },
      { line: 7, column: 'Annotation ID', code: 'idEmpty', params: {}, reason: 'The id is empty' },
      { line: 8, column: null, code: 'cellCount', params: { cells: 3, expected: 12 }, reason: 'The row has 3 cells; the header has 12' },
    ]);
    const refused = await commit(c.id, bad);
    expect(refused.status).toBe(400);
    expect(refused.body.error.details?.problems).toEqual(p.body.problems);
    expect((await list()).items).toEqual([]);
  });

  it('reads a file larger than one parsing slice whole: every row, non-Latin text intact, lines counted across slices', async () => {
    const { c, list } = await consultation();
    // About 1.2 MB: several 256 KiB slices, with multi-line cells and characters outside the BMP throughout.
    const rows = Array.from({ length: 3000 }, (_, i) => [`L-${String(i).padStart(4, '0')}`, `Line one 𝔸 ${i}\nline two ضمان ${'é'.repeat(300)}`, i === 2500 ? 'sometimes' : 'noted']);
    const file = uhriCsv(rows, 'Annotation ID,Text,Position');
    expect(file.length).toBeGreaterThan(3 * 256 * 1024);
    const p = await preview(c.id, file);
    // Each row takes two lines; row i starts on line 2 + 2i.
    expect(p.body.problems).toEqual([expect.objectContaining({ line: 2 + 2 * 2500, column: 'Position', code: 'badPosition' })]);
    expect(p.body.rows).toBe(3000);
    const fixed = uhriCsv(rows.map((r) => [r[0]!, r[1]!, 'noted']), 'Annotation ID,Text,Position');
    expect((await commit(c.id, fixed)).body).toEqual({ rows: 3000, created: 3000, updated: 0 });
    const stored = [];
    let cursor: string | null = null;
    do {
      const page: Page = (await owner.call<Page>('GET', `/consultations/${c.id}/recommendations?limit=200${cursor ? `&cursor=${cursor}` : ''}`)).body;
      stored.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(stored.map((r) => [r.id, r.text])).toEqual(rows.map((r) => [r[0], r[1]]));
    expect((await list('&position=none')).items).toEqual([]);
  });

  it('updates rows by id on re-import and never duplicates them', async () => {
    const { c, list } = await consultation();
    expect((await commit(c.id, uhriCsv([rowA, rowB]))).body).toEqual({ rows: 2, created: 2, updated: 0 });
    const changedB = rowB.map((v, i) => (i === 11 ? 'Noted' : v));
    const rowC = rowB.map((v, i) => (i === 0 ? 'A-3' : v));
    const again = uhriCsv([rowA, changedB, rowC]);
    expect((await preview(c.id, again)).body).toMatchObject({ rows: 3, newRows: 1, updatedRows: 1 });
    expect((await commit(c.id, again)).body).toEqual({ rows: 3, created: 1, updated: 1 });
    expect((await commit(c.id, again)).body).toEqual({ rows: 3, created: 0, updated: 0 });
    const items = (await list()).items;
    expect(items.map((r) => [r.id, r.position])).toEqual([['A-1', 'supported'], ['A-2', 'noted'], ['A-3', null]]);
    const audit = (await owner.call<{ items: AuditEntry[] }>('GET', `/consultations/${c.id}/audit?action=recommendations.imported`)).body.items;
    expect(audit.map((e) => e.details)).toEqual([
      { format: 'csv', rows: 3, created: 0, updated: 0 },
      { format: 'csv', rows: 3, created: 1, updated: 1 },
      { format: 'csv', rows: 2, created: 2, updated: 0 },
    ]);
  });

  it('keeps the fields a re-imported file has no column for: a narrower file never wipes what was set by hand', async () => {
    const { c, list } = await consultation();
    await commit(c.id, uhriCsv([rowA, rowB]));
    const edited = await owner.call<Recommendation>('PATCH', `/consultations/${c.id}/recommendations/A-2`, { themes: ['Set by hand'], position: 'noted' });
    expect(edited.status).toBe(200);
    // Only the id and a corrected text: every other field stays as stored.
    const narrow = 'Annotation ID,Recommendation\nA-2,A corrected text\nA-4,A new one\n';
    expect((await commit(c.id, narrow)).body).toEqual({ rows: 2, created: 1, updated: 1 });
    const items = (await list()).items;
    const a2 = items.find((r) => r.id === 'A-2')!;
    expect(a2).toMatchObject({ text: 'A corrected text', themes: ['Set by hand'], position: 'noted', body: expect.any(String) });
    expect(a2.body).not.toBe('');
    expect(items.find((r) => r.id === 'A-4')).toMatchObject({ text: 'A new one', themes: [], position: null });
    // The same narrow file again changes nothing.
    expect((await commit(c.id, narrow)).body).toEqual({ rows: 2, created: 0, updated: 0 });
  });

  it('refuses a file over the limit with 413 and stores nothing', async () => {
    const small = await startServer({ config: { recommendationsMaxImportBytes: 4096 } });
    const me = await registerUser(small.url, 'Facilitator');
    const c = (await me.call<Consultation>('POST', '/consultations', { title: 'NAP' })).body;
    const big = uhriCsv(Array.from({ length: 40 }, (_, i) => rowA.map((v, j) => (j === 0 ? `R-${i}` : v))));
    expect(big.length).toBeGreaterThan(4096);
    for (const commitIt of [false, true]) {
      const res = await uploadRecommendations<ErrorBody>(small.url, me, c.id, big, { commit: commitIt });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
    }
    expect((await me.call<Page>('GET', `/consultations/${c.id}/recommendations`)).body.items).toEqual([]);
    // Under the limit, the same server imports.
    expect((await uploadRecommendations(small.url, me, c.id, uhriCsv([rowA]), { commit: true })).status).toBe(200);
  });
  it('refuses a workbook that would expand beyond 16× the limit before decompressing it, and stores nothing', async () => {
    const small = await startServer({ config: { recommendationsMaxImportBytes: 64 * 1024 } });
    const me = await registerUser(small.url, 'Facilitator');
    const c = (await me.call<Consultation>('POST', '/consultations', { title: 'NAP' })).body;
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Recommendations');
    sheet.addRow(['Annotation ID', 'Text']);
    // 3 MiB of text that compresses to a few kilobytes.
    for (let i = 0; i < 100; i++) sheet.addRow([`B-${i}`, `${i} ${'a'.repeat(30_000)}`]);
    const bomb = new Uint8Array(await workbook.xlsx.writeBuffer());
    expect(bomb.length).toBeLessThan(64 * 1024);
    for (const commitIt of [false, true]) {
      const res = await uploadRecommendations<ErrorBody>(small.url, me, c.id, bomb, { commit: commitIt, type: xlsxType });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
    }
    expect((await me.call<Page>('GET', `/consultations/${c.id}/recommendations`)).body.items).toEqual([]);
    // A workbook that stays inside the bound goes through on the same server.
    const fine = new ExcelJS.Workbook();
    fine.addWorksheet('R').addRows([['Annotation ID', 'Text'], ['F-1', 'Fund the NHRI']]);
    const ok = await uploadRecommendations<ImportResult>(small.url, me, c.id, new Uint8Array(await fine.xlsx.writeBuffer()), { commit: true, type: xlsxType });
    expect(ok.body).toEqual({ rows: 1, created: 1, updated: 0 });
  });
});

describe('the register by hand', () => {
  it('adds and edits recommendations, keeps ids stable, and audits both', async () => {
    const { c, list } = await consultation();
    const base = `/consultations/${c.id}/recommendations`;
    const added = await owner.call<Recommendation>('POST', base, { text: 'Establish an NHRI in line with the Paris Principles', body: 'UPR', sdgs: ['16.a'] });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ id: expect.stringMatching(/^manual-/), source: 'manual', position: null, themes: [] });
    const named = await owner.call<Recommendation>('POST', base, { id: 'MY-1', text: 'Abolish the death penalty' });
    expect(named.body.id).toBe('MY-1');
    expect((await owner.call<ErrorBody>('POST', base, { id: 'MY-1', text: 'Again' })).status).toBe(409);
    expect((await owner.call<ErrorBody>('POST', base, { text: '' })).status).toBe(400);
    expect((await owner.call<ErrorBody>('POST', base, { text: 'x', sdgs: ['42'] })).status).toBe(400);

    const edited = await owner.call<Recommendation>('PATCH', `${base}/MY-1`, { position: 'supported', themes: ['Death penalty'] });
    expect(edited.body).toMatchObject({ id: 'MY-1', position: 'supported', themes: ['Death penalty'], text: 'Abolish the death penalty' });
    expect((await owner.call<Recommendation>('GET', `${base}/MY-1`)).body.position).toBe('supported');
    expect((await owner.call('PATCH', `${base}/NOPE`, { position: 'noted' })).status).toBe(404);
    expect((await list()).items).toHaveLength(2);

    // A re-import with the same id updates the hand-made row rather than adding another.
    expect((await commit(c.id, uhriCsv([['MY-1', '', '', '', '', '', '', '', 'Abolish the death penalty in law', '', '', 'supported']]))).body).toEqual({ rows: 1, created: 0, updated: 1 });
    expect((await list()).items.find((r) => r.id === 'MY-1')).toMatchObject({ text: 'Abolish the death penalty in law', source: 'manual' });

    const audit = (await owner.call<{ items: AuditEntry[] }>('GET', `/consultations/${c.id}/audit`)).body.items;
    expect(audit.filter((e) => e.action === 'recommendation.added').map((e) => e.subject?.id).sort()).toEqual([added.body.id, 'MY-1'].sort());
    expect(audit.find((e) => e.action === 'recommendation.edited')).toMatchObject({ subject: { type: 'recommendation', id: 'MY-1' }, details: { fields: 'themes, position' } });
  });
});

describe('browsing the register', () => {
  it('filters by body, theme, position and affected persons, and pages through by id', async () => {
    const { c, list } = await consultation();
    const rows = Array.from({ length: 9 }, (_, i) => {
      const body = i % 3 === 0 ? 'CRC' : 'UPR';
      const themes = i % 2 === 0 ? 'Education;Children' : 'Justice';
      const persons = i < 4 ? 'Children' : 'Persons with disabilities';
      const position = ['supported', 'noted', ''][i % 3]!;
      return [`R-${i}`, '', body, '', '', themes, persons, '', `Recommendation ${i}`, '', '', position];
    });
    expect((await commit(c.id, uhriCsv(rows))).status).toBe(200);
    const ids = async (q: string) => (await list(q)).items.map((r) => r.id);
    expect(await ids('&body=CRC')).toEqual(['R-0', 'R-3', 'R-6']);
    expect(await ids('&theme=Children')).toEqual(['R-0', 'R-2', 'R-4', 'R-6', 'R-8']);
    expect(await ids('&position=noted')).toEqual(['R-1', 'R-4', 'R-7']);
    expect(await ids('&position=none')).toEqual(['R-2', 'R-5', 'R-8']);
    expect(await ids(`&affectedPersons=${encodeURIComponent('Persons with disabilities')}&body=UPR`)).toEqual(['R-4', 'R-5', 'R-7', 'R-8']);
    expect((await owner.call('GET', `/consultations/${c.id}/recommendations?position=maybe`)).status).toBe(400);
    expect((await owner.call('GET', `/consultations/${c.id}/recommendation-facets`)).body).toEqual({
      bodies: ['CRC', 'UPR'],
      themes: ['Children', 'Education', 'Justice'],
      affectedPersons: ['Children', 'Persons with disabilities'],
    });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = (await owner.call<Page>('GET', `/consultations/${c.id}/recommendations?limit=4${cursor ? `&cursor=${cursor}` : ''}`)).body;
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(rows.map((r) => r[0]));
  });
});

describe('who may use the register', () => {
  it('lets every member browse, only pen-holders import, non-members see nothing, and nobody import after adoption', async () => {
    const { c, list } = await consultation();
    const observer = await addMember(s.url, owner, c.id, 'observer');
    const contributor = await addMember(s.url, owner, c.id, 'contributor');
    const drafter = await addMember(s.url, owner, c.id, 'drafter');
    const stranger = await registerUser(s.url);
    const file = uhriCsv([rowA]);
    for (const who of [observer, contributor]) {
      for (const commitIt of [false, true]) expect((await uploadRecommendations(s.url, who, c.id, file, { commit: commitIt })).status).toBe(403);
      expect((await who.call('POST', `/consultations/${c.id}/recommendations`, { text: 'Mine' })).status).toBe(403);
      expect((await who.call('GET', `/consultations/${c.id}/recommendations`)).status).toBe(200);
    }
    for (const commitIt of [false, true]) expect((await uploadRecommendations(s.url, stranger, c.id, file, { commit: commitIt })).status).toBe(404);
    expect((await stranger.call('GET', `/consultations/${c.id}/recommendations`)).status).toBe(404);
    expect((await stranger.call('GET', `/consultations/${c.id}/recommendation-facets`)).status).toBe(404);
    expect((await stranger.call('GET', `/consultations/${c.id}/recommendations/A-1`)).status).toBe(404);
    expect((await observer.call('GET', `/consultations/${c.id}/recommendation-facets`)).status).toBe(200);
    expect((await list()).items).toEqual([]);

    expect((await uploadRecommendations(s.url, drafter, c.id, file, { commit: true })).status).toBe(200);
    for (const phase of ['drafting', 'open_for_comment', 'closed', 'adopted']) expect((await owner.call('POST', `/consultations/${c.id}/phase`, { phase, confirm: true })).status).toBe(200);
    expect((await commit(c.id, uhriCsv([rowA, rowB]))).status).toBe(403);
    expect((await owner.call('PATCH', `/consultations/${c.id}/recommendations/A-1`, { position: 'noted' })).status).toBe(403);
    expect((await list()).items.map((r) => [r.id, r.position])).toEqual([['A-1', 'supported']]);
  });
});
