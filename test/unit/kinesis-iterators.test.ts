import { describe, expect, it } from "vitest";
import { failure, value } from "./results";
import {
  amzUtcString,
  decodeIterator,
  encodeIterator,
  openIterator,
  type ShardIterator,
} from "../../src/domain/kinesis/iterators";

const now = Date.UTC(2026, 10, 26, 3, 4, 5);
const it0: ShardIterator = {
  issuedAt: now,
  account: "123456789012",
  region: "us-east-1",
  stream: "a".repeat(128),
  streamCreatedAt: now - 1000,
  shardId: "shardId-000000000003",
  seq: 123456,
};

describe("shard iterators", () => {
  it("round-trip, are base64 and fit ShardIterator's 512 characters", () => {
    const token = encodeIterator(it0);
    expect(token).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(token.length).toBeLessThanOrEqual(512);
    expect(decodeIterator(token)).toEqual(it0);
    expect(value(openIterator(token, now + 299_999))).toEqual(it0);
  });

  it("reject altered, truncated and made-up tokens as 'Invalid ShardIterator.'", () => {
    const token = encodeIterator(it0);
    const flipped = (token[10] === "A" ? "B" : "A") + "";
    for (const bad of [
      token.slice(0, -4),
      token.slice(0, 10) + flipped + token.slice(11),
      "abc",
      "AAAA",
      btoa("x".repeat(100)),
    ]) {
      const e = failure(openIterator(bad, now));
      expect([e.code, e.message]).toEqual(["InvalidArgumentException", "Invalid ShardIterator."]);
    }
  });

  it("expire after 5 minutes with AWS's message", () => {
    const e = failure(openIterator(encodeIterator(it0), now + 300_001));
    expect(e.code).toBe("ExpiredIteratorException");
    expect(e.message).toBe(
      "Iterator expired. The iterator was created at time Thu Nov 26 03:04:05 UTC 2026 while right now it is " +
        "Thu Nov 26 03:09:05 UTC 2026 which is further in the future than the tolerated delay of 300000 milliseconds.",
    );
  });

  it("print times as Java's Date#toString in UTC", () => {
    expect(amzUtcString(Date.UTC(2015, 0, 22, 1, 22, 2))).toBe("Thu Jan 22 01:22:02 UTC 2015");
  });
});
