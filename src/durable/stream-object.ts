/**
 * StreamObject: one per Kinesis stream. Holds the stream's metadata, shard map and consumers in
 * SQLite; its alarm completes status transitions (CREATING/UPDATING/DELETING → …).
 */
import { DurableObject } from "cloudflare:workers";

export class StreamObject extends DurableObject<Env> {}
