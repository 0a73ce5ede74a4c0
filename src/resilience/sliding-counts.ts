/**
 * Two counters over a sliding time window, kept in a ring of buckets so that adding is
 * O(1) and reading never allocates. `calls` counts everything recorded; `marked` counts
 * the subset a user cares about (failures for a breaker, retries for a retry budget).
 * The window covers the current bucket and the bucketCount - 1 before it.
 */
export class SlidingCounts {
  private readonly bucketMs: number;
  private readonly callBuckets: Float64Array;
  private readonly markedBuckets: Float64Array;
  private currentSlot = Number.NEGATIVE_INFINITY;
  private callTotal = 0;
  private markedTotal = 0;

  constructor(
    readonly windowMs: number,
    private readonly bucketCount: number,
  ) {
    this.bucketMs = windowMs / bucketCount;
    this.callBuckets = new Float64Array(bucketCount);
    this.markedBuckets = new Float64Array(bucketCount);
  }

  calls(now: number): number {
    this.advance(now);

    return this.callTotal;
  }

  marked(now: number): number {
    this.advance(now);

    return this.markedTotal;
  }

  add(now: number, calls: number, marked: number): void {
    this.advance(now);
    const index = this.indexOf(this.currentSlot);
    this.callBuckets[index] = (this.callBuckets[index] ?? 0) + calls;
    this.markedBuckets[index] = (this.markedBuckets[index] ?? 0) + marked;
    this.callTotal += calls;
    this.markedTotal += marked;
  }

  reset(): void {
    this.callBuckets.fill(0);
    this.markedBuckets.fill(0);
    this.callTotal = 0;
    this.markedTotal = 0;
    this.currentSlot = Number.NEGATIVE_INFINITY;
  }

  private advance(now: number): void {
    const slot = Math.floor(now / this.bucketMs);
    // A clock that steps back keeps counting into the newest bucket.
    if (slot <= this.currentSlot) return;

    if (slot - this.currentSlot >= this.bucketCount) {
      this.reset();
    } else {
      for (let expired = this.currentSlot + 1; expired <= slot; expired++) {
        const index = this.indexOf(expired);
        this.callTotal -= this.callBuckets[index] ?? 0;
        this.markedTotal -= this.markedBuckets[index] ?? 0;
        this.callBuckets[index] = 0;
        this.markedBuckets[index] = 0;
      }
    }

    this.currentSlot = slot;
  }

  private indexOf(slot: number): number {
    return ((slot % this.bucketCount) + this.bucketCount) % this.bucketCount;
  }
}
