/**
 * ShardObject: one per shard of a Kinesis stream. Holds the shard's records in SQLite, its
 * throughput budget, and a retention alarm that trims expired records without traffic.
 */
import { DurableObject } from "cloudflare:workers";

export class ShardObject extends DurableObject<Env> {}
