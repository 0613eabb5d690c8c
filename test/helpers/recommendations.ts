import type { ApiResult, TestUser } from './server.ts';
import type { ImportMapping } from '../../shared/recommendations.ts';

export const csvType = 'text/csv; charset=utf-8';
export const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Sends a file to the import preview (default) or, with `commit`, to the import itself, as the raw request body. */
export async function uploadRecommendations<T>(
  base: string,
  as: TestUser,
  consultationId: string,
  file: Uint8Array | string,
  options: { commit?: boolean; mapping?: ImportMapping; type?: string } = {},
): Promise<ApiResult<T>> {
  const query = options.mapping ? `?mapping=${encodeURIComponent(JSON.stringify(options.mapping))}` : '';
  const path = `/consultations/${consultationId}/recommendations/import${options.commit ? '' : '/preview'}${query}`;
  const res = await fetch(`${base}/api${path}`, {
    method: 'POST',
    headers: { cookie: as.cookie, 'content-type': options.type ?? csvType },
    body: typeof file === 'string' ? file : Buffer.from(file),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}
