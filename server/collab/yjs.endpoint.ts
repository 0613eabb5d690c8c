import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { Connection, type Room } from './room.ts';
import { DocumentUnavailableError, type RoomRegistry } from './rooms.ts';
import { CloseCode } from '../../shared/errors.ts';
import { yjsPath } from '../../shared/collab.ts';
import { Id } from '../../shared/schemas.ts';
import type { Logger } from '../logger.ts';

export interface YjsEndpointDeps {
  rooms: RoomRegistry;
  documentExists: (id: string) => Promise<boolean>;
  maxMessageBytes: number;
  logger: Logger;
}

const toBytes = (data: RawData): Uint8Array =>
  Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;

/** The document id in `/yjs/<id>`, or null for any other path. */
export function documentIdFromUrl(url: string | undefined): string | null {
  const path = new URL(url ?? '/', 'http://x').pathname;
  if (!path.startsWith(`${yjsPath}/`)) return null;
  return decodeURIComponent(path.slice(yjsPath.length + 1));
}

let nextLabel = 1;

/**
 * The y-websocket endpoint: upgrades `/yjs/<documentId>`, then hands frames to
 * the document's room. Frames that arrive while the room loads are queued.
 */
export function attachYjsEndpoint(http: HttpServer, deps: YjsEndpointDeps) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxMessageBytes, perMessageDeflate: false });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const docId = documentIdFromUrl(req.url);
    if (docId === null) return; // not ours (Socket.IO handles its own path)
    wss.handleUpgrade(req, socket, head, (ws) => void serve(ws, docId));
  };
  http.on('upgrade', onUpgrade);

  async function serve(ws: WebSocket, docId: string): Promise<void> {
    const queue: Uint8Array[] = [];
    let room: Room | undefined;
    let closed = false;
    const conn = new Connection({ send: (d) => ws.send(d), close: (c, r) => ws.close(c, r) }, true, `c${nextLabel++}`);

    ws.on('message', (data) => {
      if (room) room.receive(conn, toBytes(data));
      else queue.push(toBytes(data));
    });
    ws.on('error', (err) => deps.logger.debug({ err, docId }, 'yjs socket error'));
    ws.on('close', () => {
      closed = true;
      if (room) {
        room.leave(conn);
        deps.rooms.release(room);
      }
    });

    let acquired: Room;
    try {
      if (!Id.safeParse(docId).success || !(await deps.documentExists(docId))) {
        ws.close(CloseCode.documentNotFound, 'Document not found');
        return;
      }
      acquired = await deps.rooms.acquire(docId);
    } catch (err) {
      if (!(err instanceof DocumentUnavailableError)) deps.logger.error({ err, docId }, 'opening a room failed');
      ws.close(CloseCode.documentUnavailable, 'Document unavailable, try again later');
      return;
    }
    if (closed) {
      deps.rooms.release(acquired);
      return;
    }
    room = acquired;
    room.join(conn);
    for (const frame of queue.splice(0)) room.receive(conn, frame);
  }

  return {
    wss,
    close(): void {
      http.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
