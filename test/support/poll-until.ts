export interface PollLimits {
  limitMs: number;
  /** The pause between two looks; 10 ms unless told. */
  intervalMs?: number;
}

/**
 * Looks at `condition` until it holds, and fails naming what was awaited once `limitMs` has
 * passed. `awaited` may be a function, so that the message can tell what was last seen.
 */
export async function pollUntil(
  awaited: string | (() => string),
  condition: () => boolean | Promise<boolean>,
  { limitMs, intervalMs = 10 }: PollLimits,
): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!(await condition())) {
    if (performance.now() > deadline) {
      const what = typeof awaited === 'string' ? awaited : awaited();
      throw new Error(`timed out after ${limitMs}ms waiting for ${what}`);
    }

    await Bun.sleep(intervalMs);
  }
}
