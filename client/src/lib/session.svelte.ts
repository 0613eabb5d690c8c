import type { LoginInput, Me, RegisterInput } from '../../../shared/accounts.ts';
import { api, onUnauthenticated, toApiError, type ApiError } from './api.ts';
import { i18n } from './i18n/i18n.svelte.ts';
import { isLocale, type Locale } from './i18n/locales.ts';
import { onSocketAuthLost, reconnectSocket, resetSocket } from './socket.ts';

export type SessionStatus = 'loading' | 'error' | 'signedOut' | 'signedIn';

/**
 * Who is signed in. The session itself is an httpOnly cookie the page never
 * sees: this only mirrors what `GET /api/auth/me` says.
 */
class Session {
  #status = $state<SessionStatus>('loading');
  #me = $state.raw<Me | null>(null);
  #ended = $state(false);
  #error = $state.raw<ApiError | null>(null);
  /** A language picked on this page while signed out: the newest choice, for the account at sign-in. */
  #pickedSignedOut: Locale | null = null;

  constructor() {
    onUnauthenticated(() => this.#signedOut(true));
    onSocketAuthLost(() => void this.#verify());
  }

  get status(): SessionStatus {
    return this.#status;
  }
  get me(): Me | null {
    return this.#me;
  }
  /** True when a session ended while it was in use (expired, revoked, password changed elsewhere). */
  get ended(): boolean {
    return this.#ended;
  }
  /** Why the first check failed (status `error`): usually the network. */
  get error(): ApiError | null {
    return this.#error;
  }

  /** Asks the server who we are; call once before the first render. */
  async init(): Promise<void> {
    this.#status = 'loading';
    this.#error = null;
    try {
      await this.#signedIn(await api.me());
    } catch (cause) {
      const error = toApiError(cause);
      if (error.code === 'unauthenticated') {
        this.#ended = false;
        this.#status = 'signedOut';
      } else {
        this.#error = error;
        this.#status = 'error';
      }
    }
  }

  /** Throws an ApiError (wrong password, rate limited…) for the form to show. */
  async signIn(input: LoginInput): Promise<void> {
    await this.#signedIn(await api.login(input));
  }

  async register(input: RegisterInput): Promise<void> {
    await this.#signedIn(await api.register(input));
  }

  async signOut(): Promise<void> {
    try {
      await api.logout();
    } finally {
      this.#signedOut(false);
    }
  }

  /** After the account was deleted: the server has ended every session already. */
  deleted(): void {
    this.#signedOut(false);
  }

  /**
   * The reader picked a language in the header. It shows at once and, when signed in, becomes
   * the account's, so that it follows them to every device. If saving fails (offline), this
   * device keeps it until the next sign-in or page load, when the account's applies again.
   */
  async chooseLanguage(locale: Locale): Promise<void> {
    const saving = i18n.setLocale(locale);
    if (this.#status !== 'signedIn') {
      this.#pickedSignedOut = locale;
      return saving;
    }
    this.#pickedSignedOut = null;
    try {
      const me = await api.updateProfile({ language: locale });
      if (this.#status === 'signedIn' && this.#me?.id === me.id) this.#me = me;
    } catch {
      // kept on this device only; see above
    }
    await saving;
  }

  /** After the profile changed on the account page. */
  updated(me: Me): void {
    this.#me = me;
  }

  async #signedIn(me: Me): Promise<void> {
    resetSocket(); // a socket opened before belongs to no one, or to someone else
    // One language per person, the account's, on every device (this one remembers it for the
    // signed-out pages). A language picked on this page just before signing in is the newer
    // choice: it goes to the account instead.
    const picked = this.#pickedSignedOut;
    this.#pickedSignedOut = null;
    if (picked && picked !== me.language) {
      try {
        me = await api.updateProfile({ language: picked });
      } catch {
        // the account keeps its language; this page keeps the one just picked
      }
    } else if (isLocale(me.language) && me.language !== i18n.locale) await i18n.setLocale(me.language);
    this.#me = me;
    this.#ended = false;
    this.#status = 'signedIn';
  }

  #signedOut(ended: boolean): void {
    const wasSignedIn = this.#status === 'signedIn';
    resetSocket();
    this.#me = null;
    this.#ended = ended && wasSignedIn;
    this.#status = 'signedOut';
  }

  #lastVerified = 0;

  /** The live socket was refused or dropped: is the session still there? */
  async #verify(): Promise<void> {
    if (this.#status !== 'signedIn') return;
    const now = Date.now();
    if (now - this.#lastVerified < 5_000) return; // never loop on a socket that keeps refusing
    this.#lastVerified = now;
    try {
      const me = await api.me(); // a 401 here signs out through onUnauthenticated
      this.#me = me;
      reconnectSocket();
    } catch {
      // offline: Socket.IO keeps retrying on its own for network errors
    }
  }

  /** A live connection said the session is over (WebSocket close code 4401): confirm, then show sign-in. */
  async check(): Promise<void> {
    if (this.#status !== 'signedIn') return;
    try {
      this.#me = await api.me(); // a 401 signs out through onUnauthenticated
    } catch {
      // offline: nothing to conclude
    }
  }
}

export const session = new Session();
