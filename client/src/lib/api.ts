import type { ErrorBody, ErrorCode } from '../../../shared/errors.ts';
import type {
  Consultation,
  CreateConsultationInput,
  CreateDocumentInput,
  DocumentMeta,
  Health,
  Page,
} from '../../../shared/schemas.ts';

/** `network_error` is the client's own code for "no response at all". */
export type ApiErrorCode = ErrorCode | 'network_error';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: ApiErrorCode;

  constructor(status: number, code: ApiErrorCode, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Used when an error response has no JSON body (a proxy in between, for instance). */
function codeForStatus(status: number): ErrorCode {
  if (status === 400) return 'bad_request';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'payload_too_large';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  return 'internal_error';
}

function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as ErrorBody | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}

async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      signal,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError(0, 'network_error', cause instanceof Error ? cause.message : 'Network error');
  }
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    if (isErrorBody(data)) throw new ApiError(response.status, data.error.code, data.error.message);
    throw new ApiError(response.status, codeForStatus(response.status), response.statusText);
  }
  return data as T;
}

function pageQuery(cursor?: string, limit?: number): string {
  const params = new URLSearchParams();
  if (limit !== undefined) params.set('limit', String(limit));
  if (cursor) params.set('cursor', cursor);
  const query = params.toString();
  return query ? `?${query}` : '';
}

const id = encodeURIComponent;

export const api = {
  health: (signal?: AbortSignal) => request<Health>('GET', '/api/health', undefined, signal),

  listConsultations: (cursor?: string, limit?: number, signal?: AbortSignal) =>
    request<Page<Consultation>>('GET', `/api/consultations${pageQuery(cursor, limit)}`, undefined, signal),

  createConsultation: (input: CreateConsultationInput) =>
    request<Consultation>('POST', '/api/consultations', input),

  getConsultation: (consultationId: string, signal?: AbortSignal) =>
    request<Consultation>('GET', `/api/consultations/${id(consultationId)}`, undefined, signal),

  listDocuments: (consultationId: string, cursor?: string, limit?: number, signal?: AbortSignal) =>
    request<Page<DocumentMeta>>(
      'GET',
      `/api/consultations/${id(consultationId)}/documents${pageQuery(cursor, limit)}`,
      undefined,
      signal,
    ),

  createDocument: (consultationId: string, input: CreateDocumentInput) =>
    request<DocumentMeta>('POST', `/api/consultations/${id(consultationId)}/documents`, input),

  getDocument: (documentId: string, signal?: AbortSignal) =>
    request<DocumentMeta>('GET', `/api/documents/${id(documentId)}`, undefined, signal),
};

/** Turns anything thrown by `api` into an ApiError, so views only deal with one shape. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'internal_error', error instanceof Error ? error.message : String(error));
}
