/**
 * Where reading starts, as far as the request and the shard's identity tell (the shard itself resolves
 * LATEST, TRIM_HORIZON and AT_TIMESTAMP). GetShardIterator and SubscribeToShard share the rules and
 * the wording; only the operation named in the messages differs.
 */
import type { IteratorStart } from "./shard-contract";
import { fail, ok, type Result } from "../errors";
import { invalidArgument } from "./errors";
import type { StreamRef } from "./names";
import { parseSequenceNumber, shardIdOf, shardIndexOf } from "./sequence-numbers";

export interface RequestedPosition {
  type: string;
  sequenceNumber?: string;
  timestamp?: Date;
}

const typeMismatch = (type: string, has: boolean) =>
  invalidArgument(
    "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or " +
      "(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. " +
      `Request specified ${type} and ${has ? "also a" : "no"} StartingSequenceNumber.`,
  );

export function startingPosition(
  operation: "GetShardIterator" | "SubscribeToShard",
  position: RequestedPosition,
  shard: { id: string; createdAt: number },
  stream: StreamRef,
  now: number,
): Result<IteratorStart> {
  const { type, sequenceNumber: sequence } = position;
  switch (type) {
    case "TRIM_HORIZON":
    case "LATEST":
      if (sequence !== undefined) return fail(typeMismatch(type, true));
      return ok({ type });
    case "AT_TIMESTAMP": {
      if (!position.timestamp)
        return fail(
          invalidArgument(
            "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.",
          ),
        );
      const at = position.timestamp.getTime();
      if (at > now)
        return fail(
          invalidArgument(
            "The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. " +
              `timestampInMillis: ${at}, currentTimestampInMillis: ${now}`,
          ),
        );
      return ok({ type: "AT_TIMESTAMP", at });
    }
    default: {
      if (sequence === undefined) return fail(typeMismatch(type, false));
      const parts = parseSequenceNumber(sequence);
      const invalid = (why = "") =>
        invalidArgument(
          `StartingSequenceNumber ${sequence} used in ${operation} on shard ${shard.id} in stream ${stream.name} ` +
            `under account ${stream.account} is invalid${why}.`,
        );
      if (!parts) return fail(invalid());
      if (parts.shardIndex !== shardIndexOf(shard.id))
        return fail(
          invalidArgument(
            `Invalid StartingSequenceNumber. It encodes ${shardIdOf(parts.shardIndex)}, while it was used in a call to a shard with ${shard.id}`,
          ),
        );
      if (parts.shardCreatedAt !== Math.floor(shard.createdAt / 1000) * 1000)
        return fail(invalid(" because it did not come from this stream"));
      return ok({ type: "AT", seq: type === "AT_SEQUENCE_NUMBER" ? parts.seq : parts.seq + 1 });
    }
  }
}
