/**
 * Workload e's preparation, run while no server is: writes the paper's whole
 * history (and its 100× variant) into a data directory's update log with
 * Convene's own `UpdateLog`, as if those documents had been edited before.
 */
import * as Y from 'yjs';
import { serve } from '../lib/ipc.ts';
import { loadTrace, multipliedHistory, paperHistory } from '../lib/trace.ts';
import { openEmbeddedStore } from '../../server/store/embedded.ts';
import { UpdateLog } from '../../server/collab/persistence.ts';

/** A browser-sized client id, so the stored update has realistic varint widths. */
const PAPER_CLIENT = 0x7f4a7c15;

serve({
  async seed(o: { dataDir: string; docs: { docId: string; copies: number }[] }) {
    const trace = loadTrace();
    // Kept as the server keeps documents since history: without garbage collection (deleted text stays).
    const paper = paperHistory(trace, PAPER_CLIENT, { gc: false });
    const store = await openEmbeddedStore(o.dataDir);
    const sizes: Record<string, { bytes: number; length: number }> = {};
    try {
      const log = new UpdateLog(store);
      await log.ensureIndexes();
      for (const { docId, copies } of o.docs) {
        const update = copies === 1 ? paper : multipliedHistory(paper, copies);
        // Stored as the server stores a whole document once it has compacted it: one entry with its state vector.
        await log.compact(docId, 1, update, Y.encodeStateVectorFromUpdate(update));
        sizes[docId] = { bytes: update.length, length: trace.endContent.length * copies };
      }
    } finally {
      await store.close();
    }
    // One copy re-checked end to end: the rewritten client ids must still spell the paper.
    const check = new Y.Doc();
    Y.applyUpdate(check, paper);
    if (check.getText('t').toString() !== trace.endContent) throw new Error('the seeded paper does not read back');
    return sizes;
  },
});
