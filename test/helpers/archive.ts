import type { ApiResult, TestUser } from './server.ts';

/** Downloads a consultation's archive as `user`: the file's bytes on 200, the JSON error otherwise. */
export async function downloadArchive(base: string, user: TestUser, consultationId: string): Promise<ApiResult<unknown> & { bytes: Uint8Array }> {
  const res = await fetch(`${base}/api/consultations/${consultationId}/archive`, { headers: { cookie: user.cookie } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const body = res.status === 200 ? undefined : (JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown);
  return { status: res.status, headers: res.headers, body, bytes };
}

/** Uploads an archive file to restore it, as `user`. */
export async function uploadArchive<T = unknown>(base: string, user: TestUser, bytes: Uint8Array, query = ''): Promise<ApiResult<T>> {
  const res = await fetch(`${base}/api/consultations/import${query}`, {
    method: 'POST',
    headers: { cookie: user.cookie, 'content-type': 'application/gzip' },
    body: new Uint8Array(bytes),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
}
