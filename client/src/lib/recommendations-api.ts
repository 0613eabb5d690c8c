import type { ErrorBody } from '../../../shared/errors.ts';
import type { Page } from '../../../shared/schemas.ts';
import type {
  CreateRecommendationInput,
  ImportMapping,
  ImportPreview,
  ImportResult,
  Position,
  Recommendation,
  RecommendationFacets,
  RecommendationSummary,
  UpdateRecommendationInput,
} from '../../../shared/recommendations.ts';
import { importContentTypes } from '../../../shared/recommendations.ts';
import { ApiError, pageQuery, request } from './api.ts';

const id = encodeURIComponent;
const base = (consultationId: string) => `/api/consultations/${id(consultationId)}`;

export interface RecommendationFilters {
  body?: string;
  theme?: string;
  affectedPersons?: string;
  position?: Position | 'none';
}

/** XLSX by its name or type; anything else is sent as CSV text and the server detects encoding and delimiter. */
const contentType = (file: File) =>
  /\.xlsx$/i.test(file.name) || file.type === importContentTypes.xlsx[0] ? importContentTypes.xlsx[0] : 'text/csv';

/** Sends the file itself as the body (the import routes take raw bytes, not JSON). */
async function upload<T>(path: string, file: File, mapping: ImportMapping): Promise<T> {
  const query = Object.keys(mapping).length > 0 ? `?mapping=${id(JSON.stringify(mapping))}` : '';
  let response: Response;
  try {
    response = await fetch(`${path}${query}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': contentType(file) },
      body: file,
    });
  } catch (cause) {
    throw new ApiError(0, 'network_error', cause instanceof Error ? cause.message : 'Network error');
  }
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (data as ErrorBody | null)?.error;
    throw new ApiError(response.status, error?.code ?? (response.status === 413 ? 'payload_too_large' : 'internal_error'), error?.message ?? response.statusText, error?.details);
  }
  return data as T;
}

export const recommendationsApi = {
  /** The whole register in short, for the plan's table and coverage view. */
  summaries: (consultationId: string, signal?: AbortSignal) =>
    request<{ items: RecommendationSummary[] }>('GET', `${base(consultationId)}/recommendation-summaries`, undefined, signal).then((r) => r.items),
  list: (consultationId: string, filters: RecommendationFilters, cursor?: string, signal?: AbortSignal) => {
    const params = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => !!e[1]));
    const page = pageQuery(cursor);
    const extra = params.toString();
    return request<Page<Recommendation>>('GET', `${base(consultationId)}/recommendations${page}${extra ? `${page ? '&' : '?'}${extra}` : ''}`, undefined, signal);
  },
  get: (consultationId: string, recommendationId: string, signal?: AbortSignal) =>
    request<Recommendation>('GET', `${base(consultationId)}/recommendations/${id(recommendationId)}`, undefined, signal),
  facets: (consultationId: string, signal?: AbortSignal) =>
    request<RecommendationFacets>('GET', `${base(consultationId)}/recommendation-facets`, undefined, signal),
  preview: (consultationId: string, file: File, mapping: ImportMapping) =>
    upload<ImportPreview>(`${base(consultationId)}/recommendations/import/preview`, file, mapping),
  import: (consultationId: string, file: File, mapping: ImportMapping) =>
    upload<ImportResult>(`${base(consultationId)}/recommendations/import`, file, mapping),
  create: (consultationId: string, input: CreateRecommendationInput) =>
    request<Recommendation>('POST', `${base(consultationId)}/recommendations`, input),
  update: (consultationId: string, recommendationId: string, input: UpdateRecommendationInput) =>
    request<Recommendation>('PATCH', `${base(consultationId)}/recommendations/${id(recommendationId)}`, input),
};
