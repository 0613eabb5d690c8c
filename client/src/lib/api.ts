import type { ErrorBody, ErrorCode } from '../../../shared/errors.ts';
import type {
  AcceptInvitationInput,
  ChangePasswordInput,
  CreateInvitationInput,
  CreatedInvitation,
  Invitation,
  InvitationPreview,
  LoginInput,
  Me,
  Member,
  RegisterInput,
  SessionInfo,
  UpdateMemberInput,
  UpdateProfileInput,
} from '../../../shared/accounts.ts';
import type {
  ChangePhaseInput,
  Consultation,
  CreateConsultationInput,
  CreateDocumentInput,
  DocumentMeta,
  Health,
  Page,
  UpdateConsultationInput,
} from '../../../shared/schemas.ts';
import type { AdoptionCheck } from '../../../shared/adoption.ts';
import type { DocumentContent } from '../../../shared/document-content.ts';

/** `network_error` is the client's own code for "no response at all". */
export type ApiErrorCode = ErrorCode | 'network_error';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: ApiErrorCode;
  readonly details: unknown;
  /** From `details.retryAfterSeconds` or the Retry-After header, when the server asked us to wait. */
  readonly retryAfterSeconds: number | null;

  constructor(status: number, code: ApiErrorCode, message: string, details?: unknown, retryAfterSeconds: number | null = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Used when an error response has no JSON body (a proxy in between, for instance). */
function codeForStatus(status: number): ErrorCode {
  if (status === 400) return 'bad_request';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 410) return 'invitation_unavailable';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  return 'internal_error';
}

function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as ErrorBody | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}

function retryAfter(details: unknown, header: string | null): number | null {
  const fromDetails = (details as { retryAfterSeconds?: unknown } | null | undefined)?.retryAfterSeconds;
  const seconds = typeof fromDetails === 'number' ? fromDetails : Number(header ?? NaN);
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : null;
}

let unauthenticatedHandler: (() => void) | null = null;

/** Called whenever the server answers 401 `unauthenticated`: the session is gone, show sign-in. */
export function onUnauthenticated(handler: () => void): void {
  unauthenticatedHandler = handler;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One JSON request to the API; feature modules (e.g. `facilitation-api.ts`) build on it. */
export async function request<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      signal,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError(0, 'network_error', cause instanceof Error ? cause.message : 'Network error');
  }
  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = isErrorBody(data)
      ? new ApiError(response.status, data.error.code, data.error.message, data.error.details, retryAfter(data.error.details, response.headers.get('retry-after')))
      : new ApiError(response.status, codeForStatus(response.status), response.statusText, undefined, retryAfter(null, response.headers.get('retry-after')));
    if (error.code === 'unauthenticated') unauthenticatedHandler?.();
    throw error;
  }
  return data as T;
}

export function pageQuery(cursor?: string, limit?: number): string {
  const params = new URLSearchParams();
  if (limit !== undefined) params.set('limit', String(limit));
  if (cursor) params.set('cursor', cursor);
  const query = params.toString();
  return query ? `?${query}` : '';
}

const id = encodeURIComponent;
const consultationPath = (consultationId: string) => `/api/consultations/${id(consultationId)}`;

export const api = {
  health: (signal?: AbortSignal) => request<Health>('GET', '/api/health', undefined, signal),

  // Accounts
  me: (signal?: AbortSignal) => request<Me>('GET', '/api/auth/me', undefined, signal),
  register: (input: RegisterInput) => request<Me>('POST', '/api/auth/register', input),
  login: (input: LoginInput) => request<Me>('POST', '/api/auth/login', input),
  logout: () => request<void>('POST', '/api/auth/logout'),
  updateProfile: (input: UpdateProfileInput) => request<Me>('PATCH', '/api/auth/me', input),
  changePassword: (input: ChangePasswordInput) => request<void>('POST', '/api/auth/password', input),
  listSessions: (signal?: AbortSignal) => request<SessionInfo[]>('GET', '/api/auth/sessions', undefined, signal),
  revokeSession: (sessionId: string) => request<void>('DELETE', `/api/auth/sessions/${id(sessionId)}`),

  // Consultations
  listConsultations: (cursor?: string, limit?: number, signal?: AbortSignal) =>
    request<Page<Consultation>>('GET', `/api/consultations${pageQuery(cursor, limit)}`, undefined, signal),
  createConsultation: (input: CreateConsultationInput) => request<Consultation>('POST', '/api/consultations', input),
  getConsultation: (consultationId: string, signal?: AbortSignal) =>
    request<Consultation>('GET', consultationPath(consultationId), undefined, signal),
  updateConsultation: (consultationId: string, input: UpdateConsultationInput) =>
    request<Consultation>('PATCH', consultationPath(consultationId), input),
  changePhase: (consultationId: string, input: ChangePhaseInput) =>
    request<Consultation>('POST', `${consultationPath(consultationId)}/phase`, input),
  adoptionCheck: (consultationId: string, signal?: AbortSignal) =>
    request<AdoptionCheck>('GET', `${consultationPath(consultationId)}/phase/adoption-check`, undefined, signal),

  // Members and invitations
  listMembers: (consultationId: string, signal?: AbortSignal) =>
    request<Member[]>('GET', `${consultationPath(consultationId)}/members`, undefined, signal),
  updateMember: (consultationId: string, memberId: string, input: UpdateMemberInput) =>
    request<void>('PATCH', `${consultationPath(consultationId)}/members/${id(memberId)}`, input),
  removeMember: (consultationId: string, memberId: string) =>
    request<void>('DELETE', `${consultationPath(consultationId)}/members/${id(memberId)}`),
  listInvitations: (consultationId: string, signal?: AbortSignal) =>
    request<Invitation[]>('GET', `${consultationPath(consultationId)}/invitations`, undefined, signal),
  createInvitation: (consultationId: string, input: CreateInvitationInput) =>
    request<CreatedInvitation>('POST', `${consultationPath(consultationId)}/invitations`, input),
  revokeInvitation: (consultationId: string, invitationId: string) =>
    request<void>('DELETE', `${consultationPath(consultationId)}/invitations/${id(invitationId)}`),
  previewInvitation: (token: string, signal?: AbortSignal) =>
    request<InvitationPreview>('GET', `/api/invitations/${id(token)}`, undefined, signal),
  acceptInvitation: (input: AcceptInvitationInput) =>
    request<{ consultationId: string }>('POST', '/api/invitations/accept', input),
  /** Your own choice to show your name to the other members. */
  setIdentity: (consultationId: string, showName: boolean) =>
    request<void>('PUT', `${consultationPath(consultationId)}/identity`, { showName }),

  // Documents
  listDocuments: (consultationId: string, cursor?: string, limit?: number, signal?: AbortSignal) =>
    request<Page<DocumentMeta>>('GET', `${consultationPath(consultationId)}/documents${pageQuery(cursor, limit)}`, undefined, signal),
  createDocument: (consultationId: string, input: CreateDocumentInput) =>
    request<DocumentMeta>('POST', `${consultationPath(consultationId)}/documents`, input),
  getDocument: (documentId: string, signal?: AbortSignal) =>
    request<DocumentMeta>('GET', `/api/documents/${id(documentId)}`, undefined, signal),
  /** The text as it is now, to read while the editor loads. */
  getDocumentContent: (documentId: string, signal?: AbortSignal) =>
    request<DocumentContent>('GET', `/api/documents/${id(documentId)}/content`, undefined, signal),
  setDocumentLocked: (documentId: string, locked: boolean) =>
    request<DocumentMeta>('POST', `/api/documents/${id(documentId)}/lock`, { locked }),
  /** The archived documents instead of the plan's (facilitators). */
  listArchivedDocuments: (consultationId: string, cursor?: string, limit?: number, signal?: AbortSignal) =>
    request<Page<DocumentMeta>>('GET', `${consultationPath(consultationId)}/documents${pageQuery(cursor, limit) || '?'}${cursor || limit !== undefined ? '&' : ''}archived=true`, undefined, signal),
  renameDocument: (documentId: string, title: string) => request<DocumentMeta>('PATCH', `/api/documents/${id(documentId)}`, { title }),
  archiveDocument: (documentId: string) => request<DocumentMeta>('POST', `/api/documents/${id(documentId)}/archive`, {}),
  restoreDocument: (documentId: string) => request<DocumentMeta>('POST', `/api/documents/${id(documentId)}/restore`, {}),
};

/** Turns anything thrown by `api` into an ApiError, so views only deal with one shape. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'internal_error', error instanceof Error ? error.message : String(error));
}

/**
 * The ApiError an error response carries, for requests that do not go
 * through `request` (file downloads read as blobs). Signs out on 401 like `request`.
 */
export async function errorOfResponse(response: Response): Promise<ApiError> {
  const data: unknown = await response.json().catch(() => null);
  const retry = retryAfter(isErrorBody(data) ? data.error.details : null, response.headers.get('retry-after'));
  const error = isErrorBody(data)
    ? new ApiError(response.status, data.error.code, data.error.message, data.error.details, retry)
    : new ApiError(response.status, codeForStatus(response.status), response.statusText, undefined, retry);
  if (error.code === 'unauthenticated') unauthenticatedHandler?.();
  return error;
}
