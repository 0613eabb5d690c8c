/**
 * A small request/response layer over the IPC channel of `child_process.fork`.
 * Servers and load generators are children; the orchestrator calls methods on
 * them and every call has a timeout, so nothing can hang the run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { openSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Handler = (params: any) => unknown;
interface Reply { id: number; result?: unknown; error?: string }
interface Event { event: string; data?: unknown }

export const benchDir = fileURLToPath(new URL('..', import.meta.url));
export const resultsDir = path.join(benchDir, 'results');

/** Child side: answers the parent's calls; exits when the parent goes away. */
export function serve(handlers: Record<string, Handler>): void {
  process.on('message', (m: { id: number; method: string; params: unknown }) => {
    void (async () => {
      try {
        const handler = handlers[m.method];
        if (!handler) throw new Error(`unknown method ${m.method}`);
        process.send!({ id: m.id, result: await handler(m.params) } satisfies Reply);
      } catch (err) {
        process.send!({ id: m.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies Reply);
      }
    })();
  });
  process.on('disconnect', () => process.exit(0));
}

export function notify(event: string, data?: unknown): void {
  process.send?.({ event, data } satisfies Event);
}

const live = new Set<ChildProcess>();
const killAll = () => {
  for (const c of live) c.kill('SIGKILL');
};
process.on('exit', killAll);

/** Parent side: one forked child (run through tsx) with typed calls. */
export class Child {
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #listeners = new Map<string, (data: unknown) => void>();
  #next = 1;
  readonly exited: Promise<number | null>;

  private constructor(readonly name: string, readonly proc: ChildProcess) {
    live.add(proc);
    proc.on('message', (m: Reply | Event) => {
      if ('event' in m) return this.#listeners.get(m.event)?.(m.data);
      const p = this.#pending.get(m.id);
      this.#pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(`${name}: ${m.error}`));
      else p?.resolve(m.result);
    });
    this.exited = new Promise((resolve) =>
      proc.once('exit', (code) => {
        live.delete(proc);
        for (const p of this.#pending.values()) p.reject(new Error(`${name} exited (code ${code})`));
        this.#pending.clear();
        resolve(code);
      }),
    );
  }

  /** Forks `bench/<script>`; its stdout and stderr go to bench/results/logs/<name>.log. */
  static start(script: string, options: { name?: string; args?: string[]; execArgv?: string[] } = {}): Child {
    const name = options.name ?? path.basename(script, '.ts');
    mkdirSync(path.join(resultsDir, 'logs'), { recursive: true });
    const log = openSync(path.join(resultsDir, 'logs', `${name}.log`), 'a');
    const proc = fork(path.join(benchDir, script), options.args ?? [], {
      execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
      stdio: ['ignore', log, log, 'ipc'],
      serialization: 'advanced',
    });
    return new Child(name, proc);
  }

  call<T>(method: string, params?: unknown, timeoutMs = 60_000): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${this.name}.${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.proc.send({ id, method, params });
    });
  }

  /** Resolves with the first `event` the child notifies. */
  once<T>(event: string, timeoutMs = 60_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no ${event} within ${timeoutMs} ms`)), timeoutMs);
      void this.exited.then((code) => reject(new Error(`${this.name} exited (code ${code}) before ${event}`)));
      this.#listeners.set(event, (data) => (clearTimeout(timer), resolve(data as T)));
    });
  }

  /** Asks the child to end (SIGTERM), and kills it if it has not within `graceMs`. */
  async stop(graceMs = 20_000): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
