/**
 * k: the difference engine on the automerge-paper document. The whole trace
 * is replayed into one paragraph of a gc:false document (as the server keeps
 * a document whose history is kept), credited to three members of different
 * groups taking turns every 2,000 edits; a snapshot is taken at half the
 * edits and at the end. The row reports `diffDocument` from the half to the
 * end (the first run, cold, and the median of the next ones), the same call
 * the diff route makes once it has the document and the two snapshots; and
 * `threadFates` for 200 threads over the same ends in the notes. Target:
 * ≤ 1 s.
 */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { now } from '../lib/clock.ts';
import { loadTrace, edits, type Patch } from '../lib/trace.ts';
import { withUnit, type Row } from '../lib/report.ts';
import { fragmentName } from '../../shared/collab.ts';
import { encodeRange } from '../../shared/anchors.ts';
import { diffDocument } from '../../server/history/diff.engine.ts';
import { threadFates, type FateThread } from '../../server/history/diff.fates.ts';
import type { Attribution } from '../../server/history/types.ts';
import { RecordedAttribution } from '../../test/helpers/attribution-recorder.ts';

export interface DiffOptions {
  repeats: number;
  log: (line: string) => void;
}

function applyEdit(text: Y.XmlText, [pos, del, ins]: Patch): void {
  if (del > 0) text.delete(pos, del);
  if (ins.length > 0) text.insert(pos, ins);
}

export async function diffWorkload(o: DiffOptions): Promise<Row> {
  const trace = loadTrace();
  const all = [...edits(trace)];
  const doc = new Y.Doc({ gc: false });
  doc.clientID = 1;
  const body = doc.getXmlFragment(fragmentName);
  const paragraph = new Y.XmlElement('paragraph');
  const text = new Y.XmlText(trace.startContent);
  body.insert(0, [paragraph]);
  paragraph.insert(0, [text]);
  const members: Attribution[] = (['government', 'civil_society', 'nhri'] as const).map((group) => ({ membershipId: randomUUID(), group, at: new Date().toISOString() }));
  let turn = 0;
  const index = new RecordedAttribution();
  index.watch(doc, () => members[Math.floor(turn / 2000) % members.length]!);
  const half = Math.floor(all.length / 2);
  let from: Y.Snapshot | null = null;
  let halfText = '';
  const replayStart = now();
  for (const edit of all) {
    if (turn === half) {
      from = Y.snapshot(doc);
      halfText = text.toString();
    }
    doc.transact(() => applyEdit(text, edit));
    turn++;
  }
  const to = Y.snapshot(doc);
  if (text.toString() !== trace.endContent) throw new Error('replaying the trace did not give endContent');
  o.log(`k: replayed ${all.length} edits into a gc:false document in ${withUnit(now() - replayStart)}`);

  const author = (a: Attribution) => ({ memberId: a.membershipId, alias: members.indexOf(a) + 1, group: a.group, role: 'contributor' as const });
  const times: number[] = [];
  let result: ReturnType<typeof diffDocument> | null = null;
  for (let i = 0; i < o.repeats + 1; i++) {
    const t0 = now();
    result = diffDocument(doc, from!, to, index, author);
    times.push(now() - t0);
  }
  const cold = times[0]!;
  const warm = times.slice(1).sort((a, b) => a - b);
  const median = warm[Math.floor(warm.length / 2)]!;
  const segments = result!.blocks.reduce((n, b) => n + b.segments.length, 0);
  // The diff must take the half-way text to the end exactly.
  const side = (skip: 'added' | 'removed') => result!.blocks.map((b) => b.segments.filter((x) => x.change?.kind !== skip).map((x) => x.text).join('')).join('\n');
  const identical = side('added') === halfText && side('removed') === trace.endContent;
  const counts = Object.entries(result!.counts).filter(([, c]) => c.added || c.removed).map(([g, c]) => `${g} +${c.added}/−${c.removed}`).join(', ');

  // 200 threads spread over the final text, each on 20 characters.
  const threads: FateThread[] = Array.from({ length: 200 }, (_, i) => {
    const at = Math.floor((i * (text.length - 20)) / 200);
    return { _id: randomUUID(), anchor: { ...encodeRange(text, at, at + 20), quote: '' }, status: 'open', proposal: null, createdAt: '2020-01-01T00:00:00.000Z', updatedAt: '2020-01-01T00:00:00.000Z' };
  });
  const f0 = now();
  const fates = threadFates(threads, doc, from!, to, index, { from: null, to: null });
  const fatesMs = now() - f0;
  o.log(`k: diff half → end cold ${withUnit(cold)}, median of ${o.repeats} ${withUnit(median)}; ${segments} segments; ${counts}; fates of 200 threads ${withUnit(fatesMs)}`);
  return {
    workload: 'k. diff paper half → end',
    server: 'convene',
    p50: median,
    p95: Math.max(...times),
    p99: Math.max(...times),
    throughput: `${segments} segments`,
    identical: identical ? 'yes' : 'no',
    lost: 0,
    notes: `in-process diffDocument (gc:false doc, ${all.length} edits, 3 members); first (cold) run ${withUnit(cold)}; p95/p99 = the slowest run; threadFates ×200 ${withUnit(fatesMs)} (${fates.filter((f) => f.fate === 'passage_changed').length} changed); ${counts}`,
    detail: { coldMs: cold, runsMs: times, segments, counts: result!.counts, fatesMs },
  };
}
