/**
 * An object's one alarm, armed at the earliest time something is due (every timer is a row or a
 * column; see DESIGN.md). The armed time is kept in memory so that the common case, an alarm already
 * due earlier, costs no storage call.
 */
export class Alarm {
  #at: number | null = null;

  constructor(private readonly storage: DurableObjectStorage) {}

  /** Reads the armed time; call once on wake (inside blockConcurrencyWhile). */
  async load(): Promise<void> {
    this.#at = await this.storage.getAlarm();
  }

  /** When the alarm is armed, or null. */
  get at(): number | null {
    return this.#at;
  }

  /** The alarm is running: it is no longer armed until armed again. */
  fired(): void {
    this.#at = null;
  }

  /**
   * Arms the alarm at `due` (not before `now`) when that is earlier than the armed time. With
   * `recompute` (after something due was removed) it may also move later, or be cleared when nothing
   * is due.
   */
  arm(due: number | undefined, now: number, recompute = false): void {
    if (due === undefined) {
      if (recompute && this.#at !== null) {
        void this.storage.deleteAlarm();
        this.#at = null;
      }
      return;
    }
    const at = Math.max(due, now);
    if (this.#at === null || at < this.#at || (recompute && at !== this.#at)) {
      void this.storage.setAlarm(at);
      this.#at = at;
    }
  }

  /** Clears the alarm (the object is being destroyed). */
  async clear(): Promise<void> {
    this.#at = null;
    await this.storage.deleteAlarm();
  }
}

/** The earliest of some due times, ignoring those that are not set. */
export function earliest(...times: (number | null | undefined)[]): number | undefined {
  let min: number | undefined;
  for (const t of times) if (t !== undefined && t !== null && (min === undefined || t < min)) min = t;
  return min;
}
