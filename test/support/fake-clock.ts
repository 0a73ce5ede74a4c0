/** A clock that stands still until the test moves it. */
export function fakeClock(startMs = 1_000_000) {
  let nowMs = startMs;

  return { now: () => nowMs, advance: (ms: number) => (nowMs += ms) };
}
