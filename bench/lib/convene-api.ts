/**
 * Convene's REST API as the bench uses it: one facilitator account (its
 * session cookie is shared by every simulated participant — registering
 * hundreds of accounts would mostly benchmark password hashing), one
 * consultation, and documents created through `POST …/documents`.
 */
import { randomBytes } from 'node:crypto';

export class ConveneApi {
  cookie = '';

  constructor(readonly base: string) {}

  async request<T>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    const res = await fetch(`${this.base}/api${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (this.cookie === '') this.cookie = res.headers.get('set-cookie')?.split(';')[0] ?? '';
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async #expect<T>(status: number, method: string, route: string, body?: unknown): Promise<T> {
    const res = await this.request<T>(method, route, body);
    if (res.status !== status) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Signs up a facilitator; a server without accounts (404) is used anonymously. */
  async signIn(): Promise<void> {
    const email = `bench.${randomBytes(6).toString('hex')}@example.org`;
    const res = await this.request('POST', '/auth/register', { email, password: 'a benchmark passphrase', displayName: 'Bench facilitator' });
    if (res.status !== 201 && res.status !== 404) throw new Error(`registering failed: ${res.status} ${JSON.stringify(res.body)}`);
  }

  async consultation(title = 'Bench: National Action Plan'): Promise<string> {
    return (await this.#expect<{ id: string }>(201, 'POST', '/consultations', { title, country: 'KE' })).id;
  }

  async document(consultationId: string, title: string): Promise<string> {
    return (await this.#expect<{ id: string }>(201, 'POST', `/consultations/${consultationId}/documents`, { title })).id;
  }

  /** `count` documents, created a few at a time. */
  async documents(consultationId: string, count: number, prefix = 'Room'): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 10) {
      const batch = Array.from({ length: Math.min(10, count - i) }, (_, k) => this.document(consultationId, `${prefix} ${i + k + 1}`));
      ids.push(...(await Promise.all(batch)));
    }
    return ids;
  }
}
