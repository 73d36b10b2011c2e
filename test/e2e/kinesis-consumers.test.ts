/**
 * Enhanced fan-out consumers with the real @aws-sdk/client-kinesis: Register (CREATING → ACTIVE),
 * Describe by ARN or by stream and name, List with paging, Deregister (DELETING → gone), AWS's
 * limits (20 per stream, 5 CREATING at once) and errors. Shapes as recorded on AWS
 * (test_kinesis.py::test_stream_consumers).
 */
import {
  DeleteStreamCommand,
  DeregisterStreamConsumerCommand,
  DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand,
  ListStreamConsumersCommand,
  ListTagsForResourceCommand,
  RegisterStreamConsumerCommand,
  type Consumer,
  type KinesisClient,
} from "@aws-sdk/client-kinesis";
import { describe, expect, it } from "vitest";
import { sleep } from "./helpers";
import { isolatedKinesis } from "./kinesis-clients";
import { createActiveStream, expectKinesisError, notFound, waitForState } from "./kinesis-stream-helpers";

let n = 0;
const streamName = (base: string) => `${base}-${Date.now().toString(36)}-${n++}`;

/** A fresh account with one ACTIVE stream; its ARN. */
async function streamWithArn(base: string, region = "us-east-1") {
  const { kinesis, account } = isolatedKinesis(region);
  const name = streamName(base);
  await createActiveStream(kinesis, name, { ShardCount: 1 });
  const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
  return { kinesis, account, name, arn: summary.StreamDescriptionSummary!.StreamARN! };
}

/** Polls DescribeStreamConsumer until the consumer shows `status` (or is gone, for "GONE"). */
const waitForConsumer = (kinesis: KinesisClient, ConsumerARN: string, status: string, timeoutMs = 5_000) =>
  waitForState(
    async () => (await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN }))).ConsumerDescription!.ConsumerStatus!,
    status,
    `consumer ${ConsumerARN}`,
    timeoutMs,
  );

async function register(kinesis: KinesisClient, StreamARN: string, ConsumerName: string): Promise<Consumer> {
  return (await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName }))).Consumer!;
}

describe("RegisterStreamConsumer", () => {
  it("registers a consumer that is CREATING, then ACTIVE, with AWS's ARN layout", async () => {
    const { kinesis, account, name, arn } = await streamWithArn("register");
    const before = Math.floor(Date.now() / 1000);
    const consumer = await register(kinesis, arn, "consumer");
    expect(consumer).toEqual({
      ConsumerName: "consumer",
      ConsumerARN: expect.stringMatching(
        new RegExp(`^arn:aws:kinesis:us-east-1:${account}:stream/${name}/consumer/consumer:\\d{10}$`),
      ),
      ConsumerStatus: "CREATING",
      ConsumerCreationTimestamp: expect.any(Date),
    });
    const seconds = Number(consumer.ConsumerARN!.split(":").pop());
    expect(seconds).toBeGreaterThanOrEqual(before - 1);
    expect(Math.abs(consumer.ConsumerCreationTimestamp!.getTime() - seconds * 1000)).toBeLessThan(1000);

    await waitForConsumer(kinesis, consumer.ConsumerARN!, "ACTIVE");
    const described = await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumer.ConsumerARN }));
    expect(described.ConsumerDescription).toEqual({
      ConsumerName: "consumer",
      ConsumerARN: consumer.ConsumerARN,
      ConsumerStatus: "ACTIVE",
      ConsumerCreationTimestamp: consumer.ConsumerCreationTimestamp,
      StreamARN: arn,
    });
    const listed = await kinesis.send(new ListStreamConsumersCommand({ StreamARN: arn }));
    expect(listed.Consumers).toEqual([{ ...consumer, ConsumerStatus: "ACTIVE" }]);
    expect(listed.NextToken).toBeUndefined();
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    expect(summary.StreamDescriptionSummary!.ConsumerCount).toBe(1);
  });

  it("refuses a name already registered on the stream, and registers it on another stream", async () => {
    const { kinesis, account, name, arn } = await streamWithArn("dup");
    await register(kinesis, arn, "c1");
    await expectKinesisError(
      kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: "c1" })),
      "ResourceInUseException",
      `Consumer c1 under stream ${name} already exists for account ${account}.`,
    );
    const other = streamName("dup-other");
    await createActiveStream(kinesis, other, { ShardCount: 1 });
    const otherArn = arn.replace(`/${name}`, `/${other}`);
    expect((await register(kinesis, otherArn, "c1")).ConsumerARN).toContain(`stream/${other}/consumer/c1:`);
  });

  it("keeps the tags given at registration (ListTagsForResource on the consumer ARN)", async () => {
    const { kinesis, arn } = await streamWithArn("tags");
    const { Consumer } = await kinesis.send(
      new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: "tagged", Tags: { team: "data", env: "test" } }),
    );
    const tags = await kinesis.send(new ListTagsForResourceCommand({ ResourceARN: Consumer!.ConsumerARN }));
    expect(tags.Tags).toEqual([
      { Key: "env", Value: "test" },
      { Key: "team", Value: "data" },
    ]);
  });

  it("allows at most 5 consumers CREATING at once and 20 per stream", async () => {
    const { kinesis, name, account, arn } = await streamWithArn("limits");
    const arns: string[] = [];
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 5; i++) arns.push((await register(kinesis, arn, `c${round}-${i}`)).ConsumerARN!);
      if (round === 0)
        await expectKinesisError(
          kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: "sixth" })),
          "LimitExceededException",
        );
      await Promise.all(arns.slice(-5).map((a) => waitForConsumer(kinesis, a, "ACTIVE")));
    }
    await expectKinesisError(
      kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: "twenty-first" })),
      "LimitExceededException",
      `Consumer limit of 20 reached for stream ${name} under account ${account}. Deregister an existing consumer before registering a new one.`,
    );
    // Deregistering makes room again once the consumer is gone.
    await kinesis.send(new DeregisterStreamConsumerCommand({ ConsumerARN: arns[0] }));
    await waitForConsumer(kinesis, arns[0]!, "GONE");
    await register(kinesis, arn, "twenty-first");
  }, 20_000);

  it("answers ResourceNotFoundException for a stream that does not exist", async () => {
    const { kinesis, account } = isolatedKinesis();
    const arn = `arn:aws:kinesis:us-east-1:${account}:stream/missing`;
    await expectKinesisError(
      kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: "c" })),
      "ResourceNotFoundException",
      notFound("missing", account),
    );
  });

  it("validates the consumer name and the stream ARN as Coral does", async () => {
    const { kinesis, arn } = await streamWithArn("validate");
    await expectKinesisError(
      kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: "bad name!" })),
      "ValidationException",
      "1 validation error detected: Value 'bad name!' at 'consumerName' failed to satisfy constraint: " +
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    );
    await expectKinesisError(
      kinesis.send(new RegisterStreamConsumerCommand({ StreamARN: "arn:aws:sqs:us-east-1:1:x", ConsumerName: "x".repeat(129) })),
      "ValidationException",
      /^2 validation errors detected: Value 'arn:aws:sqs:us-east-1:1:x' at 'streamARN' .*; Value 'x{129}' at 'consumerName' failed to satisfy constraint: Member must have length less than or equal to 128$/,
    );
  });
});

describe("DescribeStreamConsumer and DeregisterStreamConsumer", () => {
  it("find a consumer by ARN or by StreamARN and ConsumerName, and refuse conflicting ones", async () => {
    const { kinesis, arn } = await streamWithArn("describe");
    const consumer = await register(kinesis, arn, "reader");
    const byName = await kinesis.send(new DescribeStreamConsumerCommand({ StreamARN: arn, ConsumerName: "reader" }));
    const byAll = await kinesis.send(
      new DescribeStreamConsumerCommand({ StreamARN: arn, ConsumerName: "reader", ConsumerARN: consumer.ConsumerARN }),
    );
    expect(byName.ConsumerDescription!.ConsumerARN).toBe(consumer.ConsumerARN);
    expect(byAll.ConsumerDescription).toEqual(byName.ConsumerDescription);
    await expectKinesisError(
      kinesis.send(new DescribeStreamConsumerCommand({ ConsumerName: "other", ConsumerARN: consumer.ConsumerARN })),
      "InvalidArgumentException",
    );
    await expectKinesisError(
      kinesis.send(new DescribeStreamConsumerCommand({ ConsumerName: "reader" })),
      "InvalidArgumentException",
      "ConsumerARN or both ConsumerName and StreamARN are required for this request.",
    );
    await expectKinesisError(
      kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: "arn:aws:kinesis:us-east-1:000000000000:stream/x" })),
      "ValidationException",
      /^1 validation error detected: Value 'arn:aws:kinesis:us-east-1:000000000000:stream\/x' at 'consumerARN' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
    );
  });

  it("answer ResourceNotFoundException for unknown consumers, and for an old ARN of a re-registered name", async () => {
    const { kinesis, account, name, arn } = await streamWithArn("unknown");
    await expectKinesisError(
      kinesis.send(new DescribeStreamConsumerCommand({ StreamARN: arn, ConsumerName: "nobody" })),
      "ResourceNotFoundException",
      `Consumer nobody under stream ${name} not found for account ${account}.`,
    );
    const ghost = `${arn}/consumer/nobody:1700000000`;
    await expectKinesisError(
      kinesis.send(new DeregisterStreamConsumerCommand({ ConsumerARN: ghost })),
      "ResourceNotFoundException",
    );
    await expectKinesisError(
      kinesis.send(
        new DescribeStreamConsumerCommand({ ConsumerARN: `arn:aws:kinesis:us-east-1:${account}:stream/none/consumer/c:1` }),
      ),
      "ResourceNotFoundException",
      notFound("none", account),
    );

    // "If you delete a consumer and then create a new one with the same name, it won't have the same ARN."
    const old = await register(kinesis, arn, "again");
    await kinesis.send(new DeregisterStreamConsumerCommand({ ConsumerARN: old.ConsumerARN }));
    await waitForConsumer(kinesis, old.ConsumerARN!, "GONE");
    await sleep(1000);
    const renewed = await register(kinesis, arn, "again");
    expect(renewed.ConsumerARN).not.toBe(old.ConsumerARN);
    await expectKinesisError(
      kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: old.ConsumerARN })),
      "ResourceNotFoundException",
    );
  });

  it("deregisters: DELETING, then gone from Describe and List", async () => {
    const { kinesis, arn } = await streamWithArn("deregister");
    const consumer = await register(kinesis, arn, "leaving");
    await waitForConsumer(kinesis, consumer.ConsumerARN!, "ACTIVE");
    await kinesis.send(new DeregisterStreamConsumerCommand({ StreamARN: arn, ConsumerName: "leaving" }));
    const during = await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumer.ConsumerARN }));
    expect(during.ConsumerDescription!.ConsumerStatus).toBe("DELETING");
    // Deregistering again while DELETING is accepted.
    await kinesis.send(new DeregisterStreamConsumerCommand({ ConsumerARN: consumer.ConsumerARN }));
    await waitForConsumer(kinesis, consumer.ConsumerARN!, "GONE");
    expect((await kinesis.send(new ListStreamConsumersCommand({ StreamARN: arn }))).Consumers).toEqual([]);
  });

  it("keep a stream with consumers from DeleteStream unless EnforceConsumerDeletion", async () => {
    const { kinesis, name, arn } = await streamWithArn("delete");
    await register(kinesis, arn, "holder");
    await expectKinesisError(kinesis.send(new DeleteStreamCommand({ StreamName: name })), "ResourceInUseException");
    await kinesis.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true }));
  });
});

describe("ListStreamConsumers", () => {
  it("pages in registration order with MaxResults and NextToken", async () => {
    const { kinesis, arn } = await streamWithArn("list");
    const names = ["a", "b", "c", "d", "e"];
    for (const name of names) {
      await register(kinesis, arn, name);
      await sleep(5);
    }
    const seen: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await kinesis.send(new ListStreamConsumersCommand({ StreamARN: arn, MaxResults: 2, NextToken }));
      expect(page.Consumers!.length).toBeLessThanOrEqual(2);
      seen.push(...page.Consumers!.map((c) => c.ConsumerName!));
      NextToken = page.NextToken;
      pages++;
    } while (NextToken);
    expect(seen).toEqual(names);
    expect(pages).toBe(3);
  });

  it("checks MaxResults, NextToken and StreamCreationTimestamp", async () => {
    const { kinesis, account, name, arn } = await streamWithArn("list-bad");
    await expectKinesisError(
      kinesis.send(new ListStreamConsumersCommand({ StreamARN: arn, MaxResults: 0 })),
      "ValidationException",
      "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await expectKinesisError(
      kinesis.send(new ListStreamConsumersCommand({ StreamARN: arn, NextToken: "garbage" })),
      "InvalidArgumentException",
    );
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    const created = summary.StreamDescriptionSummary!.StreamCreationTimestamp!;
    const ok = await kinesis.send(new ListStreamConsumersCommand({ StreamARN: arn, StreamCreationTimestamp: created }));
    expect(ok.Consumers).toEqual([]);
    await expectKinesisError(
      kinesis.send(
        new ListStreamConsumersCommand({ StreamARN: arn, StreamCreationTimestamp: new Date(created.getTime() - 3_600_000) }),
      ),
      "ResourceNotFoundException",
      notFound(name, account),
    );
  });
});
