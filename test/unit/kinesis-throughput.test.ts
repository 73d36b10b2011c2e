import { describe, expect, it } from "vitest";
import { MiB, ShardThroughput } from "../../src/domain/kinesis/throughput";

describe("shard throughput budget", () => {
  it("admits 1,000 records per second, then refills", () => {
    const t = new ShardThroughput(0);
    let admitted = 0;
    for (let i = 0; i < 1500; i++) if (t.admitWrite(10, 0)) admitted++;
    expect(admitted).toBe(1000);
    expect(t.admitWrite(10, 100)).toBe(true); // 100 ms refill 100 records
    let more = 1;
    while (t.admitWrite(10, 100)) more++;
    expect(more).toBe(100);
  });

  it("admits 1 MiB per second of data and keys", () => {
    const t = new ShardThroughput(0);
    expect(t.admitWrite(MiB / 2, 0)).toBe(true);
    expect(t.admitWrite(MiB / 2, 0)).toBe(true);
    expect(t.admitWrite(1, 0)).toBe(false);
    expect(t.admitWrite(MiB / 2, 500)).toBe(true);
  });

  it("admits 5 reads per second, and none while a big read's debt lasts", () => {
    const t = new ShardThroughput(0);
    for (let i = 0; i < 5; i++) expect(t.admitRead(0)).toBe(true);
    expect(t.admitRead(0)).toBe(false);
    expect(t.admitRead(1000)).toBe(true);
    t.chargeRead(10 * MiB);
    expect(t.admitRead(2000)).toBe(false);
    expect(t.admitRead(5000)).toBe(false);
    expect(t.admitRead(5100)).toBe(true);
  });
});
