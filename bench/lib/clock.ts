/**
 * Milliseconds on the system-wide monotonic clock (CLOCK_MONOTONIC behind
 * `process.hrtime`). Every process on the machine reads the same clock, so a
 * send time taken in one generator can be subtracted from an arrival time in
 * another, and wall-clock adjustments cannot skew it.
 */
export const now = (): number => Number(process.hrtime.bigint()) / 1e6;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check()` holds or `timeoutMs` passes; returns whether it held. */
export async function until(check: () => boolean, timeoutMs: number, pollMs = 20): Promise<boolean> {
  const deadline = now() + timeoutMs;
  while (!check()) {
    if (now() > deadline) return false;
    await sleep(pollMs);
  }
  return true;
}
