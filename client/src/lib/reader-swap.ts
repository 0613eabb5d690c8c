/**
 * The document page first shows the server's reading of the text, then the
 * editor in its place. These keep the reader where they were: the block of
 * text at the top of the screen stays at the same height, and the focus, if it
 * was in the text, moves into the editor without scrolling.
 */

interface Place {
  key: string;
  /** Which of the blocks with that same text (paragraphs can repeat). */
  occurrence: number;
  top: number;
}

const normal = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();

/** The reader's first block whose bottom is on screen. */
function placeIn(reader: HTMLElement): Place | null {
  const seen = new Map<string, number>();
  for (const block of reader.querySelectorAll<HTMLElement>('[data-block]')) {
    const key = normal(block.textContent);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    const box = block.getBoundingClientRect();
    if (box.bottom > 0) return { key, occurrence, top: box.top };
  }
  return null;
}

/** The editor's block with the same words: a plan title reads with its number, as the server writes it. */
function blockIn(text: HTMLElement, place: Place): HTMLElement | null {
  let occurrence = 0;
  for (const block of text.querySelectorAll<HTMLElement>('h1, h2, h3, p, .plan-title')) {
    const number = block.dataset.number;
    const key = normal(number ? `${number} ${block.textContent ?? ''}` : block.textContent);
    if (key !== place.key) continue;
    if (occurrence++ === place.occurrence) return block;
  }
  return null;
}

export async function swapKeepingPlace(reader: HTMLElement | undefined, editorText: () => HTMLElement | undefined, swap: () => Promise<void>): Promise<void> {
  const place = reader ? placeIn(reader) : null;
  const hadFocus = !!reader && reader.contains(document.activeElement);
  await swap();
  const text = editorText();
  if (!text) return;
  const block = place && blockIn(text, place);
  const keep = () => {
    if (!place || !block) return;
    const moved = block.getBoundingClientRect().top - place.top;
    if (Math.abs(moved) >= 1) window.scrollBy({ top: moved, behavior: 'instant' });
  };
  keep();
  if (!hadFocus) return;
  // The caret goes where the reader was reading: the editor scrolls to its caret when it takes the focus.
  const caret = () => {
    const selection = window.getSelection();
    if (!block || !selection) return;
    const range = document.createRange();
    range.setStart(block, 0);
    range.collapse(true);
    selection.removeAllRanges();
    selection.addRange(range);
  };
  caret();
  text.focus({ preventScroll: true });
  caret();
  keep();
}
