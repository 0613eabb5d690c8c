import type { Editor } from '@tiptap/core';
import { anchorForSelection } from './comments-anchors.ts';
import type { CommentThreads } from './comments.svelte.ts';

/** Ctrl+Alt+M, or ⌘⌥M on a Mac (by key position: Option changes the character typed). */
export function isCommentShortcut(event: KeyboardEvent): boolean {
  if (!(event.ctrlKey || event.metaKey) || !event.altKey || event.code !== 'KeyM') return false;
  // Typing in a form field of the page is not a request to comment on the text.
  return !(event.target as Element | null)?.closest?.('input, textarea, select');
}

/** Opens the composer on the selected words, or says why it cannot. */
export function commentOnSelection(editor: Editor, comments: CommentThreads): void {
  const found = anchorForSelection(editor.state);
  if ('anchor' in found) comments.startDraft(found.anchor);
  else comments.startDraft(null, found.problem);
}

/** Shows a thread's passage: selected, scrolled into view, and focused when the text is editable. */
export function showThreadInText(editor: Editor, comments: CommentThreads, threadId: string): void {
  const range = comments.rangeOf(threadId);
  if (!range || range.to > editor.state.doc.content.size) return;
  comments.select(threadId);
  editor.commands.setTextSelection(range);
  const { node } = editor.view.domAtPos(range.from);
  (node instanceof Element ? node : node.parentElement)?.scrollIntoView({ block: 'center' });
  if (editor.isEditable) editor.commands.focus(null, { scrollIntoView: false });
}
