import type { MessageKey } from './i18n/i18n.svelte.ts';

/**
 * A message that survives one navigation, e.g. "you were removed from this
 * consultation" shown on the page you were sent to.
 */
class Notice {
  #message = $state<MessageKey | null>(null);
  #keep = false;

  get message(): MessageKey | null {
    return this.#message;
  }

  show(message: MessageKey): void {
    this.#message = message;
    this.#keep = true;
  }

  dismiss(): void {
    this.#message = null;
  }

  /** Call on every route change: the first one keeps the message, the next clears it. */
  routeChanged(): void {
    if (this.#keep) this.#keep = false;
    else this.#message = null;
  }
}

export const notice = new Notice();
