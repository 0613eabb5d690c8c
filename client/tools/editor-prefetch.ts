import type { Plugin } from 'vite';

/** The name of the `<meta>` in index.html that lists the editor's files (read by client/src/lib/editor-prefetch.ts). */
export const editorFilesMeta = 'convene-editor-files';

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  isEntry: boolean;
  isDynamicEntry: boolean;
  facadeModuleId: string | null;
  imports: string[];
  viteMetadata?: { importedCss: Set<string> };
}

/**
 * Lists in index.html the files the document page's editor needs beyond what
 * the page itself loads: the editor's chunk, the chunks it imports and their
 * styles. The document page (only it: a visit to another page never downloads
 * the editor) asks for them as prefetches while its text's requests wait on the
 * network, and runs them only once the text shows: on a slow line the editor's
 * 190 KB then arrive seconds earlier. The hashed names are known only once the
 * bundle is written, hence a build plugin; the development server has no list
 * and the page simply loads the editor when it needs it.
 */
export function editorPrefetchList(options: { editor: string; page: string }): Plugin {
  let base = '/';
  return {
    name: 'convene:editor-prefetch-list',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (!ctx.bundle) return html;
        const chunks = Object.values(ctx.bundle).filter((c): c is typeof c & ChunkLike => c.type === 'chunk') as ChunkLike[];
        const byFile = new Map(chunks.map((c) => [c.fileName, c]));
        const of = (source: string) => chunks.find((c) => c.facadeModuleId?.endsWith(source));
        const editor = of(options.editor);
        const page = of(options.page);
        if (!editor || !page) throw new Error(`editor-prefetch: no chunk of its own for ${editor ? options.page : options.editor}`);
        const closure = (roots: ChunkLike[]) => {
          const seen = new Set<string>();
          const visit = (c: ChunkLike | undefined) => {
            if (!c || seen.has(c.fileName)) return;
            seen.add(c.fileName);
            for (const next of c.imports) visit(byFile.get(next));
          };
          roots.forEach(visit);
          return seen;
        };
        // What the page has loaded before its text shows (the app's entry, the page and their imports) is not listed.
        const before = closure([...chunks.filter((c) => c.isEntry), page]);
        const css = (names: Iterable<string>) => new Set([...names].flatMap((n) => [...(byFile.get(n)?.viteMetadata?.importedCss ?? [])]));
        const beforeCss = css(before);
        const scripts = [...closure([editor])].filter((f) => !before.has(f));
        const styles = [...css(scripts)].filter((f) => !beforeCss.has(f));
        // The largest first: they gain the most from an early start.
        const size = (f: string) => {
          const out = ctx.bundle![f];
          return out?.type === 'chunk' ? out.code.length : out?.type === 'asset' ? String(out.source).length : 0;
        };
        const files = [...scripts, ...styles].sort((a, b) => size(b) - size(a)).map((f) => base + f);
        return [{ tag: 'meta', attrs: { name: editorFilesMeta, content: files.join(' ') }, injectTo: 'head' }];
      },
    },
  };
}
