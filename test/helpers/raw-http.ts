import net from 'node:net';

export interface RawResponse {
  /** The status of the first response line, or null if none came. */
  status: number | null;
  /** Everything received. */
  text: string;
  /** The server closed the connection (or it was a 101, which the client then closed). */
  closed: boolean;
}

/**
 * Writes bytes to the server over a bare TCP socket, as an attacker would,
 * and reads until the server closes the connection. A 101 is answered by
 * closing from this side. `hangMs` only keeps a broken server from stalling
 * the suite: a socket still open then is reported with `closed: false`.
 */
export function rawRequest(port: number, data: string | Buffer, hangMs = 20_000): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: match ? Number(match[1]) : null, text, closed });
    };
    const timer = setTimeout(() => finish(false), hangMs);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (/^HTTP\/1\.1 101 /.test(text) && text.includes('\r\n\r\n')) finish(true);
    });
    // The server may hang up while a huge request is still being written: what it answered first still counts.
    socket.on('error', () => undefined);
    socket.on('close', () => finish(true));
    socket.write(data);
  });
}

/** The parts of an HTTP/1.1 request, joined as written: no client library cleans anything up. */
export function rawHttp(method: string, target: string, headers: readonly (readonly [string, string])[]): string {
  return `${method} ${target} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}

/** Headers of a WebSocket upgrade that `ws` and Engine.IO would accept, target aside. */
export const upgradeHeaders: readonly (readonly [string, string])[] = [
  ['Connection', 'Upgrade'],
  ['Upgrade', 'websocket'],
  ['Sec-WebSocket-Version', '13'],
  ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
];
