export const ignore = (): void => {};

/**
 * A promise rejected once with `error`, to hand to every caller refused for the same reason:
 * no allocation and no stack per refusal. Callers handle the rejection they are given; the
 * handler attached here only keeps the shared promise from being reported as unhandled
 * before anyone awaited it.
 */
export function preRejected(error: unknown): Promise<never> {
  const rejection = Promise.reject(error);
  rejection.catch(ignore);

  return rejection;
}
