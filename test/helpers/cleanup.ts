import { afterAll, afterEach, expect } from 'vitest';

type Cleanup = () => unknown | Promise<unknown>;
const perTest: Cleanup[] = [];
const perFile: Cleanup[] = [];

/**
 * Registers a teardown, run newest first even when the test fails: after the
 * current test, or — for what a `beforeAll` made — after the whole file.
 */
export function onCleanup(fn: Cleanup): void {
  (expect.getState().currentTestName === undefined ? perFile : perTest).push(fn);
}

async function drain(list: Cleanup[]): Promise<void> {
  const errors: unknown[] = [];
  while (list.length > 0) {
    try {
      await list.pop()!();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length > 0) throw errors[0];
}

afterEach(() => drain(perTest));
afterAll(() => drain(perFile));
