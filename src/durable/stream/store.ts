/**
 * StreamObject's storage: the settings row, the shard table, tags and consumer tags. Thin SQL over
 * `ctx.storage.sql`; every method is synchronous, so a caller's read-check-write runs in one turn.
 */
import { shardIdOf, shardIndexOf } from "../../domain/kinesis/sequence-numbers";
import type { ShardInfo, StreamState } from "../../domain/kinesis/contract";
import { MetaTable } from "../meta";

type ShardRow = {
  idx: number;
  parent: number | null;
  adjacent_parent: number | null;
  starting_hash_key: string;
  ending_hash_key: string;
  starting_sequence_number: string;
  ending_sequence_number: string | null;
  created_at: number;
  closed_at: number | null;
};

const toShard = (r: ShardRow): ShardInfo => ({
  shardId: shardIdOf(r.idx),
  parentShardId: r.parent === null ? undefined : shardIdOf(r.parent),
  adjacentParentShardId: r.adjacent_parent === null ? undefined : shardIdOf(r.adjacent_parent),
  startingHashKey: r.starting_hash_key,
  endingHashKey: r.ending_hash_key,
  startingSequenceNumber: r.starting_sequence_number,
  endingSequenceNumber: r.ending_sequence_number ?? undefined,
  createdAt: r.created_at,
  closedAt: r.closed_at ?? undefined,
});

const indexOrNull = (id: string | undefined): number | null => (id === undefined ? null : (shardIndexOf(id) ?? null));

export class StreamStore {
  #state: StreamState | null | undefined;
  #shards: ShardInfo[] | undefined;
  /** The settings row ("stream"). */
  readonly #meta: MetaTable;

  constructor(private readonly sql: SqlStorage) {
    this.#meta = new MetaTable(sql);
  }

  // ---- settings --------------------------------------------------------------------------------

  get state(): StreamState | null {
    // null: read, and there is no stream; undefined: not read yet.
    if (this.#state === undefined) this.#state = this.#meta.get<StreamState>("stream") ?? null;
    return this.#state;
  }

  save(state: StreamState): void {
    this.#meta.set("stream", state);
    this.#state = state;
  }

  /** After storage was wiped (the stream is gone). */
  forget(): void {
    this.#state = null;
    this.#shards = [];
  }

  // ---- shards ----------------------------------------------------------------------------------

  /** Every shard in index order (cached: the map changes only on create and reshard). */
  shards(): ShardInfo[] {
    this.#shards ??= this.sql.exec<ShardRow>("SELECT * FROM shards ORDER BY idx").toArray().map(toShard);
    return this.#shards;
  }

  insertShards(shards: ShardInfo[]): void {
    for (const s of shards) {
      this.sql.exec(
        `INSERT INTO shards (idx, parent, adjacent_parent, starting_hash_key, ending_hash_key,
           starting_sequence_number, ending_sequence_number, created_at, closed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        shardIndexOf(s.shardId)!,
        indexOrNull(s.parentShardId),
        indexOrNull(s.adjacentParentShardId),
        s.startingHashKey,
        s.endingHashKey,
        s.startingSequenceNumber,
        s.endingSequenceNumber ?? null,
        s.createdAt,
        s.closedAt ?? null,
      );
    }
    this.#shards = undefined;
  }

  closeShard(index: number, endingSequenceNumber: string, closedAt: number): void {
    this.sql.exec(
      "UPDATE shards SET ending_sequence_number = ?, closed_at = ? WHERE idx = ?",
      endingSequenceNumber,
      closedAt,
      index,
    );
    this.#shards = undefined;
  }

  nextShardIndex(): number {
    const row = this.sql.exec<{ n: number | null }>("SELECT MAX(idx) AS n FROM shards").one();
    return (row.n ?? -1) + 1;
  }

  // ---- tags ------------------------------------------------------------------------------------

  tags(): Record<string, string> {
    const rows = this.sql.exec<{ key: string; value: string }>("SELECT key, value FROM tags ORDER BY key").toArray();
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  setTags(set: Record<string, string>, remove: string[]): void {
    for (const [key, value] of Object.entries(set))
      this.sql.exec("INSERT OR REPLACE INTO tags (key, value) VALUES (?, ?)", key, value);
    for (const key of remove) this.sql.exec("DELETE FROM tags WHERE key = ?", key);
  }

  // ---- consumers (the consumers module owns the table; these are the questions the stream asks) --

  consumerCount(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM consumers").one().n;
  }

  /** The consumer with this ARN, by name, or undefined. */
  consumerByArn(arn: string): string | undefined {
    return this.sql.exec<{ name: string }>("SELECT name FROM consumers WHERE arn = ?", arn).toArray()[0]?.name;
  }

  consumerTags(consumer: string): Record<string, string> {
    const rows = this.sql
      .exec<{ key: string; value: string }>("SELECT key, value FROM consumer_tags WHERE consumer = ? ORDER BY key", consumer)
      .toArray();
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  setConsumerTags(consumer: string, set: Record<string, string>, remove: string[]): void {
    for (const [key, value] of Object.entries(set))
      this.sql.exec("INSERT OR REPLACE INTO consumer_tags (consumer, key, value) VALUES (?, ?, ?)", consumer, key, value);
    for (const key of remove) this.sql.exec("DELETE FROM consumer_tags WHERE consumer = ? AND key = ?", consumer, key);
  }
}
