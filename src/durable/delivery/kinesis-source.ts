/**
 * STUB (being written): a delivery stream's reading of its source Kinesis stream (KinesisStreamAsSource).
 */
import type { KinesisSourceConfig } from "../../domain/firehose/contract";
import type { Migration } from "../sql";

/** This reader's tables, applied after DELIVERY_STREAM_MIGRATIONS (append new ones at the end). */
export const KINESIS_SOURCE_MIGRATIONS: readonly Migration[] = [];

export class KinesisSourceReader {
  constructor(
    readonly sql: SqlStorage,
    readonly env: Env,
  ) {}

  /** The delivery stream became ACTIVE: remember where each shard is read from (checkpoints). */
  start(_source: KinesisSourceConfig): void {}

  /** The delivery stream is gone: forget every checkpoint. */
  clear(): void {}

  /** When the next poll is due (undefined: nothing to read). */
  nextPollAt(_now: number): number | undefined {
    return undefined;
  }

  /**
   * Reads what the shards have after their checkpoints; in one `transaction` hands the records to
   * `append` (with their approximate arrival times) and advances the checkpoints. True if it read any.
   */
  async poll(
    _source: KinesisSourceConfig,
    _now: number,
    _append: (records: Uint8Array[], arrival: number) => void,
    _transaction: (fn: () => void) => void,
  ): Promise<boolean> {
    return false;
  }
}
