import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tracesDir, type Trace } from '../bench/lib/trace.ts';
import { sdgDataDir } from '../server/sdg/sdg.service.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const inside = (p: string) => !path.relative(root, p).startsWith('..') && !path.isAbsolute(path.relative(root, p));

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['node_modules', 'results', 'dist'].includes(entry.name)) yield* sources(full);
    } else if (/\.(ts|js|mjs|cjs|json|svelte)$/.test(entry.name)) yield full;
  }
}

/**
 * A fresh clone must run its server, tests and benchmark with nothing beside
 * it: no file reaches out of the repository for data.
 */
describe('the repository is self-contained', () => {
  it('ships the editing trace the benchmark replays, inside the repository', () => {
    const file = path.join(tracesDir, 'automerge-paper.json.gz');
    expect(inside(file), file).toBe(true);
    expect(existsSync(file), file).toBe(true);
    expect(existsSync(path.join(tracesDir, 'README.md')), 'its licence and attribution').toBe(true);
    const trace = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as Trace;
    expect(trace.endContent).toHaveLength(104_852);
    expect(trace.txns.length).toBeGreaterThan(100_000);
  });

  it('has no path in bench/, test/, server/ or shared/ that leads outside the repository', () => {
    // Spelled in pieces so this file does not match itself.
    const markers = [['shared', 'data'].join('/'), ['', 'work', ''].join('/'), ['editing-traces', ''].join('/')];
    const offenders: string[] = [];
    for (const dir of ['bench', 'test', 'server', 'shared']) {
      for (const file of sources(path.join(root, dir))) {
        const text = readFileSync(file, 'utf8');
        const where = path.relative(root, file);
        for (const marker of markers) if (text.includes(marker)) offenders.push(`${where}: mentions ${marker}`);
        // Relative paths in string literals (imports, new URL(…, import.meta.url), path.join(dirname, …)).
        for (const [, rel] of text.matchAll(/['"`]((?:\.\.?\/)+[^'"`\s$]*)['"`]/g))
          if (!inside(path.resolve(path.dirname(file), rel!))) offenders.push(`${where}: ${rel} leads outside`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('ships the SDG goals and targets the server loads, inside the repository, with their licence', () => {
    expect(inside(sdgDataDir), sdgDataDir).toBe(true);
    for (const file of ['LICENSE', 'README.md', 'en.json', 'zh-Hans.json']) expect(existsSync(path.join(sdgDataDir, file)), file).toBe(true);
  });
});
