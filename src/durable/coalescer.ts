/**
 * Group commit for calls to one Durable Object. The first call goes out at once; calls that arrive
 * while it is in flight wait for it and then go out together as one call — one RPC and one SQLite
 * commit instead of many. Under light load nothing waits; under heavy load (many clients on one
 * queue) each queue object commits a batch per round trip instead of a message per round trip.
 *
 * Each caller gets back exactly the results for its own items, in order; a failure of the whole
 * call (e.g. the queue does not exist) reaches every caller in the group.
 */
import type { ErrorInfo, Result } from "../protocol/errors";

interface Submission<I, O> {
  items: I[];
  weight: number;
  resolve: (result: Result<O[]>) => void;
  reject: (error: unknown) => void;
}

export interface CoalescerLimits {
  /** Most items in one combined call. */
  maxItems: number;
  /** Most total weight (e.g. bytes) in one combined call. */
  maxWeight: number;
}

export class Coalescer<I, O> {
  #waiting: Submission<I, O>[] = [];
  #running = false;

  constructor(
    private readonly run: (items: I[]) => Promise<Result<O[]>>,
    private readonly limits: CoalescerLimits,
    private readonly onIdle: () => void = () => {},
  ) {}

  submit(items: I[], weight = 0): Promise<Result<O[]>> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ items, weight, resolve, reject });
      if (!this.#running) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#running = true;
    while (this.#waiting.length) {
      const group = this.#takeGroup();
      try {
        const result = await this.run(group.flatMap((s) => s.items));
        if (!result.ok) {
          for (const s of group) s.resolve(result as { ok: false; error: ErrorInfo });
          continue;
        }
        let offset = 0;
        for (const s of group) {
          s.resolve({ ok: true, value: result.value.slice(offset, offset + s.items.length) });
          offset += s.items.length;
        }
      } catch (error) {
        for (const s of group) s.reject(error);
      }
    }
    this.#running = false;
    this.onIdle();
  }

  /** The oldest submissions that fit the limits together (always at least one). */
  #takeGroup(): Submission<I, O>[] {
    let items = 0;
    let weight = 0;
    let count = 0;
    for (const s of this.#waiting) {
      if (count > 0 && (items + s.items.length > this.limits.maxItems || weight + s.weight > this.limits.maxWeight)) break;
      items += s.items.length;
      weight += s.weight;
      count++;
    }
    return this.#waiting.splice(0, count);
  }
}

/** One coalescer per (object, kind) in this isolate, dropped again when idle. */
export class CoalescerRegistry {
  readonly #coalescers = new Map<string, Coalescer<unknown, unknown>>();

  get<I, O>(key: string, run: (items: I[]) => Promise<Result<O[]>>, limits: CoalescerLimits): Coalescer<I, O> {
    let coalescer = this.#coalescers.get(key) as Coalescer<I, O> | undefined;
    if (!coalescer) {
      coalescer = new Coalescer<I, O>(run, limits, () => this.#coalescers.delete(key));
      this.#coalescers.set(key, coalescer as Coalescer<unknown, unknown>);
    }
    return coalescer;
  }
}
