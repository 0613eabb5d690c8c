import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync, constants } from 'node:zlib';

/**
 * The JavaScript a page needs before its text shows, read from Vite's
 * manifest (`build.manifest`): the app's entry and the page's chunk, with
 * every chunk they import statically. What they import dynamically (the
 * editor, Socket.IO's client, the other languages) comes later and is not
 * counted, except the largest language catalogue: a reader whose language is
 * not English waits for theirs before the first render.
 */

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

/** The budget of the issue: the document page readable from this much gzipped JavaScript. */
export const firstViewBudgetBytes = 150 * 1024;

export interface FirstView {
  /** Files (relative to the build's folder) with their gzipped sizes. */
  scripts: { file: string; gzip: number }[];
  styles: { file: string; gzip: number }[];
  /** The largest catalogue of a language other than English, counted in `total`. */
  catalogue: { file: string; gzip: number } | null;
  /** Every script gzipped, plus that catalogue. */
  total: number;
  /** Source modules (from the source maps) of the counted scripts. */
  sources: string[];
}

const gzipSize = (file: string) => gzipSync(readFileSync(file), { level: constants.Z_BEST_COMPRESSION }).length;

export function readManifest(dist: string): Manifest {
  const file = path.join(dist, '.vite', 'manifest.json');
  if (!existsSync(file)) throw new Error(`no Vite manifest at ${file}: build the client with build.manifest on`);
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

/** `page`: the manifest key of the page's chunk (its source path under client/, e.g. `src/pages/DocumentPage.svelte`). */
export function firstView(dist: string, page: string): FirstView {
  const manifest = readManifest(dist);
  const entry = Object.entries(manifest).find(([, c]) => c.isEntry)?.[0];
  if (!entry) throw new Error('the manifest has no entry');
  if (!manifest[page]) throw new Error(`the manifest has no chunk for ${page}`);
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const next of manifest[key]?.imports ?? []) visit(next);
  };
  visit(entry);
  visit(page);
  const chunks = [...seen].map((key) => manifest[key]!);
  const scripts = chunks.map((c) => ({ file: c.file, gzip: gzipSize(path.join(dist, c.file)) }));
  const styles = [...new Set(chunks.flatMap((c) => c.css ?? []))].map((file) => ({ file, gzip: gzipSize(path.join(dist, file)) }));
  const catalogues = Object.entries(manifest)
    .filter(([key, c]) => c.isDynamicEntry && /\/i18n\/(.*\/)?(ar|es|fr|ru|zh)\.\w+$/.test(key))
    .map(([, c]) => ({ file: c.file, gzip: gzipSize(path.join(dist, c.file)) }))
    .sort((a, b) => b.gzip - a.gzip);
  const catalogue = catalogues[0] ?? null;
  const sources = new Set<string>();
  for (const { file } of scripts) {
    const map = path.join(dist, `${file}.map`);
    if (!existsSync(map)) continue;
    for (const source of (JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }).sources) sources.add(source);
  }
  const total = scripts.reduce((n, s) => n + s.gzip, 0) + (catalogue?.gzip ?? 0);
  return { scripts, styles, catalogue, total, sources: [...sources] };
}
