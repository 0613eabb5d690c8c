/**
 * The document page's editor (Tiptap, ProseMirror, Yjs: about 190 KB) runs
 * only once the text shows, but on a slow line its download is most of the
 * wait for it. So the document page asks for its files as prefetches (lowest
 * priority, into the HTTP cache, not run) while the text's requests wait on
 * the network; the page's `import()` then finds them there, or joins the
 * download in flight. The build lists the files in index.html, largest first
 * (client/tools/editor-prefetch.ts); without the list (the development server)
 * nothing is prefetched. Other pages never ask: someone on a metered phone who
 * does not open a document does not download the editor.
 *
 * One file at a time: a slow link is shared about equally between the
 * downloads in flight, so a single prefetch takes a small share while the
 * text's requests run and the whole link while they wait on latency; a dozen
 * at once took most of it, and the text showed a second later.
 */
const metaName = 'convene-editor-files';
let queue: string[] | null = null;

function next(): void {
  const href = queue?.shift();
  if (!href) return;
  const link = document.createElement('link');
  link.rel = 'prefetch';
  link.href = href;
  link.onload = link.onerror = next;
  document.head.append(link);
}

export function prefetchEditor(): void {
  if (queue) return;
  queue = (document.querySelector<HTMLMetaElement>(`meta[name="${metaName}"]`)?.content ?? '').split(' ').filter(Boolean);
  // Left the document before its editor came: the rest is not downloaded (another document's page imports it anyway).
  addEventListener('hashchange', stopPrefetchingEditor, { once: true });
  next();
}

/** The editor is being imported: its request takes over (the browser reuses a prefetch in flight), no more are started. */
export function stopPrefetchingEditor(): void {
  queue = [];
}
