import { z } from 'zod';
import {
  CreateRecommendationInput,
  ImportPreview,
  ImportQuery,
  ImportResult,
  Recommendation,
  RecommendationFacets,
  RecommendationListQuery,
  RecommendationParams,
  RecommendationSummary,
  UpdateRecommendationInput,
  importContentTypes,
} from '../../shared/recommendations.ts';
import { IdParams, type ApiRegistry } from '../http/route.ts';
import type { RecommendationsService } from './recommendations.service.ts';

const tag = 'Recommendations';
const fileTypes = [...importContentTypes.csv, ...importContentTypes.xlsx, 'application/octet-stream'];
const fileNote = 'The body is the file itself: CSV (UTF-8 with or without BOM, UTF-16 "Unicode text", comma, semicolon or tab) as text/csv, or XLSX; `mapping` (JSON) maps headers the server does not recognise';

export function recommendationsRoutes(api: ApiRegistry, recommendations: RecommendationsService, maxImportBytes: number): void {
  const rawBody = { types: fileTypes, limit: maxImportBytes };
  api.add(
    { method: 'post', path: '/consultations/:id/recommendations/import/preview', tag, summary: `What importing this file would do, with every bad row; stores nothing (facilitators and drafters). ${fileNote}`, params: IdParams, query: ImportQuery, rawBody, response: ImportPreview },
    ({ auth, params, query, req }) => recommendations.preview(auth.user._id, params.id, req.body as Buffer, query.mapping),
  );
  api.add(
    { method: 'post', path: '/consultations/:id/recommendations/import', tag, summary: `Import the file: all rows or none (400 with \`details.problems\`); rows with a known id are updated (facilitators and drafters). ${fileNote}`, params: IdParams, query: ImportQuery, rawBody, response: ImportResult },
    ({ auth, params, query, req }) => recommendations.import(auth.user._id, params.id, req.body as Buffer, query.mapping),
  );
  api.add(
    { method: 'get', path: '/consultations/:id/recommendations', tag, summary: 'The recommendations register, by id; filter by body, theme, affected persons and position', params: IdParams, query: RecommendationListQuery, response: z.object({ items: z.array(Recommendation), nextCursor: z.string().nullable() }) },
    ({ auth, params, query }) => recommendations.list(auth.user._id, params.id, query),
  );
  api.add(
    { method: 'get', path: '/consultations/:id/recommendation-facets', tag, summary: 'Every body, theme and group of affected persons in the register, for filter menus', params: IdParams, response: RecommendationFacets },
    ({ auth, params }) => recommendations.facets(auth.user._id, params.id),
  );
  api.add(
    { method: 'get', path: '/consultations/:id/recommendation-summaries', tag, summary: "Every recommendation in short (id, symbol, body, themes, affected persons, SDGs, position, the start of its text), by id: what the plan's table and coverage view filter and count by", params: IdParams, response: z.object({ items: z.array(RecommendationSummary) }) },
    async ({ auth, params }) => ({ items: await recommendations.summaries(auth.user._id, params.id) }),
  );
  api.add(
    { method: 'post', path: '/consultations/:id/recommendations', tag, summary: 'Add a recommendation by hand (facilitators and drafters)', params: IdParams, body: CreateRecommendationInput, response: Recommendation, status: 201 },
    ({ auth, params, body }) => recommendations.create(auth.user._id, params.id, body),
  );
  api.add(
    { method: 'get', path: '/consultations/:id/recommendations/:recommendationId', tag, summary: 'One recommendation', params: RecommendationParams, response: Recommendation },
    ({ auth, params }) => recommendations.get(auth.user._id, params.id, params.recommendationId),
  );
  api.add(
    { method: 'patch', path: '/consultations/:id/recommendations/:recommendationId', tag, summary: 'Edit a recommendation by hand; its id stays (facilitators and drafters)', params: RecommendationParams, body: UpdateRecommendationInput, response: Recommendation },
    ({ auth, params, body }) => recommendations.update(auth.user._id, params.id, params.recommendationId, body),
  );
}
