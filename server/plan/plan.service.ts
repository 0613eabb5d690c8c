import type { Access } from '../members/access.ts';
import type { RecommendationsService } from '../recommendations/recommendations.service.ts';
import type { CommentsService } from '../comments/comments.service.ts';
import type { RoomRegistry } from '../collab/rooms.ts';
import { withLiveDoc } from '../collab/proposals.ts';
import { fragmentName } from '../../shared/collab.ts';
import { readPlan } from '../../shared/plan-read.ts';
import { computeCoverage, positionsByAction } from '../../shared/coverage.ts';
import type { Locale } from '../../client/src/lib/i18n/locales.ts';
import { labelsFor } from './labels.ts';
import type { PlanExport } from './cells.ts';
import type { Readable } from 'node:stream';
import type { PlanExportFormat } from '../../shared/plan-export.ts';
import { planCsv } from './export.csv.ts';
import { ExportThread } from './export-thread.ts';

/**
 * Gathers what a plan export holds: the plan as the live document has it now
 * (the open room, or the stored document loaded like a room, the same path
 * comment passages are read through), the recommendations register, and the
 * coverage computed by the same shared function the coverage page runs.
 */
export class PlanExports {
  readonly #thread = new ExportThread();

  constructor(
    private readonly access: Access,
    private readonly recommendations: RecommendationsService,
    private readonly comments: CommentsService,
    private readonly rooms: RoomRegistry,
  ) {}

  /**
   * The file: CSV streamed from here (a few milliseconds a hundred rows);
   * XLSX and DOCX laid out in a worker thread, whose CPU time would
   * otherwise stall the event loop for everyone (half a second for 300 actions in Word).
   */
  render(format: PlanExportFormat, x: PlanExport): Readable | Promise<Buffer> {
    if (format === 'csv') return planCsv(x);
    const { t: _labels, ...data } = x;
    return this.#thread.render(format, data);
  }

  close(): Promise<void> {
    return this.#thread.close();
  }

  async gather(userId: string, documentId: string, locale: Locale): Promise<PlanExport> {
    // Any member who may read the document may take it away; non-members learn nothing (404).
    const { document } = await this.access.authorizeDocument(userId, documentId, 'document.view');
    const [register, { threads }] = await Promise.all([
      this.recommendations.all(userId, document.consultationId),
      // Positions are counts per stakeholder group, never who took them.
      this.comments.list(userId, documentId),
    ]);
    // Read in one synchronous step: no edit lands between the plan and the anchors resolved against it.
    const { plan, positions } = await withLiveDoc(this.rooms, documentId, (doc) => ({
      plan: readPlan(doc.getXmlFragment(fragmentName)),
      positions: positionsByAction(threads, doc),
    }));
    const t = labelsFor(locale);
    return {
      title: document.title.trim() || t('export.docx.untitled'),
      locale,
      t,
      plan,
      register,
      coverage: computeCoverage(plan, register, positions),
    };
  }
}
