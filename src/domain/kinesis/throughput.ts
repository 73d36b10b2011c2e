/**
 * A provisioned shard's throughput limits, as token buckets refilled continuously (one second's worth
 * at most): writes 1 MiB/s (data + partition key) or 1,000 records/s; reads 5 GetRecords calls/s and
 * 2 MiB/s. A read may overdraw its byte budget (one call returns up to 10 MiB), after which calls are
 * refused until the debt is paid back: AWS's "after a 10 MiB read, calls in the next 5 s are throttled".
 * @see https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html
 * In memory only: an evicted object forgets its spent budget, which only errs on the generous side.
 */

export const MiB = 1024 * 1024;

const utf8 = new TextEncoder();

/** What a record counts against the limits: its data and partition key, in bytes (no allocation for an ASCII key). */
export function recordBytes(data: Uint8Array, partitionKey: string): number {
  for (let i = 0; i < partitionKey.length; i++)
    if (partitionKey.charCodeAt(i) > 0x7f) return data.length + utf8.encode(partitionKey).length;
  return data.length + partitionKey.length;
}

export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(
    readonly perSecond: number,
    now: number,
  ) {
    this.#tokens = perSecond;
    this.#at = now;
  }

  available(now: number): number {
    if (now > this.#at) {
      this.#tokens = Math.min(this.perSecond, this.#tokens + ((now - this.#at) / 1000) * this.perSecond);
      this.#at = now;
    }
    return this.#tokens;
  }

  take(amount: number): void {
    this.#tokens -= amount;
  }
}

export class ShardThroughput {
  readonly #writeRecords: TokenBucket;
  readonly #writeBytes: TokenBucket;
  readonly #readCalls: TokenBucket;
  readonly #readBytes: TokenBucket;

  constructor(now: number) {
    this.#writeRecords = new TokenBucket(1000, now);
    this.#writeBytes = new TokenBucket(MiB, now);
    this.#readCalls = new TokenBucket(5, now);
    this.#readBytes = new TokenBucket(2 * MiB, now);
  }

  /**
   * Whether a record of `bytes` (data + partition key) may be written now; spends budget if so. A
   * record larger than a second's budget (streams with MaxRecordSizeInKiB over 1024) needs a full
   * budget and leaves a debt.
   */
  admitWrite(bytes: number, now: number): boolean {
    const needed = Math.min(bytes, this.#writeBytes.perSecond);
    if (this.#writeRecords.available(now) < 1 || this.#writeBytes.available(now) < needed) return false;
    this.#writeRecords.take(1);
    this.#writeBytes.take(bytes);
    return true;
  }

  /** Whether a GetRecords call may run now; spends one call if so. */
  admitRead(now: number): boolean {
    if (this.#readCalls.available(now) < 1 || this.#readBytes.available(now) <= 0) return false;
    this.#readCalls.take(1);
    return true;
  }

  /** Charges what an admitted read returned (may go into debt). */
  chargeRead(bytes: number): void {
    this.#readBytes.take(bytes);
  }
}
