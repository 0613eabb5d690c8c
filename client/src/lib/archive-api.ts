import { ApiError, errorOfResponse } from './api.ts';
import { downloadFile } from './download.ts';
import type { ErrorBody } from '../../../shared/errors.ts';
import type { StakeholderGroup } from '../../../shared/groups.ts';
import { archiveContentType, archiveExtension, type ArchiveImportResult } from '../../../shared/archive.ts';

/** Downloads a consultation's archive, or throws the server's refusal for the page to show. */
export const downloadArchive = (consultationId: string): Promise<void> =>
  downloadFile(`/api/consultations/${encodeURIComponent(consultationId)}/archive`, `consultation${archiveExtension}`);

/**
 * Sends an archive to be restored. XMLHttpRequest rather than fetch: it
 * reports how much of the file has gone up, which a large archive needs.
 */
export function uploadArchive(file: File, group: StakeholderGroup, onProgress: (fraction: number) => void): Promise<ArchiveImportResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/consultations/import?group=${encodeURIComponent(group)}`);
    xhr.setRequestHeader('content-type', archiveContentType);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'Network error'));
    xhr.onload = () => {
      let data: unknown = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: answered by something in between
      }
      if (xhr.status === 201) return resolve(data as ArchiveImportResult);
      const body = new Response(JSON.stringify(data as ErrorBody | null), { status: xhr.status, statusText: xhr.statusText });
      void errorOfResponse(body).then(reject);
    };
    xhr.send(file);
  });
}
