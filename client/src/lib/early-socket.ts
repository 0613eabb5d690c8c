import { yjsPath } from '../../../shared/collab.ts';
import { planSchemaVersion, schemaParam } from '../../../shared/plan-version.ts';
import { offlinePrefix } from './offline/names.ts';

/**
 * The document page's Yjs connection, opened as the app starts (beside the
 * text's first requests) instead of once the editor's code has arrived: on a
 * slow line its handshake, and the server's check of the session cookie and
 * opening of the document, are then done by the time the editor wants them. It
 * is the same connection the editor would open, to the same URL with the same
 * cookie: the server decides who it is and what it may do exactly as before.
 * What the server sends is kept and handed to the editor's y-websocket in
 * order, as if it had arrived then. Not adopted within a minute, or the page
 * left: closed.
 *
 * When this browser keeps no copy of the document (a first visit), it also
 * asks for the document at once: the sync step y-websocket would send first,
 * with the state of an empty document (it says nothing about the reader). The
 * editor then has the text as soon as its code runs, instead of one more round
 * trip later; y-websocket's own identical request is not sent again. With a
 * copy on the device the editor asks as usual, for what the copy lacks only.
 */

export function yjsServerUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${yjsPath}`;
}

/** A document's Yjs URL as y-websocket builds it from `yjsServerUrl()`, the room and the parameters. */
export const yjsDocumentUrl = (documentId: string): string =>
  `${yjsServerUrl()}/${documentId}?${encodeURIComponent(schemaParam)}=${encodeURIComponent(String(planSchemaVersion))}`;

type Kept = { type: 'open' | 'message' | 'close' | 'error'; event: Event };

interface Early {
  url: string;
  socket: WebSocket;
  kept: Kept[];
  timer: ReturnType<typeof setTimeout>;
  /** Sync step 1 with an empty state vector was sent: y-websocket's identical first message is not sent again. */
  askedAll: boolean;
}

/** y-websocket's sync step 1 for an empty document: messageSync (0), step 1 (0), a state vector of no clients ([0]). */
const emptySyncStep1 = [0, 0, 1, 0];

const isEmptySyncStep1 = (data: unknown): boolean =>
  data instanceof Uint8Array && data.length === emptySyncStep1.length && emptySyncStep1.every((b, i) => data[i] === b);

/** Whether this browser may keep a copy of the document (any account's; unknown counts as yes). */
async function copyOnDevice(documentId: string): Promise<boolean> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return true;
  try {
    return (await indexedDB.databases()).some(({ name }) => !!name?.startsWith(offlinePrefix) && name.endsWith(`:doc:${documentId}`));
  } catch {
    return true;
  }
}

let early: Early | null = null;

const unadoptedMs = 60_000;

export function openEarlySocket(documentId: string): void {
  if (early || typeof WebSocket === 'undefined') return;
  let socket: WebSocket;
  try {
    socket = new WebSocket(yjsDocumentUrl(documentId));
  } catch {
    return; // the editor will open its own
  }
  socket.binaryType = 'arraybuffer';
  const kept: Kept[] = [];
  const keep = (type: Kept['type']) => (event: Event) => kept.push({ type, event });
  const mine: Early = { url: socket.url, socket, kept, timer: setTimeout(closeEarlySocket, unadoptedMs), askedAll: false };
  const copy = copyOnDevice(documentId);
  socket.onopen = (event) => {
    kept.push({ type: 'open', event });
    void copy.then((kept) => {
      // Not once the editor has it: from then on y-websocket alone speaks on it.
      if (kept || early !== mine || socket.readyState !== WebSocket.OPEN) return;
      socket.send(new Uint8Array(emptySyncStep1));
      mine.askedAll = true;
    });
  };
  socket.onmessage = keep('message');
  socket.onclose = keep('close');
  socket.onerror = keep('error');
  early = mine;
}

/** Closes the early connection if nobody adopted it (the page was left, the editor never came). */
export function closeEarlySocket(): void {
  if (!early) return;
  clearTimeout(early.timer);
  early.socket.close();
  early = null;
}

/** The early connection to `url`, once, if it is still open or opening; otherwise null. */
function take(url: string): Early | null {
  const found = early;
  if (!found) return null;
  early = null;
  clearTimeout(found.timer);
  if (found.url !== new URL(url).href || found.socket.readyState > WebSocket.OPEN) {
    found.socket.close();
    return null;
  }
  return found;
}

/**
 * What y-websocket sees of the early connection: a WebSocket whose events so far
 * are replayed once y-websocket has set its handlers, then passed on as they come.
 */
class AdoptedSocket {
  readonly CONNECTING = WebSocket.CONNECTING;
  readonly OPEN = WebSocket.OPEN;
  readonly CLOSING = WebSocket.CLOSING;
  readonly CLOSED = WebSocket.CLOSED;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readonly #socket: WebSocket;
  #askedAll: boolean;

  constructor({ socket, kept, askedAll }: Early) {
    this.#socket = socket;
    this.#askedAll = askedAll;
    let replaying = true;
    const pass = ({ type, event }: Kept) => {
      if (type === 'open') this.onopen?.(event);
      else if (type === 'message') this.onmessage?.(event as MessageEvent);
      else if (type === 'close') this.onclose?.(event as CloseEvent);
      else this.onerror?.(event);
    };
    const arrive = (type: Kept['type']) => (event: Event) => (replaying ? kept.push({ type, event }) : pass({ type, event }));
    socket.onopen = arrive('open');
    socket.onmessage = arrive('message');
    socket.onclose = arrive('close');
    socket.onerror = arrive('error');
    // y-websocket sets its handlers right after constructing the socket; what arrived before is replayed after that.
    queueMicrotask(() => {
      for (let i = 0; i < kept.length; i++) pass(kept[i]!);
      kept.length = 0;
      replaying = false;
    });
  }

  get readyState(): number {
    return this.#socket.readyState;
  }
  get url(): string {
    return this.#socket.url;
  }
  get binaryType(): BinaryType {
    return this.#socket.binaryType;
  }
  set binaryType(value: BinaryType) {
    this.#socket.binaryType = value;
  }
  send(data: string | ArrayBufferLike | ArrayBufferView | Blob): void {
    // The document was asked for already, for the same (empty) state: the answer is among the kept messages.
    const repeat = this.#askedAll && isEmptySyncStep1(data);
    this.#askedAll = false;
    if (!repeat) this.#socket.send(data);
  }
  close(code?: number, reason?: string): void {
    this.#socket.close(code, reason);
  }
}

/**
 * The WebSocket class for y-websocket's `WebSocketPolyfill`: its first
 * connection to the URL the early connection went to adopts that connection;
 * every other one (another document, a reconnection) is a new WebSocket.
 */
export const AdoptingWebSocket = function (url: string | URL, protocols?: string | string[]) {
  const found = take(String(url));
  return found ? new AdoptedSocket(found) : new WebSocket(url, protocols);
} as unknown as typeof WebSocket;
