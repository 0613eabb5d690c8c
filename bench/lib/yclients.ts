/**
 * Runs one Yjs workload: spreads the simulated participants over generator
 * processes, connects them, types for a window, measures the server over the
 * window after warm-up, then checks every participant against the expected
 * state vector. Used by the plenary, many-rooms, knee and cold-load workloads.
 */
import { Child } from './ipc.ts';
import { now, sleep } from './clock.ts';
import { concat, summarize, type Summary } from './stats.ts';
import type { ProcMetrics } from './metrics.ts';
import type { ServerHandle } from './server-proc.ts';
import type { ClientSpec } from '../gen/sim-client.ts';

export interface Participant {
  room: string;
  typist: boolean;
  sampled: boolean;
}

export interface YjsRunSpec {
  label: string;
  server: ServerHandle;
  cookie: string;
  participants: Participant[];
  /** Updates per second per typist, and awareness updates per second per typist. */
  rate: number;
  awarenessRate: number;
  warmupMs: number;
  /** Upper bound of the typing window (warm-up included). */
  durationMs: number;
  procs: number;
  /** Runs after warm-up; typing stops when it resolves (or at durationMs). */
  during?: () => Promise<void>;
  drainTimeoutMs?: number;
  log: (line: string) => void;
}

export interface YjsRunResult {
  latency: Summary;
  awareness: Summary;
  /** Send times and latencies of every timed delivery (for filtering by window). */
  samples: { sendTimes: Float64Array; latencies: Float64Array };
  window: { from: number; to: number };
  sentPerSec: number;
  deliveredPerSec: number;
  lost: number;
  complete: number;
  clients: number;
  disconnected: number;
  identical: boolean;
  mirrors: number;
  server: ProcMetrics;
  generators: ProcMetrics[];
}

type Verified = {
  clients: number; complete: number; disconnected: number; lost: number; delivered: number; messages: number;
  mirrors: { room: string; ok: boolean; hash: string }[];
  sendTimes: Float64Array; latencies: Float64Array; awarenessLatencies: Float64Array; metrics: ProcMetrics;
};

export async function runYjsClients(spec: YjsRunSpec): Promise<YjsRunResult> {
  const { server, log } = spec;
  const gens = Array.from({ length: spec.procs }, (_, i) => Child.start('gen/yjs-clients.ts', { name: `gen-yjs-${i}` }));
  try {
    const specs: ClientSpec[][] = gens.map(() => []);
    spec.participants.forEach((p, i) =>
      specs[i % gens.length]!.push({ ...p, url: server.yjsUrl(p.room), clientId: 0x10000000 + i }),
    );
    await Promise.all(gens.map((g, i) => g.call('setup', { clients: specs[i], cookie: spec.cookie })));
    log(`${spec.label}: connecting ${spec.participants.length} clients over ${gens.length} processes`);
    const connected = await Promise.all(
      gens.map((g) => g.call<{ synced: number; failed: number; firstError?: string }>('connect', { concurrency: 25, timeoutMs: 60_000 }, 180_000)),
    );
    const failed = connected.reduce((n, c) => n + c.failed, 0);
    if (failed > 0) log(`${spec.label}: ${failed} clients did not sync (${connected.find((c) => c.firstError)?.firstError})`);

    const startAt = now() + 300;
    const typists = spec.participants.filter((p) => p.typist).length;
    log(`${spec.label}: ${typists} typing at ${spec.rate}/s${spec.awarenessRate ? ` + awareness ${spec.awarenessRate}/s` : ''}, up to ${spec.durationMs / 1000} s`);
    const typing = { startAt, warmupMs: spec.warmupMs, durationMs: spec.durationMs, rate: spec.rate, awarenessRate: spec.awarenessRate };
    const from = startAt + spec.warmupMs;
    // A fixed window is agreed with the server now, while it is idle (a loaded one reads IPC seconds late).
    if (!spec.during) await server.measureWindow(from, startAt + spec.durationMs);
    await Promise.all(gens.map((g) => g.call('start', typing)));
    if (spec.during) {
      await sleep(from - now());
      await server.measureStart();
      await spec.during();
      await Promise.all(gens.map((g) => g.call('stop')));
    }
    const finished = await Promise.all(
      gens.map((g) => g.call<{ typists: [string, number, number][]; sent: number }>('finish', undefined, spec.durationMs + 60_000)),
    );
    const to = spec.during ? now() : startAt + spec.durationMs;
    const serverMetrics = spec.during ? await server.measureStop() : await server.measureResult();

    const expected: Record<string, [number, number][]> = {};
    for (const f of finished) for (const [room, client, clock] of f.typists) (expected[room] ??= []).push([client, clock]);
    log(`${spec.label}: typing done, checking every client (up to ${(spec.drainTimeoutMs ?? 15_000) / 1000} s)`);
    const verified = await Promise.all(
      gens.map((g) => g.call<Verified>('verify', { expected, timeoutMs: spec.drainTimeoutMs ?? 15_000 }, 120_000)),
    );
    await Promise.all(gens.map((g) => g.call('close').catch(() => undefined)));

    const sendTimes = concat(verified.map((v) => v.sendTimes));
    const allLatencies = concat(verified.map((v) => v.latencies));
    const inWindow = allLatencies.filter((_, i) => sendTimes[i]! >= from && sendTimes[i]! <= to);
    const mirrors = verified.flatMap((v) => v.mirrors);
    const hashes = new Map<string, Set<string>>();
    for (const m of mirrors) (hashes.get(m.room) ?? hashes.set(m.room, new Set()).get(m.room)!).add(m.hash);
    const seconds = (to - from) / 1000;
    const sum = (f: (v: Verified) => number) => verified.reduce((n, v) => n + f(v), 0);
    return {
      latency: summarize(inWindow),
      awareness: summarize(concat(verified.map((v) => v.awarenessLatencies))),
      samples: { sendTimes, latencies: allLatencies },
      window: { from, to },
      sentPerSec: finished.reduce((n, f) => n + f.sent, 0) / ((to - startAt) / 1000),
      deliveredPerSec: sum((v) => v.delivered) / seconds,
      lost: Math.round(sum((v) => v.lost)),
      complete: sum((v) => v.complete),
      clients: sum((v) => v.clients),
      disconnected: sum((v) => v.disconnected),
      identical: sum((v) => v.complete) === spec.participants.length && mirrors.every((m) => m.ok) && [...hashes.values()].every((s) => s.size === 1),
      mirrors: mirrors.length,
      server: serverMetrics,
      generators: verified.map((v) => v.metrics),
    };
  } finally {
    await Promise.all(gens.map((g) => g.stop(5_000)));
  }
}
