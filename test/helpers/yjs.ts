import * as Y from 'yjs';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import { WebsocketProvider } from 'y-websocket';
import { yjsPath } from '../../shared/collab.ts';
import { planSchemaVersion, schemaParam } from '../../shared/plan.ts';
import { onCleanup } from './cleanup.ts';

export interface YjsClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  text: Y.Text;
  synced: Promise<void>;
  destroy(): void;
}

/** A real y-websocket client (the browser's provider, over `ws`) on one document. */
// Each y-websocket provider in Node listens for the process's exit; tests run dozens at once.
process.setMaxListeners(200);

/** A WebSocket class that sends a session cookie, as a browser would. */
function withCookie(cookie: string | undefined): typeof globalThis.WebSocket {
  class CookieWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: cookie ? { cookie } : {} });
    }
  }
  return CookieWebSocket as unknown as typeof globalThis.WebSocket;
}

/**
 * `keep: false` leaves tearing down to the caller (churn tests must not hold a thousand clients until the end).
 * Declares the current document schema, as the browser client does; `legacy: true` connects as a client from
 * before plan blocks (no `schema` parameter).
 */
export function connectYjs(
  wsUrl: string,
  docId: string,
  options: { connect?: boolean; cookie?: string; keep?: boolean; legacy?: boolean } = {},
): YjsClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${wsUrl}${yjsPath}`, docId, doc, {
    WebSocketPolyfill: withCookie(options.cookie),
    connect: options.connect ?? true,
    disableBc: true,
    maxBackoffTime: 200,
    params: options.legacy ? {} : { [schemaParam]: String(planSchemaVersion) },
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    provider.once('sync', (isSynced: boolean) => isSynced && resolve());
  });
  const destroy = () => {
    provider.destroy();
    doc.destroy();
  };
  if (options.keep !== false) onCleanup(destroy);
  return { doc, provider, text: doc.getText('t'), synced, destroy };
}

export interface RawSocket {
  ws: WebSocket;
  /** Resolves with the close code and reason when the server closes it. */
  closed: Promise<{ code: number; reason: string }>;
  messages: Uint8Array[];
  open: Promise<void>;
}

/** A bare WebSocket on the Yjs endpoint, for sending crafted frames. */
export function rawYjsSocket(wsUrl: string, docId: string, cookie?: string, headers: Record<string, string> = {}): RawSocket {
  const ws = new WebSocket(`${wsUrl}${yjsPath}/${docId}`, { headers: { ...(cookie ? { cookie } : {}), ...headers } });
  const messages: Uint8Array[] = [];
  ws.on('message', (data) => messages.push(new Uint8Array(data as Buffer)));
  const open = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  onCleanup(() => ws.terminate());
  return { ws, closed, messages, open };
}

/**
 * Polls until `check` is true or the time runs out (then throws, naming what
 * was awaited). The limit is a backstop against hangs, not a speed bound: it
 * stays generous so a machine several times slower still passes.
 */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A y-websocket "update" frame around any payload (valid or not). */
export function updateFrame(payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}
