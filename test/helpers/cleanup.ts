import { afterEach } from 'vitest';

type Cleanup = () => unknown | Promise<unknown>;
const pending: Cleanup[] = [];

/** Registers a teardown that runs after the current test, newest first, even when the test fails. */
export function onCleanup(fn: Cleanup): void {
  pending.push(fn);
}

afterEach(async () => {
  const errors: unknown[] = [];
  while (pending.length > 0) {
    const fn = pending.pop()!;
    try {
      await fn();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length > 0) throw errors[0];
});
