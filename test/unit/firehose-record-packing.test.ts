import { describe, expect, it } from "vitest";
import { packRecords, unpackRecords } from "../../src/domain/firehose/record-packing";

const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

describe("Firehose record packing", () => {
  it("packs records into rows and unpacks them unchanged, empty records included", () => {
    const records = [bytes(3, 1), bytes(0, 0), bytes(5, 2)];
    const rows = packRecords(records);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ count: 3, size: 8 });
    expect(unpackRecords(rows[0]!.data)).toEqual(records);
  });

  it("starts a new row when the next record would not fit, and never splits one", () => {
    const records = [bytes(40, 1), bytes(40, 2), bytes(100, 3)];
    const rows = packRecords(records, 90);
    expect(rows.map((r) => r.count)).toEqual([2, 1]);
    expect(rows.map((r) => r.size)).toEqual([80, 100]);
    expect(rows.flatMap((r) => unpackRecords(r.data))).toEqual(records);
  });

  it("keeps a 1,000 KiB record in one row of the default size", () => {
    const big = bytes(1_024_000, 7);
    const rows = packRecords([big, big]);
    expect(rows.map((r) => r.count)).toEqual([1, 1]);
    expect(unpackRecords(rows[1]!.data)[0]!.length).toBe(1_024_000);
  });
});
