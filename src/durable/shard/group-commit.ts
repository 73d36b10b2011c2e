/**
 * Group commit for a shard's writes. Every Durable Object event that writes ends in its own SQLite
 * commit, and a commit costs far more than the inserts in it; under concurrent PutRecord calls that
 * commit is the bottleneck. So a put only queues its rows and waits: the first one arms a zero-delay
 * timer, which lets the calls already queued at the object run and join; then one transaction writes
 * the whole group and every caller's answer leaves together, after the commit (the output gate holds
 * responses until writes are durable). Awaiting a promise another event resolves is fine inside one
 * Durable Object (unlike across Worker requests).
 */
export class GroupCommit<T> {
  #group: T[] = [];
  #done: Promise<void> | null = null;

  constructor(private readonly write: (group: T[]) => void) {}

  /** Queues `item`; resolves once its group is written (rejects if that write failed). */
  add(item: T): Promise<void> {
    this.#group.push(item);
    this.#done ??= new Promise<void>((resolve, reject) => {
      setTimeout(() => {
        const group = this.#group;
        this.#group = [];
        this.#done = null;
        try {
          this.write(group);
          resolve();
        } catch (error) {
          reject(error);
        }
      }, 0);
    });
    return this.#done;
  }

  /** Resolves when nothing queued is left unwritten (for closing the shard). */
  async settled(): Promise<void> {
    while (this.#done) await this.#done.catch(() => undefined);
  }
}
