/**
 * The bare relay Convene is compared with: `@y/websocket-server`'s
 * `setupWSConnection` on a plain `ws` server. No auth, no persistence, any
 * room name (`ws://host:port/<room>`). Same IPC metrics as the Convene child.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';
import { serve, notify } from '../lib/ipc.ts';
import { SelfMetrics } from '../lib/metrics.ts';

const server = http.createServer((_req, res) => res.end('baseline relay'));
const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (conn) => {
    const docName = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    setupWSConnection(conn, req, { docName, gc: true });
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

const metrics = new SelfMetrics();
serve({
  ...metrics.handlers(),
});
process.on('SIGTERM', () => process.exit(0));
notify('ready', { port: (server.address() as AddressInfo).port });
