/**
 * Long polls waiting inside a queue object. A ReceiveMessage that finds nothing parks here; sends,
 * visibility changes and a timer at the next `visible_at` call `wake`, which claims for waiters in
 * arrival order. Claiming and resolving happen in the same synchronous turn, so a claimed message is
 * always handed to a caller (never lost between the two).
 *
 * Waiters live in memory: the object's eviction drops them, exactly like the connections they answer.
 */
export interface Waiter<T> {
  /** Claims messages for this waiter; an empty array means nothing is available yet. */
  claim(): T[];
  resolve(messages: T[]): void;
  deadline: number;
}

export class Waiters<T> {
  #waiters: Waiter<T>[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Infinity;

  get size(): number {
    return this.#waiters.length;
  }

  add(waiter: Waiter<T>): void {
    this.#waiters.push(waiter);
  }

  /** Serves waiters in order until one finds nothing; expired waiters get an empty answer. */
  wake(now: number): void {
    const pending: Waiter<T>[] = [];
    let exhausted = false;
    for (const waiter of this.#waiters) {
      if (!exhausted) {
        const messages = waiter.claim();
        if (messages.length) {
          waiter.resolve(messages);
          continue;
        }
        exhausted = true;
      }
      if (waiter.deadline <= now) waiter.resolve([]);
      else pending.push(waiter);
    }
    this.#waiters = pending;
  }

  /** Answers every waiter with nothing (queue purged or deleted). */
  releaseAll(): void {
    for (const waiter of this.#waiters) waiter.resolve([]);
    this.#waiters = [];
    this.cancelTimer();
  }

  /** Earliest waiter deadline, if any. */
  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const w of this.#waiters) if (next === undefined || w.deadline < next) next = w.deadline;
    return next;
  }

  /** Runs `onFire` at `at` unless a sooner timer is already set. */
  schedule(at: number, now: number, onFire: () => void): void {
    if (at >= this.#timerAt) return;
    this.cancelTimer();
    this.#timerAt = at;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Infinity;
        onFire();
      },
      Math.max(0, at - now),
    );
  }

  cancelTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Infinity;
  }
}
