import { z } from 'zod';
import { IdParams, type ApiRegistry } from '../http/route.ts';
import { ErrorCode } from '../../shared/errors.ts';
import { ArchiveImportQuery, ArchiveImportResult, archiveContentType, archiveImportTypes } from '../../shared/archive.ts';
import type { Logger } from '../logger.ts';
import { fileName } from '../plan/cells.ts';
import type { ArchiveService } from './archive.service.ts';

const tag = 'Archives';

export function archiveRoutes(api: ApiRegistry, archives: ArchiveService, logger: Logger): void {
  api.add(
    {
      method: 'get',
      path: '/consultations/:id/archive',
      tag,
      summary:
        'The whole consultation as one file to move it to another server (facilitators): gzip of JSON lines, format `convene-consultation-archive` version 1, a header line, one line per record, a trailer with the counts and the SHA-256 of the body. Streamed as it is read.',
      params: IdParams,
      response: z.string().meta({ format: 'binary' }),
      contentType: archiveContentType,
      operationId: 'exportConsultationArchive',
    },
    async ({ auth, params, res }) => {
      // The permission check and the audit entry come before the first byte: a refusal is a JSON error, not a download.
      const { consultation, write } = await archives.prepareExport(auth.user._id, params.id);
      const day = new Date().toISOString().slice(0, 10);
      res.attachment(fileName(`${consultation.title} ${day}`, 'convene.jsonl.gz'));
      res.type(archiveContentType);
      res.setHeader('Cache-Control', 'private, no-store');
      res.status(200);
      try {
        await write(res);
      } catch (err) {
        // After the first byte a failure can only cut the download short; the missing trailer makes the file refuse to import.
        if (res.destroyed) logger.info({ consultationId: params.id }, 'a consultation archive download was cut short');
        else logger.error({ err, consultationId: params.id }, 'writing a consultation archive failed');
        res.destroy(err as Error);
      }
      return '';
    },
  );
  api.add(
    {
      method: 'post',
      path: '/consultations/import',
      tag,
      summary:
        'Restore a consultation from an archive (any signed-in person, who becomes its facilitator in `group`). The body is the file itself. All or nothing: a corrupt file (archive_corrupt), another format or version (archive_unsupported), records that do not hold together, are duplicated or belong to another consultation (archive_invalid), records already on this server (archive_exists, 409) or a file over ARCHIVE_MAX_IMPORT_BYTES (413) leave nothing behind.',
      query: ArchiveImportQuery,
      rawBody: { types: archiveImportTypes, limit: archives.limits.maxImportBytes },
      response: ArchiveImportResult,
      status: 201,
      operationId: 'importConsultationArchive',
      errors: [ErrorCode.archiveCorrupt, ErrorCode.archiveUnsupported, ErrorCode.archiveInvalid, ErrorCode.archiveExists],
    },
    ({ auth, query, req }) => archives.import(auth.user._id, req.body as Buffer, query.group),
  );
}
