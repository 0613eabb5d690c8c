import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../server/http/client.ts';
import { onCleanup } from './cleanup.ts';

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  wsUrl: string;
  output: () => string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}


/** Runs `server/main.ts` as `npm start` does, in its own process, on a free port. */
export function spawnServer(env: Record<string, string>, nodeArgs: readonly string[] = []): { child: ChildProcess; output: () => string; exited: ServerProcess['exited'] } {
  // One process, as `npm start` runs it: a signal reaches the server itself, not a wrapper around it.
  const child = spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, path.join(projectRoot, 'server', 'main.ts')], {
    cwd: projectRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', CLIENT_BUILD: 'skip', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return { child, output: () => out, exited };
}

/** `nodeArgs` go to node before the script, e.g. `--import` of a test fixture. */
export async function startServerProcess(env: Record<string, string>, nodeArgs: readonly string[] = []): Promise<ServerProcess> {
  const proc = spawnServer(env, nodeArgs);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${proc.output()}`)), 60_000);
    const onData = () => {
      const match = /"port":(\d+)/.exec(proc.output());
      if (match) {
        clearTimeout(timer);
        proc.child.stdout!.off('data', onData);
        resolve(Number(match[1]));
      }
    };
    proc.child.stdout!.on('data', onData);
    void proc.exited.then(() => reject(new Error(`server exited during start:\n${proc.output()}`)));
  });
  return { ...proc, port, url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}` };
}
