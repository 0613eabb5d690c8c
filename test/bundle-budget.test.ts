import { describe, expect, it } from 'vitest';
import { clientDist } from '../server/http/client.ts';
import { firstView, firstViewBudgetBytes, readManifest } from './helpers/bundle-budget.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The first visit's budget (issue #16): the document page's text is readable
 * from at most 150 KB of gzipped JavaScript, the editor and collaboration code
 * coming after. Reads the client built for the tests (test/helpers/global-setup.ts)
 * through Vite's manifest.
 */
const view = firstView(clientDist, 'src/pages/DocumentPage.svelte');

describe('the document page first view', () => {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

  it('fits in 150 KB of gzipped JavaScript, with the largest language catalogue', () => {
    const detail = [...view.scripts, ...(view.catalogue ? [view.catalogue] : [])].map((s) => `${s.file} ${kb(s.gzip)}`).join(', ');
    expect(view.total, `first view: ${kb(view.total)} (${detail})`).toBeLessThanOrEqual(firstViewBudgetBytes);
    // The count is real: the entry, the page and a catalogue were found and weighed.
    expect(view.scripts.length).toBeGreaterThanOrEqual(2);
    expect(view.catalogue).not.toBeNull();
  });

  it('comes in few files: over HTTP/1.1 each costs a slow line a round trip, six at a time', () => {
    const files = [...view.scripts.map((s) => s.file), ...view.styles.map((s) => s.file)];
    expect(files.length, files.join(', ')).toBeLessThanOrEqual(8);
  });

  it('holds none of the editor or collaboration code', () => {
    expect(view.sources.length).toBeGreaterThan(0);
    const heavy = view.sources.filter((s) => /node_modules\/(@tiptap|prosemirror-|yjs|y-websocket|y-protocols|@tiptap\/y-tiptap|lib0)\//.test(s));
    expect(heavy).toEqual([]);
    // And the page's own editor components come later too.
    expect(view.sources.filter((s) => /components\/editor\/(CollabEditor|DocumentWorkspace)\.svelte$/.test(s))).toEqual([]);
  });
});

describe('the editor prefetch list (client/tools/editor-prefetch.ts)', () => {
  it("lists in index.html the editor's chunk, its imports and styles, and nothing the first view loads", () => {
    const html = readFileSync(path.join(clientDist, 'index.html'), 'utf8');
    const listed = /<meta name="convene-editor-files" content="([^"]*)"/.exec(html)?.[1]?.split(' ') ?? [];
    const manifest = readManifest(clientDist);
    const editor = manifest['src/components/editor/DocumentWorkspace.svelte']!;
    expect(listed).toContain(`/${editor.file}`);
    for (const css of editor.css ?? []) expect(listed).toContain(`/${css}`);
    for (const key of editor.imports ?? []) {
      const file = `/${manifest[key]!.file}`;
      const early = view.scripts.some((s) => `/${s.file}` === file);
      expect(listed.includes(file), `${file} ${early ? 'is in the first view' : 'is the editor’s'}`).toBe(!early);
    }
    // Every listed file exists, and the largest comes first (it gains the most from an early start).
    const sizes = listed.map((f) => readFileSync(path.join(clientDist, f)).length);
    expect(sizes[0]).toBe(Math.max(...sizes));
  });
});
