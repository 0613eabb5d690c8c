/** Starts a server under test in its own process and talks to it over IPC. */
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Child, resultsDir } from './ipc.ts';
import { now } from './clock.ts';
import type { ProcMetrics } from './metrics.ts';

export type ServerKind = 'convene' | 'baseline' | 'socketio';

export interface ServerOptions {
  /** Convene only: reuse this data directory (kept afterwards) instead of a fresh temporary one. */
  dataDir?: string;
  /** Convene only: overrides of `testConfig()`. */
  config?: Record<string, unknown>;
  /** Write a V8 CPU profile to bench/results/profiles/ when the server exits. */
  profile?: boolean;
  name?: string;
}

export class ServerHandle {
  constructor(
    readonly kind: ServerKind,
    readonly child: Child,
    readonly port: number,
    readonly dataDir: string | undefined,
    private readonly ownsDir: boolean,
  ) {}

  get httpUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Where a client opens a document or room: Convene's `/yjs/<id>`, or the relay's `/<room>`. */
  yjsUrl(doc: string): string {
    return `ws://127.0.0.1:${this.port}${this.kind === 'convene' ? '/yjs' : ''}/${encodeURIComponent(doc)}`;
  }

  // The same window read from /proc by this (idle) process, in case the server cannot answer.
  #proc = { from: { cpuMs: 0, at: 0 }, to: { cpuMs: NaN, at: NaN } };
  readonly #procAt = () => ({ cpuMs: procCpuMs(this.child.proc.pid!), at: now() });

  /** Starts measuring now (call while the server is idle: a busy one reads IPC late). */
  async measureStart(): Promise<void> {
    this.#proc = { from: this.#procAt(), to: { cpuMs: NaN, at: NaN } };
    await this.child.call('measure-start', undefined, 15_000).catch(() => undefined);
  }

  async measureStop(): Promise<ProcMetrics> {
    this.#proc.to = this.#procAt();
    return this.child.call<ProcMetrics>('measure-stop', undefined, 15_000).catch(() => this.#fromProc());
  }

  /** Agrees a future window [from, to] (monotonic ms) while the server is idle; its figures come from measureResult(). */
  async measureWindow(from: number, to: number): Promise<void> {
    setTimeout(() => (this.#proc.from = this.#procAt()), from - now());
    setTimeout(() => (this.#proc.to = this.#procAt()), to - now());
    await this.child.call('measure-window', { from, to }, 15_000);
  }

  async measureResult(): Promise<ProcMetrics> {
    return this.child.call<ProcMetrics>('measure-result', undefined, 20_000).catch(() => this.#fromProc());
  }

  /** A server whose event loop is stuck cannot answer: CPU and peak RSS from /proc, lag unknown. */
  #fromProc(): ProcMetrics {
    const to = Number.isNaN(this.#proc.to.at) ? this.#procAt() : this.#proc.to;
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.child.proc.pid}/status`, 'utf8'))?.[1];
    return {
      cpuPct: (100 * (to.cpuMs - this.#proc.from.cpuMs)) / (to.at - this.#proc.from.at),
      peakRssMb: Number(hwm) / 1024,
      lagP50Ms: NaN,
      lagP99Ms: NaN,
      lagMaxMs: NaN,
      unresponsive: true,
    };
  }

  /**
   * SIGTERM (Convene then writes everything and closes its store), then
   * removes a temporary data dir — after `beforeRemove` has looked at it.
   */
  async stop(options: { beforeRemove?: (dir: string) => Promise<void>; graceMs?: number } = {}): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.child.stop(options.graceMs ?? 20_000);
    if (this.dataDir) await options.beforeRemove?.(this.dataDir);
    if (this.ownsDir && this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
  }

  #stopped = false;
}

/** User + system CPU time of a process, from /proc (clock ticks of 10 ms on Linux). */
function procCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

export async function startServer(kind: ServerKind, options: ServerOptions = {}): Promise<ServerHandle> {
  let dataDir = options.dataDir;
  const ownsDir = kind === 'convene' && !dataDir;
  if (ownsDir) dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-bench-'));
  const args = kind === 'convene' ? [dataDir!, JSON.stringify(options.config ?? {})] : [];
  const execArgv = options.profile ? ['--cpu-prof', '--cpu-prof-dir', path.join(resultsDir, 'profiles')] : [];
  const child = Child.start(`servers/${kind}.ts`, { name: options.name ?? `server-${kind}`, args, execArgv });
  const { port } = await child.once<{ port: number }>('ready', 60_000);
  return new ServerHandle(kind, child, port, dataDir, ownsDir);
}
