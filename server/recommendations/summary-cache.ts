/**
 * The register in short, kept per consultation between changes: every open
 * plan table and coverage view asks for all of it, and reading thousands of
 * full records from the store each time was most of that request.
 * `forget` bumps a generation, so a read that began before a change can never
 * store what it read after it. Only the most recently used consultations stay.
 */
export class SummaryCache<T> {
  readonly #entries = new Map<string, Promise<T>>();
  readonly #generations = new Map<string, number>();

  constructor(private readonly capacity = 20) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const cached = this.#entries.get(key);
    if (cached) {
      // Most recently used last, so the first key is the one to drop.
      this.#entries.delete(key);
      this.#entries.set(key, cached);
      return cached;
    }
    const generation = this.#generations.get(key) ?? 0;
    const loading = load();
    loading.then(
      () => {
        if ((this.#generations.get(key) ?? 0) !== generation || this.#entries.has(key)) return;
        this.#entries.set(key, loading);
        if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value!);
      },
      () => undefined,
    );
    return loading;
  }

  forget(key: string): void {
    this.#entries.delete(key);
    this.#generations.set(key, (this.#generations.get(key) ?? 0) + 1);
  }
}
