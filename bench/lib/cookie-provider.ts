import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';

/**
 * A y-websocket client signed in with a session cookie (Node's WebSocket
 * sends no browser cookies): how the browser workloads seed a document and
 * the versions workload writes and watches one. `synced` fails after 30 s.
 */
export function cookieProvider(url: string, docId: string, cookie: string, params: Record<string, string> = {}): { doc: Y.Doc; provider: WebsocketProvider; synced: Promise<void> } {
  class CookieWebSocket extends WebSocket {
    constructor(u: string, protocols?: string | string[]) {
      super(u, protocols, { headers: { cookie } });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, docId, doc, { WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket, disableBc: true, params });
  const synced = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${docId}: no sync within 30 s`)), 30_000);
    provider.once('sync', () => (clearTimeout(timer), resolve()));
  });
  return { doc, provider, synced };
}
