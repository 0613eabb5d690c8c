import { Writable } from 'node:stream';
import { pino } from 'pino';

export interface LoggedLine {
  level: number;
  msg: string;
  suppressed?: number;
}

/** A logger that keeps every line it writes, parsed, so a test can check what reached which level. */
export function capturingLogger() {
  const lines: LoggedLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as LoggedLine);
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}
