import type { DocumentDiff, Version, VersionContent } from '../../../shared/history.ts';
import type { Page } from '../../../shared/schemas.ts';
import { pageQuery, request } from './api.ts';

/** REST calls of a document's history: versions (list, name, read, restore) and differences. */
const id = encodeURIComponent;
const documentPath = (documentId: string) => `/api/documents/${id(documentId)}`;

/** One end of a comparison: a version's id, "now", or (as the start) the reader's last visit. */
export type DiffEndChoice = string;

export const historyApi = {
  listVersions: (documentId: string, cursor?: string, limit?: number, signal?: AbortSignal) =>
    request<Page<Version>>('GET', `${documentPath(documentId)}/versions${pageQuery(cursor, limit)}`, undefined, signal),
  createVersion: (documentId: string, name: string) => request<Version>('POST', `${documentPath(documentId)}/versions`, { name }),
  getVersion: (documentId: string, versionId: string, signal?: AbortSignal) =>
    request<VersionContent>('GET', `${documentPath(documentId)}/versions/${id(versionId)}`, undefined, signal),
  restoreVersion: (documentId: string, versionId: string) =>
    request<Version>('POST', `${documentPath(documentId)}/versions/${id(versionId)}/restore`),
  diff: (documentId: string, from: DiffEndChoice, to: DiffEndChoice, signal?: AbortSignal) =>
    request<DocumentDiff>('GET', `${documentPath(documentId)}/diff?${new URLSearchParams({ from, to }).toString()}`, undefined, signal),
};
