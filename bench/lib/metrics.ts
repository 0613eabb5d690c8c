/**
 * What a process measures about itself over a phase: CPU (% of one core),
 * peak RSS and event-loop lag. Servers and load generators both use it, so
 * the report can show whether the generators, not the server, were the limit.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { now } from './clock.ts';
import { notify, serve } from './ipc.ts';

export interface ProcMetrics {
  cpuPct: number;
  peakRssMb: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  /** Set when the server could not answer (its figures then come from /proc, without lag). */
  unresponsive?: boolean;
}

const resolutionMs = 5;

export class SelfMetrics {
  readonly #eld = monitorEventLoopDelay({ resolution: resolutionMs });
  #cpu = process.cpuUsage();
  #t0 = process.hrtime.bigint();
  #peakRss = 0;
  #sampler: NodeJS.Timeout | undefined;
  #result: Promise<ProcMetrics> | undefined;

  start(): void {
    this.#eld.reset();
    this.#eld.enable();
    this.#cpu = process.cpuUsage();
    this.#t0 = process.hrtime.bigint();
    this.#peakRss = process.memoryUsage.rss();
    clearInterval(this.#sampler);
    this.#sampler = setInterval(() => (this.#peakRss = Math.max(this.#peakRss, process.memoryUsage.rss())), 100);
    this.#sampler.unref();
  }

  stop(): ProcMetrics {
    clearInterval(this.#sampler);
    this.#eld.disable();
    const cpu = process.cpuUsage(this.#cpu);
    const elapsedUs = Number(process.hrtime.bigint() - this.#t0) / 1000;
    // A fresh process serves one workload, so its lifetime peak (maxRSS, KiB) counts too: 100 ms samples miss spikes.
    this.#peakRss = Math.max(this.#peakRss, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
    // The histogram holds the whole interval between timer checks; the lag is what exceeds the resolution.
    const lag = (ns: number) => Math.max(0, ns / 1e6 - resolutionMs);
    const has = this.#eld.count > 0;
    return {
      cpuPct: (100 * (cpu.user + cpu.system)) / elapsedUs,
      peakRssMb: this.#peakRss / 2 ** 20,
      lagP50Ms: has ? lag(this.#eld.percentile(50)) : 0,
      lagP99Ms: has ? lag(this.#eld.percentile(99)) : 0,
      lagMaxMs: has ? lag(this.#eld.max) : 0,
    };
  }

  /**
   * Measures over [from, to] (monotonic ms) on timers. A busy server may take
   * seconds to read an IPC message, so the window is agreed while it is idle.
   */
  window(from: number, to: number): void {
    this.#result = new Promise((resolve) => {
      setTimeout(() => {
        this.start();
        setTimeout(() => resolve(this.stop()), Math.max(0, to - now()));
      }, Math.max(0, from - now()));
    });
  }

  /** Handlers every measured child offers over IPC. */
  handlers() {
    return {
      'measure-start': () => this.start(),
      'measure-stop': () => this.stop(),
      'measure-window': ({ from, to }: { from: number; to: number }) => this.window(from, to),
      'measure-result': () => this.#result ?? Promise.reject(new Error('no measure-window was set')),
    };
  }
}

/**
 * Runs a bare comparison server as the orchestrator expects: listening on a
 * random local port, measuring itself on request, gone on SIGTERM (it has
 * nothing to write), and reporting its port once ready.
 */
export async function serveBareServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serve(new SelfMetrics().handlers());
  process.on('SIGTERM', () => process.exit(0));
  notify('ready', { port: (server.address() as AddressInfo).port });
}
