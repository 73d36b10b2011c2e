/**
 * ShardObject: one per shard of a Kinesis stream. Holds the shard's records in SQLite, its
 * throughput budget, and a retention alarm that trims expired records without traffic.
 */
import { DurableObject } from "cloudflare:workers";
import type { ShardSpec } from "./stream/types";

export class ShardObject extends DurableObject<Env> {
  /** Called by StreamObject when the shard is created (CreateStream, split, merge). Idempotent. */
  async open(_spec: ShardSpec): Promise<void> {}

  /** Closes the shard (split/merge): no more writes; readers reach its end and see the children. */
  async close(_closedAt: number): Promise<{ endingSequenceNumber: string }> {
    throw new Error("not implemented yet");
  }

  /** Increase/DecreaseStreamRetentionPeriod: records older than `hours` are trimmed by alarm. */
  async setRetention(_hours: number): Promise<void> {}

  /** The stream was deleted (or the shard expired after its retention): drop every record. */
  async destroy(): Promise<void> {}
}
