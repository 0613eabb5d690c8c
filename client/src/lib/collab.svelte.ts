import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { readAuthMessage } from 'y-protocols/auth';
import { fragmentName } from '../../../shared/collab.ts';
import { permanentCloseCodes } from '../../../shared/errors.ts';
import { groupColours } from '../../../shared/groups.ts';
import { planRefusalPrefix, planSchemaVersion, schemaParam } from '../../../shared/plan.ts';
import { aliasLabel, cleanName, isStakeholderGroup, type PublishedUser } from './people.ts';
import { documentDbName } from './offline/names.ts';
import { reportEdits } from './offline/edits.svelte.ts';
import { session } from './session.svelte.ts';
import { AdoptingWebSocket, yjsServerUrl } from './early-socket.ts';

/** Local edits closer together than this count as one change in "3 changes waiting to be sent". */
const editGroupMs = 1000;

/** How long the server's connection waits for the device's copy of the document to load (usually milliseconds). */
const localFirstMs = 2000;

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface Participant extends PublishedUser {
  clientId: number;
  self: boolean;
}

/**
 * Reads a `user` field from awareness, which the server sets from the
 * membership (an `AwarenessUser`: a name, or an alias when the identity is
 * hidden). Still read defensively: the name is trimmed and capped, an unknown
 * group becomes `other`, and the colour always comes from the group (readable
 * with white text).
 */
export function readAwarenessUser(value: unknown): PublishedUser | null {
  const user = value as Partial<PublishedUser> | null | undefined;
  const name = cleanName(user?.name);
  const alias = typeof user?.alias === 'number' && Number.isSafeInteger(user.alias) && user.alias > 0 ? user.alias : undefined;
  if (!name && alias === undefined) return null;
  const group = isStakeholderGroup(user?.group) ? user.group : 'other';
  return alias === undefined ? { name, group, color: groupColours[group] } : { name, group, color: groupColours[group], alias };
}

/** The label to show for someone in a document: an alias is shown in the reader's own language. */
export function participantLabel(user: PublishedUser): string {
  return user.alias === undefined ? user.name : aliasLabel(user.group, user.alias);
}

export { yjsServerUrl };

/**
 * One live document: the Y.Doc, its WebSocket provider, connection state and
 * who is here. Create it when the document page opens; `destroy()` it on leave.
 */
export class CollabSession {
  readonly ydoc = new Y.Doc();
  readonly fragment: Y.XmlFragment = this.ydoc.getXmlFragment(fragmentName);
  readonly provider: WebsocketProvider;

  #connected = $state(false);
  #everConnected = $state(false);
  #online = $state(navigator.onLine);
  #stopped = $state(false);
  #synced = $state(false);
  #everSynced = $state(false);
  #closeCode = $state<number | null>(null);
  #participants = $state.raw<Participant[]>([]);
  #planRefused = $state<string | null>(null);
  /** This account's copy of the document on the device, for reading and editing offline; null without a session. */
  #local: IndexeddbPersistence | null = null;
  #savedLocally = $state(false);
  /** Local changes the server has not had yet (see `unsent`). */
  #unsent = $state(0);
  readonly #documentId: string;
  #destroyed = false;

  #state: ConnectionState = $derived.by(() => {
    if (this.#stopped || !this.#online) return 'offline';
    if (this.#connected) return 'connected';
    return this.#everConnected ? 'reconnecting' : 'connecting';
  });

  /** How this participant appears in their own people list; never published (the server says who they are). */
  #self: PublishedUser;

  constructor(documentId: string, self: PublishedUser) {
    this.#self = self;
    this.#documentId = documentId;
    const userId = session.me?.id;
    if (userId && typeof indexedDB !== 'undefined') {
      // Keyed by account: another account on this browser never opens it, and signing out removes it.
      const local = new IndexeddbPersistence(documentDbName(userId, documentId), this.ydoc);
      this.#local = local;
      void local.whenSynced.then(async () => {
        if (this.#local !== local) return;
        this.#savedLocally = true;
        // Changes made offline before a reload are still unsent: the count was kept with them.
        const kept = Number(await local.get('unsent').catch(() => 0)) || 0;
        if (this.#local === local && !this.#synced) this.#setUnsent(this.#unsent + kept);
        else this.#report();
      });
    }
    this.ydoc.on('update', this.#onUpdate);
    this.provider = new WebsocketProvider(yjsServerUrl(), documentId, this.ydoc, {
      connect: false,
      // Cross-tab sync would bypass the server's decisions (and its close codes): keep it to the server.
      disableBc: true,
      // The schema this client understands: without it, the server refuses any deletion of a plan block from it.
      params: { [schemaParam]: String(planSchemaVersion) },
      shouldReconnect: (event) => !permanentCloseCodes.has(event.code),
      // The connection the app opened as it started, if it went to this document (client/src/lib/early-socket.ts).
      WebSocketPolyfill: AdoptingWebSocket,
    });
    // y-websocket only logs the server's in-band refusals; a refused plan change is also shown (see `planRefused`).
    this.provider.messageHandlers[2] = (_encoder, decoder) =>
      readAuthMessage(decoder, this.ydoc, (_doc, reason) => {
        console.warn(`The server refused a change: ${reason}`);
        if (reason.startsWith(planRefusalPrefix)) this.#planRefused = reason.slice(planRefusalPrefix.length);
        // Refused changes (made offline, then the document was locked, or your role changed) must not stay on the
        // device to be sent again at every connection: the copy there goes, and a reload shows the server's text.
        this.#forgetLocalCopy();
      });
    this.provider.on('status', this.#onStatus);
    this.provider.on('sync', this.#onSync);
    this.provider.on('connection-close', this.#onClose);
    this.provider.awareness.on('change', this.#onAwareness);
    window.addEventListener('online', this.#onOnline);
    window.addEventListener('offline', this.#onOffline);
    this.#onAwareness();
    // The copy on the device first, then the server: y-websocket's first request then asks for what the copy
    // lacks, not for the whole document again (an opened connection, see early-socket.ts, would otherwise be asked
    // at once). Bounded, so that a device store that does not answer never keeps the editor offline.
    const connect = () => void (this.#destroyed || this.provider.connect());
    if (this.#local) void Promise.race([this.#local.whenSynced, new Promise((resolve) => setTimeout(resolve, localFirstMs))]).then(connect, connect);
    else connect();
  }

  get state(): ConnectionState {
    return this.#state;
  }
  /** True once the server's copy has been received on the current connection. */
  get synced(): boolean {
    return this.#synced;
  }
  /** True once the server's copy has been received at least once. */
  get loaded(): boolean {
    return this.#everSynced;
  }
  /** The server refused the document for good (not found, unauthorised, forbidden); no more retries. */
  get stopped(): boolean {
    return this.#stopped;
  }
  /** The last meaningful close code from the server, until the document syncs again. */
  get closeCode(): number | null {
    return this.#closeCode;
  }
  /**
   * What was wrong with a plan change the server refused (in English, as the
   * server said it), until the page is reloaded: the change stays in this
   * copy but nobody else has it. Honest clients check with the same schema
   * before writing, so this means a bug or an older client.
   */
  get planRefused(): string | null {
    return this.#planRefused;
  }
  /**
   * Local changes the server has not had yet: made while disconnected (or
   * before the server's copy arrived), cleared when the document syncs again
   * (y-websocket sends them in reply to the server's state). Kept on the device with the document.
   */
  get unsent(): number {
    return this.#unsent;
  }
  /** Whether this document's changes are stored on the device as they are made. */
  get savedLocally(): boolean {
    return this.#savedLocally;
  }
  get participants(): Participant[] {
    return this.#participants;
  }

  /** Shows a changed name, alias or group in one's own people list (the server updates what the others see). */
  setSelf(self: PublishedUser): void {
    this.#self = self;
    this.#onAwareness();
  }

  destroy(): void {
    this.#destroyed = true;
    window.removeEventListener('online', this.#onOnline);
    window.removeEventListener('offline', this.#onOffline);
    this.provider.awareness.off('change', this.#onAwareness);
    this.provider.off('status', this.#onStatus);
    this.provider.off('sync', this.#onSync);
    this.provider.off('connection-close', this.#onClose);
    this.ydoc.off('update', this.#onUpdate);
    reportEdits(this.#documentId, null);
    void this.#local?.destroy();
    this.#local = null;
    this.provider.destroy(); // tells the others we left, then closes the socket
    this.ydoc.destroy(); // also destroys the awareness instance
  }

  #onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }): void => {
    this.#connected = status === 'connected';
    if (this.#connected) this.#everConnected = true;
  };

  #onUpdate = (_update: Uint8Array, origin: unknown): void => {
    // Changes from the server or read back from the device are not this page's to send.
    if (origin === this.provider || (this.#local && origin === this.#local)) return;
    if (this.#connected && this.#synced) return; // sent at once
    // Counted as people count changes: a burst of typing is one, as undo steps are (a pause starts the next).
    const now = performance.now();
    const next = now - this.#lastLocalEdit > editGroupMs || this.#unsent === 0;
    this.#lastLocalEdit = now;
    if (next) this.#setUnsent(this.#unsent + 1);
  };

  #lastLocalEdit = -Infinity;

  #setUnsent(count: number): void {
    this.#unsent = count;
    this.#report();
    void this.#local?.set('unsent', count).catch(() => undefined);
  }

  #forgetLocalCopy(): void {
    void this.#local?.clearData();
    this.#local = null;
    this.#savedLocally = false;
    this.#unsent = 0;
    this.#report();
  }

  #report(): void {
    reportEdits(this.#documentId, { unsent: this.#unsent, savedLocally: this.#local !== null && this.#savedLocally });
  }

  #onSync = (synced: boolean): void => {
    this.#synced = synced;
    if (synced && this.#unsent > 0) this.#setUnsent(0);
    if (!synced) return;
    this.#everSynced = true;
    this.#closeCode = null;
  };

  #onClose = (event: CloseEvent | null): void => {
    this.#connected = false;
    this.#synced = false;
    if (!event) return; // closed by us, or the provider's own watchdog
    if (event.code >= 4000 || event.code === 1008 || event.code === 1009) this.#closeCode = event.code;
    if (permanentCloseCodes.has(event.code)) {
      this.#stopped = true;
      this.provider.shouldConnect = false;
      // Not found, or no longer yours to read: the copy on the device goes too.
      this.#forgetLocalCopy();
    }
  };

  #onOnline = (): void => {
    this.#online = true;
    if (!this.#stopped) this.provider.connect(); // a no-op if a socket is already open or opening
  };

  #onOffline = (): void => {
    this.#online = false;
  };

  #onAwareness = (): void => {
    const selfId = this.ydoc.clientID;
    const people: Participant[] = [];
    for (const [clientId, state] of this.provider.awareness.getStates()) {
      const user = clientId === selfId ? this.#self : readAwarenessUser((state as { user?: unknown }).user);
      if (user) people.push({ ...user, clientId, self: clientId === selfId });
    }
    people.sort((a, b) => Number(b.self) - Number(a.self) || participantLabel(a).localeCompare(participantLabel(b)));
    this.#participants = people;
  };
}
