/**
 * Kinesis data plane with the real @aws-sdk/client-kinesis: PutRecord / PutRecords routing by hash
 * key, sequence numbers, results in request order, read back through GetShardIterator / GetRecords;
 * bad input gets AWS's exact errors and leaves stored records untouched.
 */
import { createHash } from "node:crypto";
import {
  DeleteStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  StartStreamEncryptionCommand,
  UpdateMaxRecordSizeCommand,
  type KinesisClient,
  type _Record,
} from "@aws-sdk/client-kinesis";
import { describe, expect, it } from "vitest";
import { isolatedKinesis } from "./kinesis-clients";
import { createActiveStream, expectKinesisError, waitForStatus } from "./kinesis-stream-helpers";

const utf8 = new TextEncoder();
const text = (data: Uint8Array | undefined) => new TextDecoder().decode(data);
const md5Key = (pk: string) => BigInt(`0x${createHash("md5").update(pk, "utf8").digest("hex")}`);
let n = 0;
const streamName = (base: string) => `${base}-${Date.now().toString(36)}-${n++}`;

/** Every record of one shard, from TRIM_HORIZON to the tip. */
async function readShard(kinesis: KinesisClient, StreamName: string, ShardId: string): Promise<_Record[]> {
  const { ShardIterator } = await kinesis.send(
    new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: "TRIM_HORIZON" }),
  );
  const out: _Record[] = [];
  let iterator = ShardIterator;
  for (let i = 0; i < 20 && iterator; i++) {
    const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
    out.push(...(page.Records ?? []));
    if (!page.Records?.length) break;
    iterator = page.NextShardIterator;
  }
  return out;
}

describe.concurrent("PutRecord", () => {
  it("stores any bytes and reads them back unchanged, with AWS-shaped sequence numbers", async () => {
    const { kinesis, account } = isolatedKinesis();
    const name = streamName("put");
    await createActiveStream(kinesis, name, { ShardCount: 1 });
    const payloads = [
      new Uint8Array(0),
      utf8.encode("a".repeat(1000)),
      utf8.encode("ünicödé 统一码 💣"),
      Uint8Array.from([0, 255, 1, 254]),
    ];
    const puts = [];
    for (const Data of payloads)
      puts.push(await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: "1", Data })));
    expect(puts.map((p) => [p.ShardId, p.EncryptionType])).toEqual(payloads.map(() => ["shardId-000000000000", "NONE"]));
    for (const p of puts) expect(p.SequenceNumber).toMatch(/^\d{56}$/);
    const numbers = puts.map((p) => BigInt(p.SequenceNumber!));
    expect(numbers.every((s, i) => i === 0 || s > numbers[i - 1]!)).toBe(true);
    expect(BigInt(puts[0]!.SequenceNumber!).toString(16)).toMatch(/^20[0-9a-f]{8}0[0-9a-f]{16}000[0-9a-f]{8}000000002$/);

    const records = await readShard(kinesis, name, "shardId-000000000000");
    expect(records.map((r) => r.Data)).toEqual(payloads);
    expect(records.map((r) => r.SequenceNumber)).toEqual(puts.map((p) => p.SequenceNumber));
    expect(records.map((r) => r.PartitionKey)).toEqual(payloads.map(() => "1"));
    for (const r of records) {
      expect(r.ApproximateArrivalTimestamp).toBeInstanceOf(Date);
      expect(Math.abs(r.ApproximateArrivalTimestamp!.getTime() - Date.now())).toBeLessThan(60_000);
    }
    // StreamARN works as well as StreamName.
    const arn = `arn:aws:kinesis:us-east-1:${account}:stream/${name}`;
    const byArn = await kinesis.send(new PutRecordCommand({ StreamARN: arn, PartitionKey: "x", Data: utf8.encode("arn") }));
    expect(BigInt(byArn.SequenceNumber!) > numbers[3]!).toBe(true);
  });

  it("routes by MD5 of the partition key, or by ExplicitHashKey, to the shard whose range holds it", async () => {
    const { kinesis } = isolatedKinesis();
    const name = streamName("route");
    await createActiveStream(kinesis, name, { ShardCount: 4 });
    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: name }));
    const owner = (key: bigint) =>
      Shards!.find((s) => BigInt(s.HashKeyRange!.StartingHashKey!) <= key && key <= BigInt(s.HashKeyRange!.EndingHashKey!))!
        .ShardId;
    for (const pk of ["a", "b", "c", "d", "e", "f", "user-42", "ü"]) {
      const out = await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: pk, Data: utf8.encode(pk) }));
      expect(out.ShardId, pk).toBe(owner(md5Key(pk)));
    }
    for (const s of Shards!) {
      const key = s.HashKeyRange!.EndingHashKey!;
      const out = await kinesis.send(
        new PutRecordCommand({ StreamName: name, PartitionKey: "a", ExplicitHashKey: key, Data: utf8.encode("x") }),
      );
      expect(out.ShardId).toBe(s.ShardId);
    }
  });

  it("answers bad input with AWS's errors and stores nothing", async () => {
    const { kinesis, account } = isolatedKinesis();
    const name = streamName("bad");
    await createActiveStream(kinesis, name, { ShardCount: 1 });
    const put = (input: Partial<ConstructorParameters<typeof PutRecordCommand>[0]>) =>
      kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: "k", Data: utf8.encode("x"), ...input } as never));
    await expectKinesisError(
      put({ PartitionKey: "p".repeat(257) }),
      "ValidationException",
      `1 validation error detected: Value '${"p".repeat(257)}' at 'partitionKey' failed to satisfy constraint: Member must have length less than or equal to 256`,
    );
    await expectKinesisError(
      put({ PartitionKey: "" }),
      "ValidationException",
      "1 validation error detected: Value '' at 'partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    await expectKinesisError(
      put({ ExplicitHashKey: "-1" }),
      "ValidationException",
      "1 validation error detected: Value '-1' at 'explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})",
    );
    const tooHigh = (2n ** 128n).toString();
    await expectKinesisError(
      put({ ExplicitHashKey: tooHigh }),
      "InvalidArgumentException",
      `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${tooHigh}`,
    );
    await expectKinesisError(
      put({ Data: new Uint8Array(1024 * 1024 + 1) }),
      "ValidationException",
      "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=1048577 cap=1048577]' at 'data' failed to satisfy constraint: Member must have length less than or equal to 1048576",
    );
    await expectKinesisError(
      put({ SequenceNumberForOrdering: "123" }),
      "InvalidArgumentException",
      `ExclusiveMinimumSequenceNumber 123 used in PutRecord on stream ${name} under account ${account} is invalid.`,
    );
    await expectKinesisError(
      put({ StreamName: `${name}-nope` }),
      "ResourceNotFoundException",
      `Stream ${name}-nope under account ${account} not found.`,
    );
    await expectKinesisError(
      put({ PartitionKey: "", StreamName: "a/b" }),
      "ValidationException",
      "2 validation errors detected: Value '' at 'partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value 'a/b' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    );
    expect(await readShard(kinesis, name, "shardId-000000000000")).toEqual([]);
    // A record exactly at the limit (data + key = 1 MiB) is fine; so is SequenceNumberForOrdering from an earlier put.
    const first = await put({ Data: new Uint8Array(1024 * 1024 - 1) });
    const second = await put({ SequenceNumberForOrdering: first.SequenceNumber });
    expect(BigInt(second.SequenceNumber!) > BigInt(first.SequenceNumber!)).toBe(true);
  });
});

describe.concurrent("PutRecords", () => {
  it("answers in request order, grouped into shards in parallel, each shard's numbers increasing", async () => {
    const { kinesis } = isolatedKinesis();
    const name = streamName("batch");
    await createActiveStream(kinesis, name, { ShardCount: 4 });
    const Records = Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `key-${i}`, Data: utf8.encode(`record ${i}`) }));
    const out = await kinesis.send(new PutRecordsCommand({ StreamName: name, Records }));
    expect(out.FailedRecordCount).toBe(0);
    expect(out.EncryptionType).toBe("NONE");
    expect(out.Records).toHaveLength(500);
    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: name }));
    const owner = (key: bigint) =>
      Shards!.find((s) => BigInt(s.HashKeyRange!.StartingHashKey!) <= key && key <= BigInt(s.HashKeyRange!.EndingHashKey!))!
        .ShardId;
    out.Records!.forEach((r, i) => expect(r.ShardId).toBe(owner(md5Key(`key-${i}`))));
    for (const shard of Shards!) {
      const mine = out.Records!.map((r, i) => ({ ...r, i })).filter((r) => r.ShardId === shard.ShardId);
      const stored = await readShard(kinesis, name, shard.ShardId!);
      expect(stored.map((r) => text(r.Data))).toEqual(mine.map((r) => `record ${r.i}`));
      expect(stored.map((r) => r.SequenceNumber)).toEqual(mine.map((r) => r.SequenceNumber));
    }
  });

  it("answers bad batches with AWS's errors and stores nothing", async () => {
    const { kinesis } = isolatedKinesis();
    const name = streamName("badbatch");
    await createActiveStream(kinesis, name, { ShardCount: 1 });
    const send = (Records: { PartitionKey?: string; Data?: Uint8Array; ExplicitHashKey?: string }[]) =>
      kinesis.send(new PutRecordsCommand({ StreamName: name, Records: Records as never }));
    const ok = { PartitionKey: "k", Data: utf8.encode("x") };
    await expectKinesisError(
      send([]),
      "ValidationException",
      "1 validation error detected: Value '[]' at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    await expectKinesisError(
      send(Array.from({ length: 501 }, () => ok)),
      "ValidationException",
      /^1 validation error detected: Value '\[com\.amazonaws\.kinesis\.v20131202\.PutRecordsRequestEntry@c965e310, .*\]' at 'records' failed to satisfy constraint: Member must have length less than or equal to 500$/,
    );
    await expectKinesisError(
      send([ok, { ...ok, PartitionKey: "" }, { ...ok, ExplicitHashKey: "abc" }]),
      "ValidationException",
      "2 validation errors detected: Value '' at 'records.2.member.partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value 'abc' at 'records.3.member.explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})",
    );
    await expectKinesisError(
      send([ok, { ...ok, ExplicitHashKey: (2n ** 128n).toString() }]),
      "InvalidArgumentException",
      `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${2n ** 128n}`,
    );
    await expectKinesisError(
      send([ok, { ...ok, Data: new Uint8Array(1024 * 1024) }]),
      "ValidationException",
      "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=1048576 cap=1048576]' at 'records.2.member.data' failed to satisfy constraint: Member must have length less than or equal to 1048576",
    );
    const mib = new Uint8Array(1024 * 1024 - 1);
    await expectKinesisError(
      send(Array.from({ length: 11 }, () => ({ PartitionKey: "k", Data: mib }))),
      "InvalidArgumentException",
      "Records size exceeds 10 MB limit",
    );
    expect(await readShard(kinesis, name, "shardId-000000000000")).toEqual([]);
  });
});

describe.concurrent("records and the stream's life", () => {
  it("takes records up to the stream's MaxRecordSizeInKiB, and reads big ones back whole", async () => {
    const { kinesis, account } = isolatedKinesis();
    const name = streamName("big");
    // On demand: no per-shard write budget, which a 3 MiB record would use up for 3 seconds.
    await createActiveStream(kinesis, name, { StreamModeDetails: { StreamMode: "ON_DEMAND" } });
    const big = Uint8Array.from({ length: 3 * 1024 * 1024 }, (_, i) => (i * 7) % 256);
    const put = (Data: Uint8Array) =>
      kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: "k", ExplicitHashKey: "0", Data }));
    await expectKinesisError(
      put(big),
      "ValidationException",
      `1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=${big.length} cap=${big.length}]' at 'data' failed to satisfy constraint: Member must have length less than or equal to 1048576`,
    );
    const StreamARN = `arn:aws:kinesis:us-east-1:${account}:stream/${name}`;
    await kinesis.send(new UpdateMaxRecordSizeCommand({ StreamARN, MaxRecordSizeInKiB: 4096 }));
    await waitForStatus(kinesis, name, "ACTIVE");
    await put(big);
    await put(utf8.encode("small"));
    const records = await readShard(kinesis, name, "shardId-000000000000");
    expect(records.map((r) => r.Data!.length)).toEqual([big.length, 5]);
    expect(Buffer.from(records[0]!.Data!).equals(Buffer.from(big))).toBe(true);
  });

  it("keeps every record of 32 concurrent producers, each producer's in order", async () => {
    const { kinesis } = isolatedKinesis();
    const name = streamName("conc");
    await createActiveStream(kinesis, name, { ShardCount: 2 });
    const sent = await Promise.all(
      Array.from({ length: 32 }, async (_, p) => {
        const numbers = [];
        for (let i = 0; i < 5; i++)
          numbers.push(
            (
              await kinesis.send(
                new PutRecordCommand({ StreamName: name, PartitionKey: `p${p}`, Data: utf8.encode(`${p}:${i}`) }),
              )
            ).SequenceNumber!,
          );
        return numbers;
      }),
    );
    for (const numbers of sent) expect(numbers.map(BigInt).every((s, i, all) => i === 0 || s > all[i - 1]!)).toBe(true);
    const stored = [
      ...(await readShard(kinesis, name, "shardId-000000000000")),
      ...(await readShard(kinesis, name, "shardId-000000000001")),
    ];
    expect(stored.map((r) => text(r.Data)).sort()).toEqual(
      sent.flatMap((_, p) => Array.from({ length: 5 }, (_, i) => `${p}:${i}`)).sort(),
    );
    expect(new Set(stored.map((r) => r.SequenceNumber)).size).toBe(160);
  });

  it("refuses writes once the stream is deleted; a re-created stream starts empty", async () => {
    const { kinesis, account } = isolatedKinesis();
    const name = streamName("again");
    await createActiveStream(kinesis, name, { ShardCount: 1 });
    await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: "k", Data: utf8.encode("first life") }));
    await kinesis.send(new DeleteStreamCommand({ StreamName: name }));
    await waitForStatus(kinesis, name, "GONE");
    await expectKinesisError(
      kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: "k", Data: utf8.encode("x") })),
      "ResourceNotFoundException",
      `Stream ${name} under account ${account} not found.`,
    );
    await createActiveStream(kinesis, name, { ShardCount: 1 });
    await kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: "k", Data: utf8.encode("second life") }));
    expect((await readShard(kinesis, name, "shardId-000000000000")).map((r) => text(r.Data))).toEqual(["second life"]);
  });

  it("reports EncryptionType KMS for records written while encryption is on", async () => {
    const { kinesis } = isolatedKinesis();
    const name = streamName("kms");
    await createActiveStream(kinesis, name, { ShardCount: 1 });
    const put = (t: string) => kinesis.send(new PutRecordCommand({ StreamName: name, PartitionKey: "k", Data: utf8.encode(t) }));
    expect((await put("plain")).EncryptionType).toBe("NONE");
    await kinesis.send(new StartStreamEncryptionCommand({ StreamName: name, EncryptionType: "KMS", KeyId: "alias/aws/kinesis" }));
    await waitForStatus(kinesis, name, "ACTIVE");
    expect((await put("secret")).EncryptionType).toBe("KMS");
    const records = await readShard(kinesis, name, "shardId-000000000000");
    expect(records.map((r) => [text(r.Data), r.EncryptionType])).toEqual([
      ["plain", undefined],
      ["secret", "KMS"],
    ]);
  });
});
