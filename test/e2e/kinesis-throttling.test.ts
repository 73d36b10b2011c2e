/**
 * Per-shard throughput limits of provisioned streams, as AWS enforces them (1,000 records/s or
 * 1 MiB/s written, 5 GetRecords calls/s read), answered with ProvisionedThroughputExceededException —
 * per record in PutRecords results. On-demand streams have no per-shard limit.
 */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordCommand,
  PutRecordsCommand,
  type KinesisClient,
} from "@aws-sdk/client-kinesis";
import { describe, expect, it } from "vitest";
import { sleep } from "./helpers";
import { isolatedKinesis } from "./kinesis-clients";
import { createActiveStream, expectKinesisError } from "./kinesis-stream-helpers";

let n = 0;
const streamName = (base: string) => `${base}-${Date.now().toString(36)}-${n++}`;
const SHARD0 = "shardId-000000000000";
const rate = (name: string, account: string, shard = SHARD0) =>
  `Rate exceeded for shard ${shard} in stream ${name} under account ${account}.`;

const batch = (size: number, bytes = 10) =>
  Array.from({ length: size }, (_, i) => ({ PartitionKey: `k${i}`, ExplicitHashKey: "0", Data: new Uint8Array(bytes) }));

async function countRecords(kinesis: KinesisClient, StreamName: string): Promise<number> {
  const { ShardIterator } = await kinesis.send(
    new GetShardIteratorCommand({ StreamName, ShardId: SHARD0, ShardIteratorType: "TRIM_HORIZON" }),
  );
  const out = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
  return out.Records!.length;
}

describe("provisioned shards", () => {
  it("accept 1,000 records per second; PutRecords fails the rest one by one, in request order", async () => {
    const { kinesis, account } = isolatedKinesis();
    const name = streamName("wr");
    await createActiveStream(kinesis, name, { ShardCount: 1 });
    // Four full batches at once: the shard admits a second's worth (1,000) plus what refills while
    // they arrive (1 per ms), and refuses the rest record by record.
    const t0 = Date.now();
    const calls = await Promise.all(
      [0, 1, 2, 3].map(() => kinesis.send(new PutRecordsCommand({ StreamName: name, Records: batch(500) }))),
    );
    const elapsed = Date.now() - t0;
    const failedCount = calls.reduce((sum, c) => sum + c.FailedRecordCount!, 0);
    expect(2000 - failedCount).toBeLessThanOrEqual(1000 + elapsed);
    if (elapsed < 900) expect(failedCount).toBeGreaterThan(0);
    for (const call of calls) {
      const failed = call.Records!.filter((r) => r.ErrorCode);
      expect(failed).toHaveLength(call.FailedRecordCount!);
      for (const r of failed)
        expect(r).toEqual({ ErrorCode: "ProvisionedThroughputExceededException", ErrorMessage: rate(name, account) });
      // Admission follows request order: a call's successes are a prefix.
      const firstFailure = call.Records!.findIndex((r) => r.ErrorCode);
      if (firstFailure >= 0) expect(call.Records!.slice(firstFailure).every((r) => r.ErrorCode)).toBe(true);
    }
    // Refused records were not stored.
    expect(await countRecords(kinesis, name)).toBe(2000 - failedCount);
  });

  it("accept 1 MiB per second of data and partition keys", async () => {
    const { kinesis, account } = isolatedKinesis();
    const name = streamName("bytes");
    await createActiveStream(kinesis, name, { ShardCount: 1 });
    const out = await kinesis.send(new PutRecordsCommand({ StreamName: name, Records: batch(3, 400 * 1024) }));
    expect(out.Records!.map((r) => r.ErrorCode ?? "ok")).toEqual(["ok", "ok", "ProvisionedThroughputExceededException"]);
    expect(out.Records![2]!.ErrorMessage).toBe(rate(name, account));
    // PutRecord is refused as a whole, with the same message.
    await expectKinesisError(
      kinesis.send(
        new PutRecordCommand({ StreamName: name, PartitionKey: "k", ExplicitHashKey: "0", Data: new Uint8Array(900 * 1024) }),
      ),
      "ProvisionedThroughputExceededException",
      rate(name, account),
    );
    await sleep(500);
    const later = await kinesis.send(new PutRecordsCommand({ StreamName: name, Records: batch(1, 400 * 1024) }));
    expect(later.FailedRecordCount).toBe(0);
  });

  it("serve 5 GetRecords calls per second", async () => {
    const { kinesis, account } = isolatedKinesis();
    const name = streamName("rd");
    await createActiveStream(kinesis, name, { ShardCount: 2 });
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({ StreamName: name, ShardId: SHARD0, ShardIteratorType: "LATEST" }),
    );
    // Ten at once: five pass, plus one per 200 ms they take to arrive; the others are refused.
    const t0 = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        kinesis.send(new GetRecordsCommand({ ShardIterator })).then(
          () => "ok",
          (e: Error & { $metadata?: { httpStatusCode?: number } }) => `${e.name} ${e.$metadata?.httpStatusCode}: ${e.message}`,
        ),
      ),
    );
    const elapsed = Date.now() - t0;
    const passed = answers.filter((a) => a === "ok").length;
    expect(passed).toBeGreaterThanOrEqual(5);
    expect(passed).toBeLessThanOrEqual(5 + Math.ceil(elapsed / 200));
    for (const a of answers.filter((a) => a !== "ok"))
      expect(a).toBe(`ProvisionedThroughputExceededException 400: ${rate(name, account)}`);
    if (elapsed < 900) expect(passed).toBeLessThan(10);
    // Another shard has its own budget; this one recovers within a second.
    const other = await kinesis.send(
      new GetShardIteratorCommand({ StreamName: name, ShardId: "shardId-000000000001", ShardIteratorType: "LATEST" }),
    );
    await kinesis.send(new GetRecordsCommand({ ShardIterator: other.ShardIterator }));
    await sleep(1000);
    await kinesis.send(new GetRecordsCommand({ ShardIterator }));
  });
});

describe("on-demand streams", () => {
  it("have no per-shard limits", async () => {
    const { kinesis } = isolatedKinesis();
    const name = streamName("od");
    await createActiveStream(kinesis, name, { StreamModeDetails: { StreamMode: "ON_DEMAND" } });
    for (let i = 0; i < 3; i++) {
      const out = await kinesis.send(new PutRecordsCommand({ StreamName: name, Records: batch(500) }));
      expect(out.FailedRecordCount).toBe(0);
    }
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({ StreamName: name, ShardId: SHARD0, ShardIteratorType: "LATEST" }),
    );
    for (let i = 0; i < 8; i++) await kinesis.send(new GetRecordsCommand({ ShardIterator }));
  });
});
