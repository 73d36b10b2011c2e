import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { evenHashRanges, initialShards } from "../../src/domain/kinesis/shard-map";
import { explicitHashKey, MAX_HASH_KEY, openRanges, partitionKeyHash, shardFor } from "../../src/domain/kinesis/hash-keys";

describe("hash keys", () => {
  it("are MD5 of the partition key as an unsigned 128-bit integer", () => {
    // md5("a") = 0cc175b9c0f1b6a831c399e269772661
    expect(partitionKeyHash("a")).toBe(0x0cc175b9c0f1b6a831c399e269772661n);
    // md5("") = d41d8cd98f00b204e9800998ecf8427e: above 2^127, read unsigned.
    expect(partitionKeyHash("")).toBe(0xd41d8cd98f00b204e9800998ecf8427en);
    for (const key of ["ü", "unicöd€ 统一码 💣", "x".repeat(256)])
      expect(partitionKeyHash(key)).toBe(BigInt(`0x${createHash("md5").update(key, "utf8").digest("hex")}`));
  });

  it("explicit keys up to 2^128-1", () => {
    expect(explicitHashKey("0")).toBe(0n);
    expect(explicitHashKey(MAX_HASH_KEY.toString())).toBe(MAX_HASH_KEY);
    expect(explicitHashKey((MAX_HASH_KEY + 1n).toString())).toBeUndefined();
  });

  it("route to the open shard whose range holds the key", () => {
    const shards = initialShards(4, Date.now());
    const ranges = openRanges(shards);
    const quarter = 2n ** 126n;
    expect(shardFor(ranges, 0n)?.shard.shardId).toBe("shardId-000000000000");
    expect(shardFor(ranges, quarter - 1n)?.shard.shardId).toBe("shardId-000000000000");
    expect(shardFor(ranges, quarter)?.shard.shardId).toBe("shardId-000000000001");
    expect(shardFor(ranges, MAX_HASH_KEY)?.shard.shardId).toBe("shardId-000000000003");
    expect(shardFor(ranges, partitionKeyHash("a"))?.shard.shardId).toBe("shardId-000000000000");
  });

  it("skip closed shards", () => {
    const [r0, r1] = evenHashRanges(2);
    const shards = initialShards(2, 1000);
    shards[0]!.endingSequenceNumber = "1";
    const child = { ...shards[0]!, shardId: "shardId-000000000002", endingSequenceNumber: undefined };
    const ranges = openRanges([...shards, child]);
    expect(ranges.map((r) => r.shard.shardId)).toEqual(["shardId-000000000002", "shardId-000000000001"]);
    expect(shardFor(ranges, r0!.start)?.shard.shardId).toBe("shardId-000000000002");
    expect(shardFor(ranges, r1!.end)?.shard.shardId).toBe("shardId-000000000001");
  });
});
