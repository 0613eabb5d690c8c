/**
 * A version's text never changes once made, so its encoded form is kept
 * (least recently read first out, within a byte budget): a version a whole
 * consultation is asked to look at is rebuilt once, not once per reader.
 */
export class VersionTextCache {
  readonly #entries = new Map<string, string>();
  #bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(versionId: string): string | undefined {
    const text = this.#entries.get(versionId);
    if (text === undefined) return undefined;
    // Read again: to the back of the queue.
    this.#entries.delete(versionId);
    this.#entries.set(versionId, text);
    return text;
  }

  set(versionId: string, text: string): void {
    if (text.length > this.maxBytes || this.#entries.has(versionId)) return;
    this.#entries.set(versionId, text);
    this.#bytes += text.length;
    for (const [id, old] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(id);
      this.#bytes -= old.length;
    }
  }
}
