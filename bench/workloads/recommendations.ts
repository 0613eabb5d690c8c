/**
 * h: recommendations import. Generates a UHRI-shaped CSV of N rows (default
 * 50,000: the size the issue asks to import in ≤ 10 s), then imports it
 * through the API as a pen-holder would: the preview, then the import. The
 * row reports the import's time (p50 = p95 = p99: one measurement), the
 * preview's and a re-import's in the notes. "identical" checks that a
 * preview of the same file afterwards finds every row stored as sent.
 */
import { now } from '../lib/clock.ts';
import { startServer } from '../lib/server-proc.ts';
import { ConveneApi } from '../lib/convene-api.ts';
import { withUnit, type Row } from '../lib/report.ts';

export interface RecommendationsOptions {
  rows: number;
  profile: boolean;
  log: (line: string) => void;
}

const bodies = ['UPR', 'CEDAW', 'CRC', 'CAT', 'CERD', 'CCPR', 'CESCR', 'CRPD', 'Special Rapporteur on education'];
const themes = ['Freedom of expression', 'Human rights defenders', 'Women’s rights', 'Justice', 'Education', 'Health', 'Torture', 'Children', 'Migrants'];
const persons = ['Women and girls', 'Children', 'Journalists', 'Persons with disabilities', 'Migrants', 'Indigenous peoples'];
const states = ['Korea, Republic of', 'Côte d’Ivoire', 'Brazil', 'Norway', 'Senegal', 'Mexico', 'Japan', 'France'];

/** A deterministic file: row i always has the same content, about 400 bytes like a real UHRI export row. */
export function recommendationsCsv(n: number): string {
  const lines = ['Annotation ID,Document Symbol,Recommending Body,Type,Countries,Themes,Affected Persons,SDGs,Text,UPR Session/Cycle,Recommending States,Position'];
  for (let i = 0; i < n; i++) {
    const pick = <T>(list: T[], k = 1) => Array.from({ length: k }, (_, j) => list[(i * (j + 3) + j) % list.length]!);
    lines.push([
      `UHRI-${String(i).padStart(7, '0')}`,
      `A/HRC/${40 + (i % 15)}/${i % 30}`,
      pick(bodies)[0],
      i % 2 ? 'Recommendation' : 'Concluding observation',
      'Kenya',
      `"${pick(themes, 2).join(';')}"`,
      `"${pick(persons, 2).join('\n')}"`,
      `${1 + (i % 17)}.${1 + (i % 9)}`,
      `"Recommendation ${i}: take all necessary measures to ensure that ${pick(persons)[0]!.toLowerCase()} enjoy their rights in law and in practice, including through adequate resources and independent monitoring, in line with the ""Paris Principles""."`,
      `${1 + (i % 4)}th cycle`,
      `"${pick(states, 2).join(';')}"`,
      ['Supported', 'Noted', ''][i % 3],
    ].join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

export async function recommendationsImport(o: RecommendationsOptions): Promise<Row> {
  const csv = Buffer.from(recommendationsCsv(o.rows), 'utf8');
  o.log(`h: importing ${o.rows} recommendations (${(csv.length / 2 ** 20).toFixed(1)} MiB of CSV)`);
  const server = await startServer('convene', { profile: o.profile, name: 'server-convene-recommendations', config: { recommendationsMaxImportBytes: Math.max(20 * 2 ** 20, csv.length + 1) } });
  try {
    const api = new ConveneApi(server.httpUrl);
    await api.signIn();
    const consultation = await api.consultation();
    const send = async <T>(step: 'import/preview' | 'import') => {
      const from = now();
      const res = await fetch(`${server.httpUrl}/api/consultations/${consultation}/recommendations/${step}`, { method: 'POST', headers: { cookie: api.cookie, 'content-type': 'text/csv' }, body: csv });
      const body = (await res.json()) as T;
      if (res.status !== 200) throw new Error(`${step}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      return { ms: now() - from, body };
    };
    await server.measureStart();
    const preview = await send<{ newRows: number; problems: unknown[] }>('import/preview');
    const imported = await send<{ created: number }>('import');
    const metrics = await server.measureStop();
    const check = await send<{ newRows: number; updatedRows: number; problems: unknown[] }>('import/preview');
    const again = await send<{ created: number; updated: number }>('import');
    const whole = imported.body.created === o.rows && check.body.newRows === 0 && check.body.updatedRows === 0 && check.body.problems.length === 0 && again.body.created === 0;
    o.log(`h: preview ${withUnit(preview.ms)}, import ${withUnit(imported.ms)}, re-import ${withUnit(again.ms)}`);
    return {
      workload: `h. recommendations import ${o.rows} rows`,
      server: 'convene',
      p50: imported.ms,
      p95: imported.ms,
      p99: imported.ms,
      throughput: `${Math.round(o.rows / (imported.ms / 1000))} rows/s`,
      serverMetrics: metrics,
      lost: o.rows - imported.body.created,
      identical: whole ? 'yes' : 'no',
      notes: `import incl. upload; preview ${withUnit(preview.ms)}, unchanged re-import ${withUnit(again.ms)}; ${(csv.length / 2 ** 20).toFixed(1)} MiB`,
      detail: { rows: o.rows, bytes: csv.length, previewMs: preview.ms, importMs: imported.ms, reimportMs: again.ms },
    };
  } finally {
    await server.stop();
  }
}
