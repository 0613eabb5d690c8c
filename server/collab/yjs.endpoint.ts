import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { Connection, type Principal, type Room } from './room.ts';
import { corkedSender } from './cork.ts';
import { turnShare } from './turns.ts';
import { DocumentUnavailableError, type RoomRegistry } from './rooms.ts';
import { CloseCode } from '../../shared/errors.ts';
import { yjsPath } from '../../shared/collab.ts';
import { Id } from '../../shared/schemas.ts';
import type { Logger } from '../logger.ts';
import { hostileRequestLog, parseTarget, refuseUpgrade, targetForLog } from '../http/malformed.ts';
import { schemaParam } from '../../shared/plan.ts';
import { noPlanRights, type DocumentAccess, type Granted, type PlanRights } from '../members/access.ts';
import { equalityDeep } from 'lib0/function';
import type { AwarenessUser } from '../../shared/collab.ts';
import type { Editor } from '../history/attribution.runs.ts';

export interface YjsEndpointDeps {
  rooms: RoomRegistry;
  /** The person behind the upgrade request's session cookie, or null. */
  authenticate: (req: IncomingMessage) => Promise<{ userId: string; sessionId: string; expiresAt: string } | null>;
  documentAccess: (userId: string, docId: string) => Promise<{ access: DocumentAccess; consultationId?: string; granted?: Granted; plan?: PlanRights }>;
  originAllowed: (req: IncomingMessage) => boolean;
  /** What the others see beside a member's cursor, from the membership (null: not a member). */
  identity: (userId: string, granted: Granted) => Promise<AwarenessUser | null>;
  /** Connections one account may hold open to one document; the next is closed with `tooManyConnections`. */
  maxConnectionsPerAccount: number;
  /** How often every connection is pinged; one that has not answered the previous ping by then is dropped. */
  heartbeatMs: number;
  maxMessageBytes: number;
  /** What a connection may send, and how long it may take, before it is authenticated and its document loaded. */
  preReady: { messages: number; bytes: number; timeoutMs: number };
  /** Told when a member's last connection to a document closes (where they left it). */
  onLastLeft?: (room: Room, principal: Principal) => void;
  logger: Logger;
}


const toBytes = (data: RawData): Uint8Array =>
  Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;

/**
 * What an upgrade's target asks of this endpoint: the document id in
 * `/yjs/<id>` and the document schema version the client declares
 * (`?schema=1`; 0 when it declares none or something that is not a plain
 * number), `malformed` for a target under `/yjs/` that does not parse
 * (bad percent-encoding, `//`, backslashes), or null for any other path.
 * Never throws: it runs on every upgrade, before anyone signed in.
 */
export function documentIdFromUrl(url: string | undefined): { docId: string; schemaVersion: number } | 'malformed' | null {
  if (!url?.startsWith(`${yjsPath}/`)) return null;
  const parsed = parseTarget(url);
  if (!parsed) return 'malformed';
  const end = url.search(/[?#]/);
  return { docId: decodeURIComponent(url.slice(yjsPath.length + 1, end === -1 ? undefined : end)), schemaVersion: declaredSchema(parsed) };
}

/** The version a target's `schema` parameter declares: a plain decimal number, else 0 (understands no plan blocks). */
function declaredSchema(url: URL): number {
  const value = url.searchParams.get(schemaParam);
  return value !== null && /^[0-9]{1,6}$/.test(value) ? Number(value) : 0;
}

let nextLabel = 1;

/** Whom a connection's edits are attributed to: the membership, never anything the client says. */
const editorOf = ({ membership }: Granted): Editor => ({ membershipId: membership._id, group: membership.group });

/**
 * The y-websocket endpoint: upgrades `/yjs/<documentId>`, authenticates from
 * the session cookie, and hands frames to the document's room — read-only for
 * members who may not edit. Frames that arrive while the room loads are queued.
 */
export function attachYjsEndpoint(http: HttpServer, deps: YjsEndpointDeps) {
  const hostileLog = hostileRequestLog(deps.logger);
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxMessageBytes, perMessageDeflate: false });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = documentIdFromUrl(req.url);
    if (target === null) return; // not ours (Socket.IO handles its own path, guardHttpServer the rest)
    // The target was parsed once above; an upgrade also needs a Host, which the origin check reads.
    if (target === 'malformed' || !req.headers.host) {
      hostileLog({ kind: 'malformed-upgrade', target: targetForLog(req.url) }, 'refused a Yjs upgrade whose target does not parse');
      return refuseUpgrade(socket, 400);
    }
    wss.handleUpgrade(req, socket, head, (ws) => void serve(ws, req, target.docId, target.schemaVersion));
  };
  http.on('upgrade', onUpgrade);

  const limits = deps.preReady;

  async function serve(ws: WebSocket, req: IncomingMessage, docId: string, schemaVersion: number): Promise<void> {
    const queue: Uint8Array[] = [];
    let queuedBytes = 0;
    let room: Room | undefined;
    let conn: Connection | undefined;
    let closed = false;
    let expiry: NodeJS.Timeout | undefined;
    const notReady = setTimeout(() => ws.close(CloseCode.documentUnavailable, 'The document took too long to open'), limits.timeoutMs);

    // A connection whose network vanished sends no close, and would count against its account's cap until TCP
    // gave up (never, in a quiet document): an honest person switching networks a few times would be locked out.
    let answered = true;
    ws.on('pong', () => (answered = true));
    const heartbeat = setInterval(() => {
      if (!answered) return ws.terminate();
      answered = false;
      ws.ping();
    }, deps.heartbeatMs);
    heartbeat.unref();
    const counted = turnShare(ws);
    ws.on('message', (data) => {
      counted();
      if (room && conn) return room.receive(conn, toBytes(data));
      // Until the person is known and the document loaded, hold only a little: nobody gets to fill memory first.
      const bytes = toBytes(data);
      queuedBytes += bytes.byteLength;
      if (queue.length >= limits.messages || queuedBytes > limits.bytes) {
        queue.length = 0;
        return ws.close(CloseCode.policyViolation, 'Too much sent before the connection was ready');
      }
      queue.push(bytes);
    });
    ws.on('error', (err) => deps.logger.debug({ err, docId }, 'yjs socket error'));
    ws.on('close', () => {
      closed = true;
      clearInterval(heartbeat);
      clearTimeout(notReady);
      clearTimeout(expiry);
      if (room && conn) {
        room.leave(conn);
        if (conn.principal && room.connectionsOf(conn.account) === 0) deps.onLastLeft?.(room, conn.principal);
        deps.rooms.release(room);
      }
    });

    let acquired: Room;
    let principal: Principal;
    let canWrite: boolean;
    let planRights: PlanRights;
    let identity: AwarenessUser | null;
    let granted: Granted;
    try {
      if (!deps.originAllowed(req)) return ws.close(CloseCode.forbidden, 'Connections from other sites are not accepted');
      const who = await deps.authenticate(req);
      if (!who) return ws.close(CloseCode.unauthorized, 'Sign in first');
      // Unknown documents and other consultations' documents look the same: their existence is private.
      const checked = Id.safeParse(docId).success ? await deps.documentAccess(who.userId, docId) : { access: 'none' as const };
      const { access, consultationId, plan } = checked;
      if (access === 'none' || !consultationId || !checked.granted) return ws.close(CloseCode.documentNotFound, 'Document not found');
      granted = checked.granted;
      principal = { userId: who.userId, sessionId: who.sessionId, consultationId };
      canWrite = access === 'write';
      planRights = canWrite ? (plan ?? noPlanRights) : noPlanRights;
      identity = await deps.identity(who.userId, granted);
      if (!identity) return ws.close(CloseCode.documentNotFound, 'Document not found');
      expiry = setTimeout(() => ws.close(CloseCode.unauthorized, 'Session expired'), Math.min(Date.parse(who.expiresAt) - Date.now(), 2 ** 31 - 1));
      acquired = await deps.rooms.acquire(docId);
    } catch (err) {
      if (!(err instanceof DocumentUnavailableError)) deps.logger.error({ err, docId }, 'opening a room failed');
      return ws.close(CloseCode.documentUnavailable, 'Document unavailable, try again later');
    }
    clearTimeout(notReady);
    if (closed) return deps.rooms.release(acquired);
    // Counted and joined in the same turn: connections arriving together cannot all slip under the limit.
    if (acquired.connectionsOf(principal.userId) >= deps.maxConnectionsPerAccount) {
      deps.rooms.release(acquired);
      return ws.close(CloseCode.tooManyConnections, `At most ${deps.maxConnectionsPerAccount} connections per person to a document`);
    }
    room = acquired;
    conn = new Connection({ send: corkedSender(ws), close: (c, r) => ws.close(c, r) }, canWrite, `c${nextLabel++}`, principal, identity, schemaVersion);
    conn.planRights = planRights;
    conn.editor = editorOf(granted);
    room.join(conn);
    for (const frame of queue.splice(0)) room.receive(conn, frame);
  }

  function* connections(match: (p: Principal) => boolean): Generator<[Room, Connection]> {
    for (const room of deps.rooms.loaded()) {
      for (const conn of room.connections) if (conn.principal && match(conn.principal)) yield [room, conn];
    }
  }

  return {
    wss,
    /**
     * Re-checks live connections after a role, phase, lock, privacy or
     * membership change; closes those that lost access, and updates what the
     * others see beside the cursors of those that kept it.
     */
    async refreshAccess(match: (p: Principal) => boolean): Promise<void> {
      for (const [room, conn] of [...connections(match)]) {
        const { userId } = conn.principal!;
        const { access, granted, plan } = await deps
          .documentAccess(userId, room.docId)
          .catch(() => ({ access: 'none' as const, granted: undefined, plan: undefined }));
        if (access === 'none' || !granted) {
          conn.socket.close(CloseCode.forbidden, 'You no longer have access to this document');
          continue;
        }
        conn.canWrite = access === 'write';
        conn.planRights = conn.canWrite ? (plan ?? noPlanRights) : noPlanRights;
        // A member moved to another group: their edits from now on count for it.
        conn.editor = editorOf(granted);
        const identity = await deps.identity(userId, granted).catch(() => null);
        if (identity && !room.destroyed && !equalityDeep(identity, conn.identity)) room.setIdentity(conn, identity);
      }
    },
    /** Closes every connection of an ended session. */
    endSession(sessionId: string): void {
      for (const [, conn] of [...connections((p) => p.sessionId === sessionId)]) conn.socket.close(CloseCode.unauthorized, 'Signed out');
    },
    close(): void {
      http.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
