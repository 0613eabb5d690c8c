/**
 * c: many small rooms. `rooms` documents of `size` participants, every one
 * typing `rate` updates/s (no awareness). Two participants in each of the
 * first ten rooms decode and time; everyone is checked at the end.
 */
import { startServer, type ServerKind } from '../lib/server-proc.ts';
import { ConveneApi } from '../lib/convene-api.ts';
import { runYjsClients, type YjsRunResult } from '../lib/yclients.ts';

export interface RoomsOptions {
  rooms: number;
  size: number;
  rate: number;
  durationMs: number;
  warmupMs: number;
  procs: number;
  profile: boolean;
  log: (line: string) => void;
}

export async function manyRooms(kind: ServerKind, o: RoomsOptions): Promise<YjsRunResult> {
  const server = await startServer(kind, { profile: o.profile, name: `server-${kind}-rooms` });
  try {
    let names = Array.from({ length: o.rooms }, (_, i) => `room-${i}`);
    let cookie = '';
    if (kind === 'convene') {
      const api = new ConveneApi(server.httpUrl);
      await api.signIn();
      o.log(`${kind} rooms: creating ${o.rooms} documents through the REST API`);
      names = await api.documents(await api.consultation(), o.rooms);
      cookie = api.cookie;
    }
    const participants = names.flatMap((room, r) =>
      Array.from({ length: o.size }, (_, j) => ({ room, typist: true, sampled: r < 10 && j < 2 })),
    );
    return await runYjsClients({
      label: `${kind} rooms ${o.rooms}×${o.size}`,
      server,
      cookie,
      participants,
      rate: o.rate,
      awarenessRate: 0,
      warmupMs: o.warmupMs,
      durationMs: o.warmupMs + o.durationMs,
      procs: o.procs,
      log: o.log,
    });
  } finally {
    await server.stop();
  }
}
