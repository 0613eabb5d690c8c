import { ApiError, errorOfResponse } from './api.ts';
import { dispositionName } from './plan-export.ts';
import type { ErrorBody } from '../../../shared/errors.ts';
import type { StakeholderGroup } from '../../../shared/groups.ts';
import { archiveContentType, archiveExtension, type ArchiveImportResult } from '../../../shared/archive.ts';

/**
 * Fetches a consultation's archive and hands it to the browser as a download.
 * Fetching (rather than following a link) lets the page say why it failed
 * instead of the browser saving an error as the file.
 */
export async function downloadArchive(consultationId: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`/api/consultations/${encodeURIComponent(consultationId)}/archive`, { credentials: 'same-origin' });
  } catch (cause) {
    throw new ApiError(0, 'network_error', cause instanceof Error ? cause.message : 'Network error');
  }
  if (!response.ok) throw await errorOfResponse(response);
  const url = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = dispositionName(response.headers.get('content-disposition'), `consultation${archiveExtension}`);
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // After the click has handed the blob to the download; revoking at once can cancel it in some browsers.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}

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
