import type { Socket } from 'bun';

type Pending =
  | { kind: 'bytes'; bytes: Uint8Array; offset: number; releaseAt: number }
  | { kind: 'end'; releaseAt: number };

/**
 * One direction of a proxied connection: a first-in first-out queue of chunks, each released
 * to the target socket once its release time has come. Order is kept whatever the delays, so
 * a chunk never overtakes an earlier one. While held, nothing is released; bytes are kept, not
 * dropped, because a TCP stream never loses bytes in the middle and a gap would make the
 * receiver pair replies with the wrong requests.
 */
export class DelayedPipe {
  #queue: Pending[] = [];
  #target: Socket<unknown> | undefined;
  #held = false;
  #ended = false;
  #timer: Timer | undefined;

  push(chunk: Uint8Array, delayMs: number): void {
    if (this.#ended) return;
    // Copied: the runtime may reuse the buffer it passed to the data handler.
    const bytes = new Uint8Array(chunk);
    this.#queue.push({ kind: 'bytes', bytes, offset: 0, releaseAt: performance.now() + delayMs });
    this.pump();
  }

  /** Queues a graceful end (FIN) of the target behind the bytes already queued. */
  pushEnd(delayMs: number): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#queue.push({ kind: 'end', releaseAt: performance.now() + delayMs });
    this.pump();
  }

  attach(target: Socket<unknown>): void {
    this.#target = target;
    this.pump();
  }

  hold(held: boolean): void {
    this.#held = held;
    this.pump();
  }

  /** Writes every chunk that is due; call again when the target drains. */
  pump = (): void => {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const target = this.#target;
    if (target === undefined || this.#held) return;

    while (this.#queue.length > 0) {
      const head = this.#queue[0]!;
      const waitMs = head.releaseAt - performance.now();
      if (waitMs > 0) {
        this.#timer = setTimeout(this.pump, waitMs);
        return;
      }

      if (head.kind === 'end') {
        this.#queue = [];
        target.end();
        return;
      }

      const written = target.write(head.bytes.subarray(head.offset));
      if (written < 0) {
        this.#queue = [];
        return;
      }

      head.offset += written;
      if (head.offset < head.bytes.length) return;
      this.#queue.shift();
    }
  };

  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue = [];
    this.#ended = true;
  }
}
