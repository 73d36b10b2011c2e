/**
 * KPL de-aggregation: well-formed aggregated records give their user records in order; anything that
 * only looks aggregated is passed on whole, as the KCL does.
 */
import { describe, expect, it } from "vitest";
import { deaggregate, KPL_MAGIC, parseAggregated } from "../../src/domain/firehose/kpl-deaggregate";
import { aggregate, aggregatedMessage, wrapAggregated } from "./kpl-fixture";

const utf8 = new TextEncoder();
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("KPL de-aggregation", () => {
  it("splits an aggregated record into its user records, in order", () => {
    const out = deaggregate(aggregate(["one", "two", "three"]));
    expect(out.map(text)).toEqual(["one", "two", "three"]);
  });

  it("returns copies, not views into the aggregate", () => {
    const [first] = deaggregate(aggregate(["abc", "def"]));
    expect(first!.byteOffset).toBe(0);
    expect(first!.buffer.byteLength).toBe(3);
  });

  it("keeps partition keys, explicit hash keys, and ignores tags", () => {
    const message = aggregatedMessage(
      ["a", "b"],
      [
        { data: "x", partitionKeyIndex: 1, explicitHashKeyIndex: 0, tags: [{ key: "k", value: "v" }] },
        { data: "y", partitionKeyIndex: 0 },
      ],
      ["123"],
    );
    expect(parseAggregated(wrapAggregated(message))).toEqual([
      { data: utf8.encode("x"), partitionKey: "b", explicitHashKey: "123" },
      { data: utf8.encode("y"), partitionKey: "a" },
    ]);
  });

  it("handles empty data and multi-byte varints (a 300-byte record)", () => {
    const big = new Uint8Array(300).fill(7);
    const out = deaggregate(aggregate([new Uint8Array(0), big]));
    expect(out.map((b) => b.length)).toEqual([0, 300]);
    expect(out[1]).toEqual(big);
  });

  it("an aggregate of no records gives none", () => {
    expect(deaggregate(wrapAggregated(aggregatedMessage(["a"], [])))).toEqual([]);
  });

  it("passes on a plain record unchanged", () => {
    const plain = utf8.encode('{"hello":"world"}');
    expect(deaggregate(plain)).toEqual([plain]);
    expect(deaggregate(new Uint8Array(0))).toEqual([new Uint8Array(0)]);
  });

  it("passes on a record with the magic bytes but a wrong MD5", () => {
    const bad = aggregate(["one", "two"]);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff;
    expect(deaggregate(bad)).toEqual([bad]);
  });

  it("passes on a record too short to hold magic and MD5", () => {
    const short = Uint8Array.from([...KPL_MAGIC, 1, 2, 3]);
    expect(deaggregate(short)).toEqual([short]);
  });

  it("passes on a well-checksummed protobuf that does not parse or breaks the tables", () => {
    // A length running past the end.
    const truncated = wrapAggregated(Uint8Array.of(0x1a, 0x10, 0x08));
    expect(deaggregate(truncated)).toEqual([truncated]);
    // A partition key index outside the table.
    const outOfRange = wrapAggregated(aggregatedMessage(["a"], [{ data: "x", partitionKeyIndex: 3 }]));
    expect(deaggregate(outOfRange)).toEqual([outOfRange]);
    // An explicit hash key index with no table.
    const noHashKeys = wrapAggregated(aggregatedMessage(["a"], [{ data: "x", explicitHashKeyIndex: 0 }]));
    expect(deaggregate(noHashKeys)).toEqual([noHashKeys]);
    // A record without its required data field.
    const noData = wrapAggregated(Uint8Array.of(0x0a, 0x01, 0x61, 0x1a, 0x02, 0x08, 0x00));
    expect(deaggregate(noData)).toEqual([noData]);
    // A partition key that is not UTF-8.
    const badKey = wrapAggregated(Uint8Array.of(0x0a, 0x01, 0xff, 0x1a, 0x05, 0x08, 0x00, 0x1a, 0x01, 0x78));
    expect(deaggregate(badKey)).toEqual([badKey]);
  });

  it("skips unknown fields of every wire type", () => {
    const known = aggregatedMessage(["a"], [{ data: "x" }]);
    // field 9 varint, field 10 fixed64, field 11 bytes, field 12 fixed32, then the known fields.
    const extra = Uint8Array.of(0x48, 0x96, 0x01, 0x51, 1, 2, 3, 4, 5, 6, 7, 8, 0x5a, 0x02, 0x61, 0x62, 0x65, 1, 2, 3, 4);
    const message = new Uint8Array(extra.length + known.length);
    message.set(extra);
    message.set(known, extra.length);
    expect(deaggregate(wrapAggregated(message)).map(text)).toEqual(["x"]);
  });
});
