/**
 * b (and the knee sweep of f): one document, N participants, N/10 of them
 * typing 2 updates/s with a cursor update 1/s; 20 non-typing receivers
 * decode and time every update, the rest count and check.
 */
import { startServer, type ServerKind } from '../lib/server-proc.ts';
import { ConveneApi } from '../lib/convene-api.ts';
import { runYjsClients, type Participant, type YjsRunResult } from '../lib/yclients.ts';

export interface PlenaryOptions {
  n: number;
  durationMs: number;
  warmupMs: number;
  procs: number;
  profile: boolean;
  log: (line: string) => void;
}

export const SAMPLED_RECEIVERS = 20;

export function plenaryParticipants(n: number, room: string): Participant[] {
  const typists = Math.max(1, Math.round(n / 10));
  const step = Math.max(1, Math.floor((n - typists) / SAMPLED_RECEIVERS));
  return Array.from({ length: n }, (_, i) => ({
    room,
    typist: i < typists,
    sampled: i >= typists && (i - typists) % step === 0 && (i - typists) / step < SAMPLED_RECEIVERS,
  }));
}

export async function plenary(kind: ServerKind, o: PlenaryOptions): Promise<YjsRunResult> {
  const server = await startServer(kind, { profile: o.profile, name: `server-${kind}-plenary-${o.n}` });
  try {
    let room = 'plenary';
    let cookie = '';
    if (kind === 'convene') {
      const api = new ConveneApi(server.httpUrl);
      await api.signIn();
      room = await api.document(await api.consultation(), 'Plenary draft');
      cookie = api.cookie;
    }
    return await runYjsClients({
      label: `${kind} plenary N=${o.n}`,
      server,
      cookie,
      participants: plenaryParticipants(o.n, room),
      rate: 2,
      awarenessRate: 1,
      warmupMs: o.warmupMs,
      durationMs: o.warmupMs + o.durationMs,
      procs: o.procs,
      log: o.log,
    });
  } finally {
    await server.stop();
  }
}
