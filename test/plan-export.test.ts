import { describe, expect, it } from 'vitest';
import { dispositionName } from '../client/src/lib/download.ts';
import { fileName } from '../server/plan/cells.ts';
import { ExportThread } from '../server/plan/export-thread.ts';
import { computeCoverage } from '../shared/coverage.ts';
import { onCleanup } from './helpers/cleanup.ts';

/** A Content-Disposition header as RFC 6266 and 5987 spell it: an ASCII fallback, then the UTF-8 name. */
const contentDisposition = (name: string) =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]|"/g, '?')}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;

describe('export file names', () => {
  it('round-trip through Content-Disposition to the name the page saves under', () => {
    for (const title of ['Draft action plan', 'Plan d’action «2027»', 'خطة العمل الوطنية', '国家人权行动计划', '100% "quoted"; name']) {
      const name = fileName(title, 'xlsx');
      expect(dispositionName(contentDisposition(name), 'plan.xlsx')).toBe(name);
    }
    expect(dispositionName(null, 'plan.csv')).toBe('plan.csv');
    expect(dispositionName('attachment; filename*=UTF-8\'\'%E0%A4%A', 'x')).toBe('x');
    expect(dispositionName('attachment; filename="plain.docx"', 'x')).toBe('plain.docx');
  });

  it('keeps paths, control and direction-changing characters and leading dots out, and stays short', () => {
    expect(fileName('../a/b\\c:d*e?f"g<h>i|j', 'csv')).toBe('a b c d e f g h i j.csv');
    expect(fileName('invoice\u202Excod.exe', 'docx')).toBe('invoicexcod.exe.docx');
    expect(fileName('  \u0000\u0007 ', 'csv')).toBe('plan.csv');
    expect([...fileName('é'.repeat(300), 'csv')]).toHaveLength(104);
  });
});

describe('the export thread', () => {
  it('lays out files off the event loop and refuses more than it may queue, with a 503 the client can retry', async () => {
    const thread = new ExportThread(1);
    onCleanup(() => thread.close());
    const plan = { goals: [], actions: [] };
    const data = { title: 'Empty', locale: 'en' as const, plan, register: [], coverage: computeCoverage(plan, []) };
    const first = thread.render('docx', data);
    await expect(thread.render('xlsx', data)).rejects.toMatchObject({ code: 'unavailable', status: 503, details: { retryAfterSeconds: 5 } });
    const file = await first;
    expect(file.subarray(0, 2).toString('latin1')).toBe('PK');
    // Once the first is done there is room again.
    expect((await thread.render('xlsx', data)).subarray(0, 2).toString('latin1')).toBe('PK');
  });
});
