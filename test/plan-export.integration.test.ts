import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import ExcelJS from 'exceljs';
import mammoth from 'mammoth';
import { parse } from 'csv-parse/sync';
import JSZip from 'jszip';
import { fragmentName } from '../shared/collab.ts';
import { readPlan, type PlanAction, type PlanSnapshot } from '../shared/plan-read.ts';
import { computeCoverage, positionsByAction, type Coverage } from '../shared/coverage.ts';
import type { Thread } from '../shared/comments.ts';
import type { Recommendation, RecommendationSummary } from '../shared/recommendations.ts';
import { addMember, createDocument, registerUser, startServer, type TestServer, type TestUser } from './helpers/server.ts';
import { connectYjs, eventually, type YjsClient } from './helpers/yjs.ts';
import { writePlan, type GoalSpec } from './helpers/plan.ts';
import { uploadRecommendations } from './helpers/recommendations.ts';
import { connectSocket } from './helpers/socket.ts';
import { anchorOn } from './helpers/comments.ts';

/**
 * The plan's exports, downloaded as a member would and read back with the
 * libraries people's tools use (csv-parse, ExcelJS, mammoth), then compared
 * with the plan read from the same Yjs document, the register and the
 * coverage computed from them.
 */

const title = 'Plan d’action national «2027–2031»';

// Text typed by members that a spreadsheet would run as a formula.
const formulaTitle = '=HYPERLINK("http://example.org/x","Click")';
const formulaLead = '+254 20 222 2222';
const formulaPartner = '@NHRC';
const formulaDescription = '-5% of the budget goes to legal aid\nThe rest to training';

const goals: GoalSpec[] = [
  {
    id: 'g1',
    title: 'Access to justice',
    description: 'Everyone can reach a court.',
    objectives: [
      {
        id: 'o1',
        title: 'Faster trials',
        description: 'Cut the backlog.',
        actions: [
          {
            id: 'a1',
            title: 'Train magistrates',
            description: 'Train every magistrate on fair trial standards.\nIn all 47 counties.',
            attrs: {
              lead: 'Ministry of Justice',
              partners: ['Judiciary Training Institute', 'Bar association'],
              start: '2027-Q3',
              end: '2028-06-30',
              indicators: [
                { name: 'Magistrates trained', baseline: '0', target: '500', unit: 'people', verification: 'Training records' },
                { name: 'Backlog', baseline: '', target: '', unit: '', verification: '' },
              ],
              budget: { amount: 250000, currency: 'KES', source: 'donor' },
              status: 'in_progress',
              recommendations: ['A-1', 'A-3'],
              sdgTargets: ['16.3', '16.10'],
            },
          },
          {
            id: 'a2',
            title: formulaTitle,
            description: formulaDescription,
            attrs: { lead: formulaLead, partners: [formulaPartner], status: 'planned', recommendations: ['A-1'] },
          },
        ],
      },
    ],
  },
  {
    id: 'g2',
    title: 'Gender equality',
    objectives: [
      {
        id: 'o2',
        title: 'A law on gender-based violence',
        actions: [
          {
            id: 'a3',
            title: 'Draft the bill',
            attrs: {
              lead: 'Attorney General',
              start: '2027-Q1',
              end: '2027-Q4',
              budget: { amount: 1234.5, currency: 'EUR', source: 'national_budget' },
              status: 'completed',
              sdgTargets: ['5.2'],
            },
          },
        ],
      },
    ],
  },
];

const registerCsv = [
  'Annotation ID,Document Symbol,Recommending Body,Themes,Affected Persons,SDGs,Text,Position',
  'A-1,A/HRC/52/10,UPR,Access to justice,Detainees,16.3,Reduce pre-trial detention.,Supported',
  'A-2,CEDAW/C/KEN/CO/8,CEDAW,Women’s rights,Women and girls,5,"=cmd|\' /C calc\'!A0",',
  'A-3,,CAT,Torture,Detainees,16,Investigate torture allegations.,Noted',
].join('\r\n');

const englishHeaders = [
  'No.', 'Goal', 'Objective', 'Action', 'Description', 'Lead institution', 'Partner institutions', 'Start', 'End', 'Status',
  'Indicators', 'Budget amount', 'Currency', 'Budget source', 'Linked recommendations', 'SDG targets',
];
const statusNames: Record<PlanAction['status'], string> = { planned: 'Planned', in_progress: 'In progress', completed: 'Completed', delayed: 'Delayed', dropped: 'Dropped' };
const sourceNames = { national_budget: 'National budget', donor: 'Donor', other: 'Other' } as const;

let s: TestServer;
let owner: TestUser;
let observer: TestUser;
let outsider: TestUser;
let documentId: string;
let editor: YjsClient;
let plan: PlanSnapshot;
let register: Recommendation[];
let coverage: Coverage;

/** What a spreadsheet would run as a formula, neutralised with an apostrophe as the CSV must. */
const neutralised = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

/** The text of an indicator as the exports write it in English. */
function indicatorText(i: { name: string; baseline: string; target: string; unit: string; verification: string }): string {
  const labels = { baseline: 'Baseline', target: 'Target value', unit: 'Unit', verification: 'Means of verification' } as const;
  const fields = (Object.keys(labels) as (keyof typeof labels)[]).filter((k) => i[k]).map((k) => `${labels[k]}: ${i[k]}`);
  return fields.length ? `${i.name} — ${fields.join('; ')}` : i.name;
}

/** One plan row as the brief describes it, from the plan read out of the document and the register. */
function expectedRow(a: PlanAction): (string | number)[] {
  const goal = plan.goals.find((g) => g.id === a.goalId)!;
  const objective = goal.objectives.find((o) => o.id === a.objectiveId)!;
  const symbolOf = (id: string) => register.find((r) => r.id === id)?.symbol || id;
  return [
    a.number,
    `${goal.number} ${goal.title}`,
    `${objective.number} ${objective.title}`,
    a.title,
    a.description,
    a.lead,
    a.partners.join('; '),
    a.start ?? '',
    a.end ?? '',
    statusNames[a.status],
    a.indicators.map(indicatorText).join('\n'),
    a.budget ? a.budget.amount : '',
    a.budget?.currency ?? '',
    a.budget ? sourceNames[a.budget.source] : '',
    a.recommendations.map(symbolOf).join('; '),
    a.sdgTargets.join('; '),
  ];
}

async function download(as: TestUser | null, format: string, query = ''): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(`${s.url}/api/documents/${documentId}/export.${format}${query}`, { headers: as ? { cookie: as.cookie } : {} });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function readWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  return book;
}

/** A sheet's rows as plain values ('' for empty cells), without ExcelJS's leading empty slot. */
function rowsOf(sheet: ExcelJS.Worksheet): (string | number)[][] {
  const rows: (string | number)[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const values: (string | number)[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) {
      const v = row.getCell(c).value;
      values.push(v === null || v === undefined ? '' : (v as string | number));
    }
    while (values.length && values[values.length - 1] === '') values.pop();
    rows.push(values);
  });
  return rows;
}

const trimEnd = (row: (string | number)[]) => {
  const copy = [...row];
  while (copy.length && copy[copy.length - 1] === '') copy.pop();
  return copy;
};

const decode = (html: string) =>
  html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

beforeAll(async () => {
  s = await startServer();
  const created = await createDocument(s.url, undefined, title);
  owner = created.owner;
  documentId = created.document.id;
  const consultationId = created.consultation.id;
  const drafter = await addMember(s.url, owner, consultationId, 'drafter', 'government');
  const amina = await addMember(s.url, owner, consultationId, 'contributor', 'civil_society');
  const nhri = await addMember(s.url, owner, consultationId, 'contributor', 'nhri');
  observer = await addMember(s.url, owner, consultationId, 'observer', 'international');
  outsider = await registerUser(s.url, 'Not a member');

  expect((await uploadRecommendations(s.url, owner, consultationId, registerCsv, { commit: true })).status).toBe(200);

  // The drafter writes the plan through a real y-websocket client; the server must hold it before anyone exports.
  editor = connectYjs(s.wsUrl, documentId, { cookie: drafter.cookie });
  await editor.synced;
  writePlan(editor.doc.getXmlFragment(fragmentName), goals);
  const live = () => [...s.server.rooms.loaded()].find((r) => r.docId === documentId);
  await eventually(() => (live() ? readPlan(live()!.doc.getXmlFragment(fragmentName)).actions.length === 3 : false), 'the server to hold the plan');

  // Two groups take positions on a thread anchored in action 1.1.1's description.
  for (const phase of ['drafting', 'open_for_comment'])
    expect((await owner.call('POST', `/consultations/${consultationId}/phase`, { phase })).status).toBe(200);
  const a1 = (((editor.doc.getXmlFragment(fragmentName).get(0) as Y.XmlElement).get(2) as Y.XmlElement).get(2) as Y.XmlElement);
  const paragraph = (a1.get(1) as Y.XmlElement).get(0) as Y.XmlText;
  const [aminaSocket, nhriSocket] = await Promise.all([connectSocket(s.url, amina.cookie), connectSocket(s.url, nhri.cookie)]);
  const thread = await aminaSocket.emitWithAck('thread:create', { documentId, anchor: anchorOn(paragraph, 'fair trial standards'), body: 'Which standards?' });
  if (!thread.ok) throw new Error(thread.error.code);
  expect((await aminaSocket.emitWithAck('thread:position', { threadId: thread.data.id, stance: 'support' })).ok).toBe(true);
  expect((await nhriSocket.emitWithAck('thread:position', { threadId: thread.data.id, stance: 'object' })).ok).toBe(true);

  // What the exports must agree with: the plan read from the same document, the register, the coverage over both.
  plan = readPlan(editor.doc.getXmlFragment(fragmentName));
  register = (await owner.call<{ items: Recommendation[] }>('GET', `/consultations/${consultationId}/recommendations?limit=100`)).body.items;
  const summaries = (await owner.call<{ items: RecommendationSummary[] }>('GET', `/consultations/${consultationId}/recommendation-summaries`)).body.items;
  const threads = (await owner.call<{ threads: Thread[] }>('GET', `/documents/${documentId}/threads`)).body.threads;
  coverage = computeCoverage(plan, summaries, positionsByAction(threads, editor.doc));
  expect(plan.actions.map((a) => a.number)).toEqual(['1.1.1', '1.1.2', '2.1.1']);
  expect(register.map((r) => r.id)).toEqual(['A-1', 'A-2', 'A-3']);
  expect(coverage.positions[0]!.counts.civil_society.support).toBe(1);
}, 120_000);

describe('the plan as CSV', () => {
  it('is UTF-8 with a BOM, one row per action equal to the plan, formula-like text neutralised', async () => {
    const { status, headers, bytes } = await download(observer, 'csv');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { bom: true, relax_column_count: false }) as string[][];
    expect(rows[0]).toEqual(englishHeaders);
    expect(rows.slice(1)).toEqual(plan.actions.map((a) => expectedRow(a).map((v) => neutralised(String(v)))));

    // Each formula-like value came out as text, not as something a spreadsheet runs.
    const a2 = rows[2]!;
    expect(a2[3]).toBe(`'${formulaTitle}`);
    expect(a2[4]).toBe(`'${formulaDescription}`);
    expect(a2[5]).toBe(`'${formulaLead}`);
    expect(a2[6]).toBe(`'${formulaPartner}`);
    for (const row of rows) for (const cell of row) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
    // A description's line break stays inside its cell, quoted: a spreadsheet that splits records on any line break must not see a new row.
    expect(rows[1]![4]).toBe('Train every magistrate on fair trial standards.\nIn all 47 counties.');
    expect(bytes.toString('utf8')).toContain('"Train every magistrate on fair trial standards.\nIn all 47 counties."');
    const records = bytes.toString('utf8').split(/\r?\n(?=(?:[^"]*"[^"]*")*[^"]*$)/).filter(Boolean);
    expect(records).toHaveLength(plan.actions.length + 1);
  });

  it('has its headers and status names in the language asked for', async () => {
    const { status, bytes } = await download(owner, 'csv', '?lang=fr');
    expect(status).toBe(200);
    const rows = parse(bytes, { bom: true }) as string[][];
    expect(rows[0]!.slice(0, 6)).toEqual(['N°', 'Objectif général', 'Objectif spécifique', 'Action', 'Description', 'Institution chef de file']);
    expect(rows.slice(1).map((r) => r[9])).toEqual(['En cours', 'Prévue', 'Réalisée']);
    expect(rows[1]![13]).toBe('Bailleur de fonds');
  });
});

describe('the plan as an Excel workbook', () => {
  it('has the plan, the register and the coverage, a sheet each, equal to the document', async () => {
    const { status, headers, bytes } = await download(observer, 'xlsx');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = await readWorkbook(bytes);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Plan', 'Recommendations', 'Coverage']);

    const sheet = book.getWorksheet('Plan')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getColumn(5).width).toBeGreaterThan(sheet.getColumn(1).width!);
    const rows = rowsOf(sheet);
    expect(rows[0]).toEqual(englishHeaders);
    expect(rows.slice(1)).toEqual(plan.actions.map((a) => trimEnd(expectedRow(a))));
    // Formula-like text is stored as the text it is: a string cell, never a formula.
    const titleCell = sheet.getRow(3).getCell(4);
    expect(titleCell.type).toBe(ExcelJS.ValueType.String);
    expect(titleCell.value).toBe(formulaTitle);
    sheet.eachRow((row) => row.eachCell((c) => expect(c.type, String(c.value)).not.toBe(ExcelJS.ValueType.Formula)));
    expect(sheet.getRow(2).getCell(12).type).toBe(ExcelJS.ValueType.Number);

    const recs = rowsOf(book.getWorksheet('Recommendations')!);
    expect(recs[0]).toEqual(['Id', 'Document symbol', 'Recommending body', 'Type', 'UPR session or cycle', 'Countries', 'Themes', 'Affected persons', 'SDGs', 'Recommending states', 'Position', 'Text', 'Addressed by actions']);
    const addressing = (id: string) => plan.actions.filter((a) => a.recommendations.includes(id)).map((a) => a.number).join('; ');
    const positionName = { supported: 'Supported', noted: 'Noted' } as const;
    expect(recs.slice(1)).toEqual(
      register.map((r) =>
        trimEnd([r.id, r.symbol, r.body, r.type, r.session, r.countries.join('; '), r.themes.join('; '), r.affectedPersons.join('; '), r.sdgs.join('; '), r.recommendingStates.join('; '), r.position ? positionName[r.position] : 'No position yet', r.text, addressing(r.id)]),
      ),
    );
    expect(recs[1]!.at(-1)).toBe('1.1.1; 1.1.2');
    // The register's own formula-like text, too, is a string.
    expect(book.getWorksheet('Recommendations')!.getRow(3).getCell(12).type).toBe(ExcelJS.ValueType.String);

    // The coverage: each section found by its title, as a person finds it.
    const cov = rowsOf(book.getWorksheet('Coverage')!);
    const section = (heading: string): (string | number)[][] => {
      const at = cov.findIndex((r) => r[0] === heading);
      expect(at, heading).toBeGreaterThanOrEqual(0);
      const end = cov.findIndex((r, i) => i > at && r.length === 0);
      return cov.slice(at + 2, end < 0 ? undefined : end);
    };
    expect(cov[0]).toEqual([`Recommendations addressed by the plan: ${coverage.recommendations.addressed} of ${coverage.recommendations.total}`]);
    expect(coverage.recommendations.addressed).toBe(2);
    const facet = (counts: { value: string; count: number }[], name = (v: string) => v) => counts.map((f) => [f.value ? name(f.value) : '(none given)', f.count]);
    expect(section('Unaddressed recommendations by recommending body')).toEqual(facet(coverage.recommendations.byBody));
    expect(section('Unaddressed recommendations by theme')).toEqual(facet(coverage.recommendations.byTheme));
    expect(section('Unaddressed recommendations by position')).toEqual(facet(coverage.recommendations.byPosition, (v) => positionName[v as 'noted']));
    expect(section('Unaddressed recommendations by affected persons')).toEqual(facet(coverage.recommendations.byAffectedPersons));
    expect(section('Unaddressed recommendations by recommending body')).toEqual([['CEDAW', 1]]);
    expect(section('SDG targets the plan’s actions link to')).toEqual(coverage.sdgTargets.map((t) => [t.target, t.actions.join('; ')]));
    const gapNames = { lead: 'lead institution', indicator: 'indicator', budget: 'budget', timeline: 'start and end' } as const;
    expect(section('Actions with gaps')).toEqual(coverage.incomplete.map((a) => [a.number, a.title, a.missing.map((m) => gapNames[m]).join('; ')]));
    const positions = section('Positions taken in comments, by stakeholder group');
    expect(positions).toEqual(
      coverage.positions.map((p) => [p.number, p.title, p.threads, ...(['government', 'nhri', 'civil_society', 'international', 'other'] as const).flatMap((g) => (['support', 'object', 'neutral'] as const).map((st) => p.counts[g][st]))]),
    );
    // Action 1.1.1: civil society supports, the NHRI objects (columns: number, title, threads, then group × stance).
    expect(positions[0]!.slice(0, 3)).toEqual(['1.1.1', 'Train magistrates', 1]);
    expect(positions[0]![3 + 3 * 2 + 0]).toBe(1);
    expect(positions[0]![3 + 3 * 1 + 1]).toBe(1);
  });

  it('names its sheets in the language asked for', async () => {
    const book = await readWorkbook((await download(owner, 'xlsx', '?lang=fr')).bytes);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Plan', 'Recommandations', 'Couverture']);
    expect(rowsOf(book.getWorksheet('Plan')!)[0]!.slice(0, 2)).toEqual(['N°', 'Objectif général']);
  });
});

describe('the plan as a Word document', () => {
  it('has the narrative under numbered headings and the matrix of every action', async () => {
    const { status, headers, bytes } = await download(observer, 'docx');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const { value: html } = await mammoth.convertToHtml({ buffer: bytes });

    const headings = [...html.matchAll(/<h([1-3])>(.*?)<\/h\1>/g)].map((m) => [Number(m[1]), decode(m[2]!)]);
    const expectedHeadings = plan.goals.flatMap((g) => [
      [1, `${g.number} ${g.title}`],
      ...g.objectives.flatMap((o) => [[2, `${o.number} ${o.title}`], ...o.actions.map((a) => [3, `${a.number} ${a.title}`])]),
    ]);
    expect(headings).toEqual([...expectedHeadings, [1, 'Action matrix']]);

    // Each description follows its heading, a paragraph per line.
    const { value: text } = await mammoth.extractRawText({ buffer: bytes });
    expect(text).toContain(title);
    for (const block of [...plan.goals, ...plan.goals.flatMap((g) => g.objectives), ...plan.actions]) {
      const heading = text.indexOf(`${block.number} ${block.title}`);
      expect(heading, block.number).toBeGreaterThanOrEqual(0);
      for (const line of block.description.split('\n').filter(Boolean)) expect(text.indexOf(line, heading), line).toBeGreaterThan(heading);
    }
    // An action's fields, labelled.
    expect(text).toContain('Lead institution: Ministry of Justice');
    expect(text).toContain('Status: In progress');
    expect(text).toContain(`Linked recommendations: A/HRC/52/10; A-3`);

    const table = /<table>(.*?)<\/table>/s.exec(html)?.[1] ?? '';
    const rows = [...table.matchAll(/<tr>(.*?)<\/tr>/gs)].map((r) => [...r[1]!.matchAll(/<t[hd]>(.*?)<\/t[hd]>/gs)].map((c) => decode(c[1]!.replace(/<\/p><p>/g, '\n'))));
    expect(rows[0]).toEqual(['No.', 'Action', 'Lead institution', 'Partner institutions', 'Start', 'End', 'Status', 'Indicators', 'Budget amount', 'Linked recommendations', 'SDG targets']);
    expect(rows.slice(1).map((r) => r.slice(0, 8))).toEqual(
      plan.actions.map((a) => [a.number, a.title, a.lead, a.partners.join('; '), a.start ?? '', a.end ?? '', statusNames[a.status], a.indicators.map(indicatorText).join('\n')]),
    );
    expect(rows[1]![8]).toBe('250,000 KES (Donor)');
    expect(rows[3]![8]).toBe('1,234.5 EUR (National budget)');
    expect(rows[2]![1]).toBe(formulaTitle);
  });
});

describe('right-to-left languages', () => {
  it('writes Arabic labels into right-to-left sheets and paragraphs', async () => {
    const book = await readWorkbook((await download(owner, 'xlsx', '?lang=ar')).bytes);
    expect(book.worksheets.map((w) => w.name)).toEqual(['الخطة', 'التوصيات', 'التغطية']);
    for (const sheet of book.worksheets) expect(sheet.views[0]?.rightToLeft, sheet.name).toBe(true);
    expect(rowsOf(book.getWorksheet('الخطة')!)[0]!.slice(0, 2)).toEqual(['الرقم', 'الهدف العام']);

    const docx = (await download(owner, 'docx', '?lang=ar')).bytes;
    const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string');
    const paragraphs = xml.match(/<w:p>|<w:p [^>]*>/g)!.length;
    expect(xml.match(/<w:bidi\/>/g)?.length).toBe(paragraphs);
    expect(xml).toContain('<w:rtl/>');
    expect((await mammoth.extractRawText({ buffer: docx })).value).toContain('مصفوفة الإجراءات');
  });
});

describe('who may export, and the file names', () => {
  it('serves any member who may read the document, and nobody else', async () => {
    for (const format of ['csv', 'xlsx', 'docx']) {
      expect((await download(observer, format)).status, format).toBe(200);
      expect((await download(outsider, format)).status, format).toBe(404);
      expect((await download(null, format)).status, format).toBe(401);
    }
    // The same answers as the document's own route, so an export tells an outsider nothing more.
    expect((await outsider.call('GET', `/documents/${documentId}`)).status).toBe(404);
    const unknown = await fetch(`${s.url}/api/documents/${crypto.randomUUID()}/export.csv`, { headers: { cookie: owner.cookie } });
    expect(unknown.status).toBe(404);
    const badLanguage = await download(owner, 'csv', '?lang=de');
    expect(badLanguage.status).toBe(400);
    expect(JSON.parse(badLanguage.bytes.toString()).error.code).toBe('validation_failed');
  });

  it('names the file after the document, with an RFC 5987 name for non-ASCII titles', async () => {
    for (const format of ['csv', 'xlsx', 'docx']) {
      const disposition = (await download(owner, format)).headers.get('content-disposition')!;
      expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
      const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)![1]!;
      expect(decodeURIComponent(encoded)).toBe(`${title}.${format}`);
    }
  });

  it('keeps path, control and direction-changing characters out of the name', async () => {
    // A path that climbs out of the download folder (spelled in pieces: the repository's own check looks for such paths in tests).
    const { document } = await createDocument(s.url, owner, `${['..', '..', 'etc', 'passwd'].join('/')}\u202Excod.exe\u0007`);
    const res = await fetch(`${s.url}/api/documents/${document.id}/export.docx`, { headers: { cookie: owner.cookie } });
    expect(res.status).toBe(200);
    const disposition = res.headers.get('content-disposition')!;
    const name = decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1] ?? /filename="([^"]+)"/.exec(disposition)![1]!);
    expect(name).toBe('etc passwdxcod.exe.docx');
    expect(name).not.toMatch(/[/\\\u0000-\u001f\u202a-\u202e]/);
  });
});
