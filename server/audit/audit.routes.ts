import { z } from 'zod';
import { AuditEntry, AuditFilter, AuditQuery } from '../../shared/audit.ts';
import { IdParams, type ApiRegistry } from '../http/route.ts';
import type { AuditLog } from './audit.service.ts';

const tag = 'Audit';

export function auditRoutes(api: ApiRegistry, audit: AuditLog): void {
  api.add(
    {
      method: 'get',
      path: '/consultations/:id/audit',
      tag,
      summary: 'The audit log, newest first, filtered by action and by actor (member id) (facilitators)',
      params: IdParams,
      query: AuditQuery,
      response: z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() }),
    },
    ({ auth, params, query }) => audit.list(auth.user._id, params.id, query),
  );
  api.add(
    {
      method: 'get',
      path: '/consultations/:id/audit.csv',
      tag,
      summary: 'The whole audit log (same filters) as a CSV download (facilitators)',
      params: IdParams,
      query: AuditFilter,
      response: z.string(),
      contentType: 'text/csv; charset=utf-8',
    },
    async ({ auth, params, query, res }) => {
      const csv = await audit.csv(auth.user._id, params.id, query);
      res.setHeader('Content-Disposition', `attachment; filename="audit-${params.id}.csv"`);
      return csv;
    },
  );
}
