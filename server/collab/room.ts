import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import {
  decodeMessage,
  encodeAwareness,
  encodePermissionDenied,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  exhaustive,
  ProtocolError,
  type AwarenessEntry,
  type DecodedDeletions,
  type DecodedStructs,
  type IncomingMessage,
} from './protocol.ts';
import { checkPlanDeletions, inspectPlanUpdate, type PlanReferences } from './plan-check.ts';
import { actionLinks, linkChanges, type ActionLinkChange } from './plan-links.ts';
import { noPlanRights, type PlanRights } from '../members/access.ts';
import { planRefusalPrefix, planSchemaVersion } from '../../shared/plan.ts';
import { applyStates, ClientIdBindings, stampState } from './presence.ts';
import type { DocumentWriter } from './writer.ts';
import { Fanout } from './fanout.ts';
import type { Logger } from '../logger.ts';
import { CloseCode } from '../../shared/errors.ts';
import { presenceLimits } from '../../shared/limits.ts';
import type { AwarenessUser } from '../../shared/collab.ts';
import type { Editor, StoredRun } from '../history/attribution.runs.ts';
import { captureApplied, captureTransaction, markDeletes, stateOf, type EditCounts } from '../history/attribution.capture.ts';

/** The least a transport must offer; the room never sees `ws` or Express. */
export interface WebSocketLike {
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
}

/** Who is on the other end, for access checks that change while they are connected. */
export interface Principal {
  userId: string;
  sessionId: string;
  consultationId: string;
}

export class Connection {
  /** Awareness client ids this connection has published; removed when it leaves. */
  readonly awarenessIds = new Set<number>();
  /** Told once that an awareness state was too large; not again on every cursor move. */
  toldOversize = false;
  /** What this writer may do to the plan's blocks (shared/permissions.ts); changes live with `canWrite`. */
  planRights: PlanRights = noPlanRights;
  /** Whom this connection's edits are attributed to (membership and its group, refreshed with the identity); none, none recorded. */
  editor?: Editor;
  constructor(
    readonly socket: WebSocketLike,
    /** Changes live when a role, the phase or a lock changes. */
    public canWrite: boolean,
    readonly label: string,
    readonly principal?: Principal,
    /** What the others see beside this person's cursor, from the membership; change it with `Room.setIdentity`. */
    public identity?: AwarenessUser,
    /**
     * The document schema version the client declared when it connected
     * (`planSchemaVersion`), 0 when it declared none: such a client may not
     * delete plan blocks (its editor would delete what it cannot display).
     */
    readonly schemaVersion = 0,
  ) {}

  /** The account behind the connection: client ids are bound to it. */
  get account(): string {
    return this.principal?.userId ?? this.label;
  }
}

/**
 * Transaction origin of a change the server makes for someone (accepting a
 * proposal, restoring a version): relayed and stored like any edit, and
 * attributed to `editor`, the member who asked for it.
 */
export class EditedBy {
  constructor(
    readonly editor: Editor | null,
    readonly label: string,
  ) {}
}

/** Transaction origin of a room loading its own stored state: neither relayed nor stored again. */
export const LOAD = Symbol('load');
/** Transaction origin of a turn's typed updates, applied together: each is relayed and stored as it came. */
const RECEIVED = Symbol('received');

/** What a room starts from: the stored log as it is, not yet parsed. */
export interface StoredState {
  entries: Uint8Array[];
  stateVector: Map<number, number>;
}

/**
 * One loaded document and the people connected to it. Applies what writers
 * send, relays it to everyone else, hands it to the writer for storage, and
 * keeps awareness (cursors, names) in step.
 *
 * A room opens without parsing its stored log: newcomers are served the stored
 * bytes as they are, and the document is built only when someone writes (or
 * something reads it), so opening a large document for readers costs no more
 * than sending it.
 *
 * Typed updates that arrive together (one read from a socket holds many
 * keystrokes when typing is fast) are applied in one transaction at the end of
 * that read, then relayed and stored one by one. A transaction per keystroke
 * cost Yjs twice as much: its clean-up and events ran for every one.
 */
export class Room {
  readonly connections = new Set<Connection>();
  readonly awareness: awarenessProtocol.Awareness;
  readonly #fanout: Fanout;
  /** Which connection published each awareness client id: nobody may move someone else's cursor. */
  readonly #owners = new Map<number, Connection>();
  /** Which account each awareness client id belongs to, for the room's lifetime. */
  readonly #bindings: ClientIdBindings;
  /** Open connections per account. */
  readonly #perAccount = new Map<string, number>();
  #destroyed = false;
  /** Told of every attributed edit, once applied, with what it inserted and deleted (edit sessions in the audit log). */
  onEdited: ((editor: Editor, counts: EditCounts) => void) | null = null;
  /** Told when an account's last connection to this room has closed. */
  onLeft: ((conn: Connection) => void) | null = null;

  #unparsed: StoredState | null;
  /** Typed updates received and checked, not yet applied (until the end of the current read). */
  #incoming: { update: Uint8Array; conn: Connection; structs: DecodedStructs; ds: DecodedDeletions }[] = [];

  constructor(
    readonly docId: string,
    private readonly ydoc: Y.Doc,
    private readonly writer: DocumentWriter,
    private readonly logger: Logger,
    stored: StoredState | null = null,
    /** Whether the plan's links exist (SDG targets); without it only their format is checked. */
    private readonly planRefs: PlanReferences | null = null,
    /** Told, once applied, of every change to an action's links, with the connection that made it (the audit log). */
    private readonly onLinksChanged: ((conn: Connection, changes: ActionLinkChange[]) => void) | null = null,
  ) {
    this.#unparsed = stored && stored.entries.length > 0 ? stored : null;
    const doc = ydoc;
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    this.#bindings = new ClientIdBindings(presenceLimits.awarenessIdsPerAccount, (id) => this.awareness.states.has(id));
    this.#fanout = new Fanout(this.connections, this.awareness);
    doc.on('afterTransaction', this.#onTransaction);
    this.awareness.on('update', this.#onAwareness);
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** The document, built from the stored log on first use. */
  get doc(): Y.Doc {
    this.materialize();
    return this.ydoc;
  }

  get parsed(): boolean {
    return this.#unparsed === null;
  }

  /** Brings the document up to date: parses the stored log if need be, and applies what has been received. */
  materialize(): void {
    this.#parseStored();
    this.#applyIncoming();
  }

  #parseStored(): void {
    if (!this.#unparsed) return;
    const { entries } = this.#unparsed;
    this.#unparsed = null;
    this.ydoc.transact(() => {
      for (const entry of entries) Y.applyUpdate(this.ydoc, entry);
    }, LOAD);
  }

  #applyIncoming(): void {
    if (this.#incoming.length === 0 || this.#destroyed) return;
    const batch = this.#incoming;
    this.#incoming = [];
    this.#parseStored();
    const applied: typeof batch = [];
    const edits: [Editor, EditCounts][] = [];
    this.ydoc.transact((tr) => {
      for (const item of batch) {
        // Checked against the document as the updates before it in this batch left it.
        const links = this.#planValid(item.conn, item.structs, item.ds);
        if (links === null) continue;
        try {
          const editor = item.conn.editor;
          const before = editor && { state: stateOf(this.ydoc, item.structs), deletes: markDeletes(tr) };
          this.#applyAudited(item.conn, links, () => Y.applyUpdate(this.ydoc, item.update, item.conn));
          // What this update added to the document, and what it deleted, in its sender's name.
          if (editor && before) edits.push([editor, captureApplied(this.writer.attribute(editor), tr, item.structs, before.state, before.deletes)]);
          applied.push(item);
        } catch (err) {
          // A checked update should always apply; if one does not, its sender is dropped and nobody else gets it.
          this.logger.error({ err, docId: this.docId, conn: item.conn.label }, 'applying a Yjs update failed');
          item.conn.socket.close(CloseCode.badMessage, 'Message could not be applied');
        }
      }
    }, RECEIVED);
    for (const { update, conn } of applied) this.#changed(update, conn);
    for (const [editor, counts] of edits) this.onEdited?.(editor, counts);
  }

  /**
   * The document's snapshot now (state vector and delete set). A room that
   * has only been read is not built for it: its delete set is read from the
   * stored entries, which it still is exactly.
   */
  snapshot(): Y.Snapshot {
    if (!this.#unparsed || this.#incoming.length > 0) return Y.snapshot(this.doc);
    const { entries, stateVector } = this.#unparsed;
    return Y.createSnapshot(Y.mergeDeleteSets(entries.map((e) => Y.decodeUpdate(e).ds)), new Map(stateVector));
  }

  /** How many connections an account has open here. */
  connectionsOf(account: string): number {
    return this.#perAccount.get(account) ?? 0;
  }

  join(conn: Connection): void {
    if (this.connections.has(conn)) return;
    this.connections.add(conn);
    this.#perAccount.set(conn.account, this.connectionsOf(conn.account) + 1);
    const stateVector = this.#unparsed ? Y.encodeStateVector(this.#unparsed.stateVector) : Y.encodeStateVector(this.ydoc);
    conn.socket.send(encodeSyncStep1(stateVector));
    const others = [...this.awareness.getStates().keys()];
    if (others.length > 0) conn.socket.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, others)));
  }

  leave(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    const left = this.connectionsOf(conn.account) - 1;
    if (left > 0) this.#perAccount.set(conn.account, left);
    else {
      this.#perAccount.delete(conn.account);
      this.onLeft?.(conn);
    }
    if (conn.awarenessIds.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessIds], conn);
    for (const id of conn.awarenessIds) this.#owners.delete(id);
  }

  /** Handles one frame; a malformed one closes that connection and changes nothing. */
  receive(conn: Connection, frame: Uint8Array): void {
    let message: IncomingMessage;
    try {
      message = decodeMessage(frame);
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      this.logger.info({ docId: this.docId, conn: conn.label, reason: err.message }, 'refused a malformed Yjs message');
      conn.socket.close(CloseCode.badMessage, err.message);
      return;
    }
    try {
      this.#handle(conn, message);
    } catch (err) {
      // Validated input should never get here; if it does, drop that client rather than the server.
      this.logger.error({ err, docId: this.docId, conn: conn.label, type: message.type }, 'handling a Yjs message failed');
      conn.socket.close(CloseCode.badMessage, 'Message could not be applied');
    }
  }

  #handle(conn: Connection, message: IncomingMessage): void {
    // Whatever else a connection says is answered after the updates before it.
    if (message.type !== 'update') this.#applyIncoming();
    switch (message.type) {
      case 'sync-step-1':
        if (this.#unparsed) {
          // The stored bytes as they are: whatever the client already has, applying them again changes nothing.
          const [first, ...rest] = this.#unparsed.entries;
          conn.socket.send(encodeSyncStep2(first!));
          for (const entry of rest) conn.socket.send(encodeUpdate(entry));
        } else {
          conn.socket.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.ydoc, message.stateVector)));
        }
        return;
      case 'sync-step-2':
      case 'update':
        // A client's answer to our sync step 1 is usually empty: nothing to apply, nothing to parse.
        if (message.empty) return;
        if (!conn.canWrite) {
          conn.socket.send(encodePermissionDenied('read-only: your changes were not saved'));
          return;
        }
        if (message.type === 'update') {
          // A keystroke's update is relayed and stored as it came: asking Yjs to encode it again costs more than applying it.
          if (this.#incoming.push({ update: message.update, conn, structs: message.structs, ds: message.ds }) === 1) queueMicrotask(() => this.#applyIncoming());
        } else {
          // A reconnecting client's answer repeats much of what we have: only what it changed goes on.
          const links = this.#planValid(conn, message.structs, message.ds);
          if (links === null) return;
          this.ydoc.on('update', this.#changed);
          try {
            // Offline edits arrive here: their link changes are recorded now, as they reach the plan.
            this.#applyAudited(conn, links, () => Y.applyUpdate(this.doc, message.update, conn));
          } finally {
            this.ydoc.off('update', this.#changed);
          }
        }
        return;
      case 'awareness':
        this.#receiveAwareness(conn, message.entries);
        return;
      case 'query-awareness':
        conn.socket.send(
          encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()])),
        );
        return;
      default:
        exhaustive(message);
    }
  }

  /**
   * Whether an update leaves the plan's blocks valid (shared/plan.ts). One that
   * does not is neither applied, relayed nor stored, and its sender is told
   * in-band, on the channel read-only refusals use; the connection stays open.
   * A client that did not declare it understands plan blocks may not delete
   * any: that is what an outdated tab's editor does to blocks it cannot show.
   */
  #planValid(conn: Connection, structs: DecodedStructs, ds: DecodedDeletions): { links: boolean } | null {
    const outdated = conn.schemaVersion < planSchemaVersion ? checkPlanDeletions(ds, this.doc) : null;
    const inspection = outdated === null ? inspectPlanUpdate(structs, ds, this.doc, this.planRefs, conn.planRights) : null;
    const problem = outdated ?? inspection!.problem;
    if (problem === null) return { links: inspection!.links };
    this.logger.info({ docId: this.docId, conn: conn.label, reason: problem }, 'refused an invalid plan change');
    conn.socket.send(encodePermissionDenied(planRefusalPrefix + problem));
    return null;
  }

  /**
   * Applies a checked update; when it changes an action's links, compares
   * every action's links before and after (by action id, so a block moved by
   * rewriting it in place changes nothing) and reports what changed.
   */
  #applyAudited(conn: Connection, { links }: { links: boolean }, apply: () => void): void {
    if (!links || !this.onLinksChanged) return apply();
    const before = actionLinks(this.ydoc);
    apply();
    const changes = linkChanges(before, actionLinks(this.ydoc));
    if (changes.length > 0) this.onLinksChanged(conn, changes);
  }

  /**
   * Keeps and relays what may be kept of a connection's awareness update: not
   * a state over the size limit, nor one under a client id another account
   * used first in this room, nor the removal of a state this connection does
   * not hold. What is kept is stamped with the server's identity.
   */
  #receiveAwareness(conn: Connection, entries: readonly AwarenessEntry[]): void {
    const kept: AwarenessEntry[] = [];
    let oversize = false;
    /** States this message would add to the connection's: counted here, as they are applied only at the end. */
    let fresh = 0;
    for (const entry of entries) {
      const owner = this.#owners.get(entry.clientId);
      if (entry.oversize) {
        oversize = true;
        continue;
      }
      if (entry.state === null) {
        if (owner === conn) kept.push(entry);
        continue;
      }
      if (owner !== conn && conn.awarenessIds.size + fresh >= presenceLimits.awarenessStatesPerConnection) continue;
      if (!this.#bindings.claim(entry.clientId, conn.account)) continue;
      const state = stampState(entry.state, conn.identity);
      if (!state) continue;
      if (owner !== conn) fresh++;
      kept.push({ clientId: entry.clientId, clock: entry.clock, state });
    }
    if (oversize && !conn.toldOversize) {
      conn.toldOversize = true;
      conn.socket.send(encodePermissionDenied(`awareness state over ${presenceLimits.awarenessStateBytes} bytes: not shared`));
    }
    if (kept.length > 0) applyStates(this.awareness, kept, conn);
  }

  /**
   * Changes what the others see beside a connection's cursor (a new role,
   * group, name, or identities hidden): its states are stamped again under a
   * newer clock, so every label changes now rather than at the client's next
   * renewal.
   */
  setIdentity(conn: Connection, identity: AwarenessUser): void {
    conn.identity = identity;
    const entries: AwarenessEntry[] = [];
    for (const clientId of conn.awarenessIds) {
      const state = this.awareness.states.get(clientId);
      const meta = this.awareness.meta.get(clientId);
      if (state && meta) entries.push({ clientId, clock: meta.clock + 1, state: { ...state, user: identity } });
    }
    if (entries.length > 0) applyStates(this.awareness, entries, conn);
  }

  #changed = (update: Uint8Array, origin: unknown): void => {
    this.writer.schedule(update);
    this.#fanout.update(update, origin);
  };

  /**
   * Changes the server makes itself (accepting proposed wording) are rare:
   * what they changed is encoded from the state before them. Connections'
   * changes are stored and relayed where they are applied (a sync's are only
   * attributed here), and loading is neither relayed nor stored.
   */
  #onTransaction = (tr: Y.Transaction): void => {
    if (tr.origin === LOAD || tr.origin === RECEIVED) return;
    if (tr.deleteSet.clients.size === 0 && sameState(tr.beforeState, tr.afterState)) return;
    // A reconnecting client's sync (stored by the update handler that follows) or a change made for someone.
    const editor = tr.origin instanceof Connection ? tr.origin.editor : tr.origin instanceof EditedBy ? tr.origin.editor : null;
    if (editor) this.onEdited?.(editor, captureTransaction(this.writer.attribute(editor), tr));
    if (tr.origin instanceof Connection) return;
    this.#changed(Y.encodeStateAsUpdate(this.ydoc, Y.encodeStateVector(tr.beforeState)), tr.origin);
  };

  #onAwareness = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin instanceof Connection) {
      // A state belongs to the connection that last set it: the same person's new connection takes it over.
      for (const id of added.concat(updated)) {
        const previous = this.#owners.get(id);
        if (previous === origin) continue;
        previous?.awarenessIds.delete(id);
        origin.awarenessIds.add(id);
        this.#owners.set(id, origin);
      }
    }
    // Removed by its owner, by its owner leaving, or for silence (the awareness timeout).
    for (const id of removed) {
      this.#owners.get(id)?.awarenessIds.delete(id);
      this.#owners.delete(id);
    }
    this.#fanout.awarenessChanged(added.concat(updated, removed));
  };

  /** Who made the changes not yet stored (those received but not yet applied are applied first). */
  pendingAttribution(): StoredRun[] {
    this.#applyIncoming();
    return this.writer.pendingAttribution();
  }

  /** Writes everything pending and compacts the stored log now (tests and tools). */
  compact(): Promise<void> {
    this.#applyIncoming();
    return this.writer.compactNow();
  }

  /** Writes everything pending. */
  flush(): Promise<void> {
    this.#applyIncoming();
    return this.writer.flush();
  }

  closeAll(code: number, reason: string): void {
    this.#applyIncoming();
    this.#fanout.flushUpdates();
    for (const c of [...this.connections]) {
      this.leave(c);
      c.socket.close(code, reason);
    }
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.ydoc.off('afterTransaction', this.#onTransaction);
    this.awareness.off('update', this.#onAwareness);
    this.awareness.destroy();
    this.#fanout.dispose();
    this.writer.dispose();
    this.ydoc.destroy();
  }
}

function sameState(a: Map<number, number>, b: Map<number, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [client, clock] of b) if (a.get(client) !== clock) return false;
  return true;
}
