import { KeyedLock } from '../lock.ts';

/**
 * Every change that could take a consultation's last facilitator away (a
 * role change, a removal, an account deleted) checks "is another facilitator
 * left?" and then writes. Run one at a time, two such changes at once cannot
 * both pass the check and leave nobody to run the consultation. They are
 * rare, so one queue for the whole server is enough.
 */
export class FacilitatorGuard {
  readonly #lock = new KeyedLock();

  run<T>(fn: () => Promise<T>): Promise<T> {
    return this.#lock.run('facilitators', fn);
  }
}
