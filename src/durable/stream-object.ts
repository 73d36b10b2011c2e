/**
 * StreamObject: one per Kinesis stream. Holds the stream's metadata, shard map and consumers in
 * SQLite; its alarm completes status transitions (CREATING/UPDATING/DELETING → …).
 */
import { DurableObject } from "cloudflare:workers";
import { fail, type Result } from "../protocol/errors";
import type { StreamRouting } from "./stream/types";

export class StreamObject extends DurableObject<Env> {
  /**
   * What the Worker needs to route data-plane calls: status, every shard with its hash range, and
   * the incarnation (`createdAt`) that names the shard objects. ResourceNotFoundException when the
   * stream does not exist.
   */
  async routing(): Promise<Result<StreamRouting>> {
    return fail({ code: "ResourceNotFoundException", message: "not implemented yet" });
  }
}
