/**
 * Work guarded by the resilience layer. It receives the signal it should honour: the
 * caller's, or one attempt's; undefined when neither a deadline nor a time limit applies.
 */
export type Operation<T> = (signal: AbortSignal | undefined) => Promise<T>;
