import type { Response } from 'express';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { IdParams, type ApiRegistry } from '../http/route.ts';
import { PlanExportQuery, planExportTypes, type PlanExportFormat } from '../../shared/plan-export.ts';
import type { Logger } from '../logger.ts';
import { ErrorCode } from '../../shared/errors.ts';
import type { PlanExports } from './plan.service.ts';
import { fileName } from './cells.ts';

const tag = 'Plan';
const who = 'any member who may read the document';
const langNote = '`lang` (ar, zh, en, fr, ru, es; default en) is the language of headers, status names, sheet names and headings';

const summaries: Record<PlanExportFormat, string> = {
  csv: `The plan as CSV, one row per action (UTF-8 with BOM; cells that a spreadsheet would run as formulas begin with '); ${who}. ${langNote}`,
  xlsx: `The plan as an Excel workbook: the plan, the recommendations register (with the actions that address each) and the coverage, a sheet each; ${who}. ${langNote}`,
  docx: `The plan as a Word document: the narrative (goals, objectives and actions as numbered headings, with their fields) and the matrix of actions; ${who}. ${langNote}`,
};

/** Sends a stream or a file; a failure after the first byte can only cut the download short, so it is logged and the connection ended. */
async function send(res: Response, content: Readable | Buffer, logger: Logger): Promise<void> {
  if (Buffer.isBuffer(content)) {
    // Its length known, the browser can show the download's progress.
    res.setHeader('Content-Length', content.length);
    return void res.end(content);
  }
  await new Promise<void>((resolve) => {
    content.on('error', (err) => {
      logger.error({ err }, 'writing a plan export failed');
      res.destroy(err);
      resolve();
    });
    res.on('close', () => {
      content.destroy();
      resolve();
    });
    content.pipe(res);
  });
}

export function planRoutes(api: ApiRegistry, exports: PlanExports, logger: Logger): void {
  for (const format of ['csv', 'xlsx', 'docx'] as const) {
    api.add(
      {
        method: 'get',
        path: `/documents/:id/export.${format}`,
        tag,
        summary: summaries[format],
        params: IdParams,
        query: PlanExportQuery,
        response: format === 'csv' ? z.string() : z.string().meta({ format: 'binary' }),
        contentType: planExportTypes[format],
        operationId: `exportPlan${format.charAt(0).toUpperCase()}${format.slice(1)}`,
        // Too many files being laid out at once: try again shortly (Retry-After).
        errors: format === 'csv' ? [] : [ErrorCode.unavailable],
      },
      async ({ auth, params, query, res }) => {
        // Everything that can be refused is checked and read before the first byte goes out.
        const x = await exports.gather(auth.user._id, params.id, query.lang);
        // A file laid out in the worker is awaited before any header is set: if that fails, the answer is a JSON error, not a download.
        const body = exports.render(format, x);
        const content = body instanceof Promise ? await body : body;
        // res.attachment writes both filename="ascii fallback" and filename*=UTF-8''… (RFC 6266 / 5987).
        res.attachment(fileName(x.title, format));
        res.type(planExportTypes[format]);
        res.setHeader('Cache-Control', 'private, no-store');
        res.status(200);
        await send(res, content, logger);
        return '';
      },
    );
  }
}
