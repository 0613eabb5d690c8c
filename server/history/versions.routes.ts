import { z } from 'zod';
import { ErrorCode } from '../../shared/errors.ts';
import { PageQuery } from '../../shared/schemas.ts';
import { CreateVersionInput, DiffQuery, DocumentDiff, Version, VersionContent } from '../../shared/history.ts';
import { IdParams, type ApiRegistry } from '../http/route.ts';
import type { VersionsService } from './versions.service.ts';
import type { DiffService } from './diff.service.ts';

const tag = 'Versions';
const VersionParams = z.object({ id: z.uuid(), versionId: z.uuid() });

export function versionsRoutes(api: ApiRegistry, versions: VersionsService, diffs: DiffService): void {
  api.add(
    { method: 'get', path: '/documents/:id/versions', tag, summary: "A document's versions, newest first, with who made each (alias and group)", params: IdParams, query: PageQuery, response: z.object({ items: z.array(Version), nextCursor: z.string().nullable() }) },
    ({ auth, params, query }) => versions.list(auth.user._id, params.id, query),
  );
  api.add(
    { method: 'post', path: '/documents/:id/versions', tag, summary: 'Name the document as it is now as a version (facilitators and drafters)', params: IdParams, body: CreateVersionInput, response: Version, status: 201, errors: [ErrorCode.unavailable] },
    ({ auth, params, body }) => versions.create(auth.user._id, params.id, body.name),
  );
  api.add(
    { method: 'get', path: '/documents/:id/versions/:versionId', tag, summary: 'A version and the document as it was then (a Yjs update, base64), for read-only viewing', params: VersionParams, response: VersionContent },
    ({ auth, params }) => versions.get(auth.user._id, params.id, params.versionId),
  );
  api.add(
    { method: 'post', path: '/documents/:id/versions/:versionId/restore', tag, summary: "Bring a version's text back as a new change, recorded as a new version (facilitators)", params: VersionParams, response: Version, status: 201, errors: [ErrorCode.conflict, ErrorCode.unavailable] },
    ({ auth, params }) => versions.restore(auth.user._id, params.id, params.versionId),
  );
  api.add(
    {
      method: 'get',
      path: '/documents/:id/diff',
      tag,
      summary: 'What changed between two states of the document (`from`: a version id or `visit`, your last visit; `to`: a version id or `now`): text inserted and deleted with who did it (alias and group), counts per group, plan fields, and what happened to each comment thread',
      params: IdParams,
      query: DiffQuery,
      response: DocumentDiff,
      errors: [ErrorCode.unavailable],
    },
    ({ auth, params, query }) => diffs.diff(auth.user._id, params.id, query),
  );
}
