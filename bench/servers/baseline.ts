/**
 * The bare relay Convene is compared with: `@y/websocket-server`'s
 * `setupWSConnection` on a plain `ws` server. No auth, no persistence, any
 * room name (`ws://host:port/<room>`). Same IPC metrics as the Convene child.
 */
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';
import { serveBareServer } from '../lib/metrics.ts';

const server = http.createServer((_req, res) => res.end('baseline relay'));
const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (conn) => {
    const docName = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    setupWSConnection(conn, req, { docName, gc: true });
  });
});
await serveBareServer(server);
