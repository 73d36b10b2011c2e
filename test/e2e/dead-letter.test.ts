/**
 * Dead-letter queues end to end, over both SQS protocols: the move past maxReceiveCount (compare the
 * AWS recording `test_dead_letter_queue_message_attributes`), ListDeadLetterSourceQueues with paging,
 * RedriveAllowPolicy, chains of dead-letter queues and removing a RedrivePolicy.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 */
import { describe, expect, it } from "vitest";
import { client, protocols, uniqueName } from "./clients";
import { sleep } from "./helpers";
import { queueFixtures } from "./sqs-queues";
import { expectAwsError, noSuchQueueMessage } from "./wire-errors";

type Client = ReturnType<typeof client>;

describe.each(protocols)("dead-letter queues over $name", ({ name: protocol, sdk }) => {
  const { create, counts } = queueFixtures(sdk);
  const redrive = (arn: string, maxReceiveCount = 1) => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount });
  const receiveAll = (sqs: Client, url: string, wait = 0) =>
    sqs.send(
      new sdk.ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: wait,
        AttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
    );
  /** Receives until `n` messages arrived (AWS moves dead letters asynchronously), at most `ms`. */
  const collect = async (sqs: Client, url: string, n: number, ms = 8000) => {
    const out: NonNullable<Awaited<ReturnType<typeof receiveAll>>["Messages"]> = [];
    const until = Date.now() + ms;
    while (out.length < n && Date.now() < until) {
      const { Messages } = await receiveAll(sqs, url, 1);
      out.push(...(Messages ?? []));
    }
    return out;
  };
  const listSources = async (sqs: Client, url: string) => {
    const res = await sqs.send(new sdk.ListDeadLetterSourceQueuesCommand({ QueueUrl: url }));
    return [...(res.queueUrls ?? [])].sort();
  };

  it("moves a message received more than maxReceiveCount times to the dead-letter queue, unchanged", async () => {
    const sqs = client(sdk);
    const dlq = await create(sqs, uniqueName("dlq"));
    const source = await create(sqs, uniqueName("src"), { RedrivePolicy: redrive(dlq.arn, 1), VisibilityTimeout: "1" });
    const trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    const sent1 = await sqs.send(
      new sdk.SendMessageCommand({
        QueueUrl: source.url,
        MessageBody: "message-1",
        MessageAttributes: { MyAttribute: { DataType: "String", StringValue: "foobar" } },
        MessageSystemAttributes: { AWSTraceHeader: { DataType: "String", StringValue: trace } },
      }),
    );
    const sent2 = await sqs.send(new sdk.SendMessageCommand({ QueueUrl: source.url, MessageBody: "message-2" }));
    // Values recorded from AWS for these bodies / attributes.
    expect(sent1.MD5OfMessageBody).toBe("3d6b824fd8c1520e9a047d21fee6fb1f");
    expect(sent1.MD5OfMessageAttributes).toBe("adb59cd4678ea5a855436b949cd07ab6");
    expect(sent2.MD5OfMessageBody).toBe("95ef155b66299d14edf7ed57c468c13b");

    const first = await collect(sqs, source.url, 2);
    expect(first).toHaveLength(2);
    const before = new Map(first.map((m) => [m.MessageId!, m]));
    for (const m of first) expect(m.Attributes?.ApproximateReceiveCount).toBe("1");

    // Visible again after 1 s: the next receive exceeds maxReceiveCount 1 and diverts both.
    await sleep(1200);
    const second = await receiveAll(sqs, source.url);
    expect(second.Messages ?? []).toEqual([]);

    const moved = await collect(sqs, dlq.url, 2);
    expect(moved).toHaveLength(2);
    const byId = new Map(moved.map((m) => [m.MessageId!, m]));
    expect([...byId.keys()].sort()).toEqual([sent1.MessageId, sent2.MessageId].sort());

    const m1 = byId.get(sent1.MessageId!)!;
    expect(m1.Body).toBe("message-1");
    expect(m1.MD5OfBody).toBe("3d6b824fd8c1520e9a047d21fee6fb1f");
    expect(m1.MD5OfMessageAttributes).toBe("adb59cd4678ea5a855436b949cd07ab6");
    expect(m1.MessageAttributes).toEqual({ MyAttribute: { DataType: "String", StringValue: "foobar" } });
    expect(m1.Attributes).toMatchObject({
      ApproximateReceiveCount: "2",
      AWSTraceHeader: trace,
      DeadLetterQueueSourceArn: source.arn,
      SentTimestamp: before.get(sent1.MessageId!)!.Attributes!.SentTimestamp,
    });
    const m2 = byId.get(sent2.MessageId!)!;
    expect(m2.Body).toBe("message-2");
    expect(m2.MD5OfBody).toBe("95ef155b66299d14edf7ed57c468c13b");
    expect(m2.MessageAttributes).toBeUndefined();
    expect(m2.MD5OfMessageAttributes).toBeUndefined();
    expect(m2.Attributes).toMatchObject({
      ApproximateReceiveCount: "2",
      DeadLetterQueueSourceArn: source.arn,
      SentTimestamp: before.get(sent2.MessageId!)!.Attributes!.SentTimestamp,
    });
    expect(m2.Attributes!.AWSTraceHeader).toBeUndefined();
    // Messages that never went through a dead-letter move have no DeadLetterQueueSourceArn.
    for (const m of first) expect(m.Attributes!.DeadLetterQueueSourceArn).toBeUndefined();

    expect(await counts(sqs, source.url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(await counts(sqs, dlq.url)).toEqual({ visible: 0, inFlight: 2, delayed: 0 });
  });

  it("keeps a message below maxReceiveCount in the source queue", async () => {
    const sqs = client(sdk);
    const dlq = await create(sqs, uniqueName("dlq"));
    const source = await create(sqs, uniqueName("src"), { RedrivePolicy: redrive(dlq.arn, 2) });
    await sqs.send(new sdk.SendMessageCommand({ QueueUrl: source.url, MessageBody: "stay" }));
    const r1 = await sqs.send(
      new sdk.ReceiveMessageCommand({ QueueUrl: source.url, VisibilityTimeout: 0, AttributeNames: ["All"] }),
    );
    const r2 = await sqs.send(
      new sdk.ReceiveMessageCommand({ QueueUrl: source.url, VisibilityTimeout: 0, AttributeNames: ["All"] }),
    );
    expect(r1.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe("1");
    expect(r2.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe("2");
    // The third receive would exceed maxReceiveCount 2: the message goes to the dead-letter queue.
    const r3 = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl: source.url, VisibilityTimeout: 0 }));
    expect(r3.Messages ?? []).toEqual([]);
    const moved = await collect(sqs, dlq.url, 1);
    expect(moved.map((m) => [m.Body, m.Attributes!.ApproximateReceiveCount])).toEqual([["stay", "3"]]);
  });

  it("passes a message down a chain of dead-letter queues", async () => {
    const sqs = client(sdk);
    const c = await create(sqs, uniqueName("chain-c"));
    const b = await create(sqs, uniqueName("chain-b"), { RedrivePolicy: redrive(c.arn, 1) });
    const a = await create(sqs, uniqueName("chain-a"), { RedrivePolicy: redrive(b.arn, 1) });
    const sent = await sqs.send(new sdk.SendMessageCommand({ QueueUrl: a.url, MessageBody: "down the chain" }));

    const fromA = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl: a.url, VisibilityTimeout: 0 }));
    expect(fromA.Messages).toHaveLength(1);
    expect((await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl: a.url }))).Messages ?? []).toEqual([]);

    const inB = await collect(sqs, b.url, 1);
    expect(inB[0]?.MessageId).toBe(sent.MessageId);
    expect(inB[0]?.Attributes?.DeadLetterQueueSourceArn).toBe(a.arn);
    await sqs.send(
      new sdk.ChangeMessageVisibilityCommand({ QueueUrl: b.url, ReceiptHandle: inB[0]!.ReceiptHandle, VisibilityTimeout: 0 }),
    );
    expect((await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl: b.url }))).Messages ?? []).toEqual([]);

    const inC = await collect(sqs, c.url, 1);
    expect(inC).toHaveLength(1);
    expect(inC[0]).toMatchObject({ MessageId: sent.MessageId, Body: "down the chain" });
    expect(inC[0]!.Attributes).toMatchObject({ DeadLetterQueueSourceArn: b.arn, ApproximateReceiveCount: "3" });

    expect(await listSources(sqs, b.url)).toEqual([a.url]);
    expect(await listSources(sqs, c.url)).toEqual([b.url]);
    expect(await listSources(sqs, a.url)).toEqual([]);
  });

  it("lists dead-letter source queues, page by page with MaxResults and NextToken", async () => {
    const sqs = client(sdk);
    const dlq = await create(sqs, uniqueName("dlq"));
    const other = await create(sqs, uniqueName("other-dlq"));
    const base = uniqueName("src");
    const sources: { url: string; arn: string }[] = [];
    for (const i of [1, 2, 3]) sources.push(await create(sqs, `${base}-${i}`, { RedrivePolicy: redrive(dlq.arn, 5) }));
    await create(sqs, `${base}-other`, { RedrivePolicy: redrive(other.arn, 5) });
    const expected = sources.map((s) => s.url).sort();

    expect(await listSources(sqs, dlq.url)).toEqual(expected);

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await sqs.send(
        new sdk.ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.url, MaxResults: 1, NextToken: token }),
      );
      expect(page.queueUrls).toHaveLength(1);
      seen.push(...page.queueUrls!);
      token = page.NextToken;
      pages++;
    } while (token && pages < 10);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(expected);

    const two = await sqs.send(new sdk.ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.url, MaxResults: 2 }));
    expect(two.queueUrls).toHaveLength(2);
    expect(two.NextToken).toBeTruthy();
    const rest = await sqs.send(
      new sdk.ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.url, MaxResults: 2, NextToken: two.NextToken }),
    );
    expect(rest.queueUrls).toHaveLength(1);
    expect(rest.NextToken).toBeUndefined();
    expect([...two.queueUrls!, ...rest.queueUrls!].sort()).toEqual(expected);

    // A deleted source queue is no longer listed.
    await sqs.send(new sdk.DeleteQueueCommand({ QueueUrl: sources[0]!.url }));
    expect(await listSources(sqs, dlq.url)).toEqual(expected.filter((u) => u !== sources[0]!.url));

    await expectAwsError(sqs, new sdk.ListDeadLetterSourceQueuesCommand({ QueueUrl: `${dlq.url}-missing` }), {
      code: "AWS.SimpleQueueService.NonExistentQueue",
      status: 400,
      message: noSuchQueueMessage(protocol),
    });
  });

  it('removes a RedrivePolicy set to "": no more dead-letter moves, no longer a source', async () => {
    const sqs = client(sdk);
    const dlq = await create(sqs, uniqueName("dlq"));
    const source = await create(sqs, uniqueName("src"), { RedrivePolicy: redrive(dlq.arn, 1) });
    const attrs = await sqs.send(new sdk.GetQueueAttributesCommand({ QueueUrl: source.url, AttributeNames: ["RedrivePolicy"] }));
    expect(JSON.parse(attrs.Attributes!.RedrivePolicy!)).toEqual({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 });
    expect(await listSources(sqs, dlq.url)).toEqual([source.url]);

    await sqs.send(new sdk.SetQueueAttributesCommand({ QueueUrl: source.url, Attributes: { RedrivePolicy: "" } }));
    const after = await sqs.send(new sdk.GetQueueAttributesCommand({ QueueUrl: source.url, AttributeNames: ["All"] }));
    expect(after.Attributes!.RedrivePolicy).toBeUndefined();
    expect(await listSources(sqs, dlq.url)).toEqual([]);

    await sqs.send(new sdk.SendMessageCommand({ QueueUrl: source.url, MessageBody: "keep me" }));
    for (const n of ["1", "2", "3"]) {
      const r = await sqs.send(
        new sdk.ReceiveMessageCommand({ QueueUrl: source.url, VisibilityTimeout: 0, AttributeNames: ["All"] }),
      );
      expect(r.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe(n);
    }
    expect(await counts(sqs, dlq.url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it("enforces the dead-letter queue's RedriveAllowPolicy (denyAll, byQueue, allowAll)", async () => {
    const sqs = client(sdk);
    const denyName = uniqueName("deny");
    const deny = await create(sqs, denyName, { RedriveAllowPolicy: JSON.stringify({ redrivePermission: "denyAll" }) });
    const allowedName = uniqueName("allowed");
    const allowedArn = deny.arn.replace(denyName, allowedName);
    const byQueue = await create(sqs, uniqueName("byqueue"), {
      RedriveAllowPolicy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [allowedArn] }),
    });
    const allowAll = await create(sqs, uniqueName("allowall"), {
      RedriveAllowPolicy: JSON.stringify({ redrivePermission: "allowAll" }),
    });

    // denyAll: no queue may use it, neither at CreateQueue nor at SetQueueAttributes.
    const deniedName = uniqueName("denied");
    const policy = redrive(deny.arn, 3);
    const denied = {
      code: "InvalidParameterValue",
      status: 400,
      message: new RegExp(`^Value ${escape(policy)} for parameter RedrivePolicy is invalid\\. Reason: `),
    };
    await expectAwsError(
      sqs,
      new sdk.CreateQueueCommand({ QueueName: deniedName, Attributes: { RedrivePolicy: policy } }),
      denied,
    );
    await expectAwsError(sqs, new sdk.GetQueueUrlCommand({ QueueName: deniedName }), {
      code: "AWS.SimpleQueueService.NonExistentQueue",
      status: 400,
      message: noSuchQueueMessage(protocol),
    });
    const plain = await create(sqs, uniqueName("plain"));
    await expectAwsError(
      sqs,
      new sdk.SetQueueAttributesCommand({ QueueUrl: plain.url, Attributes: { RedrivePolicy: policy } }),
      denied,
    );
    expect(await listSources(sqs, deny.url)).toEqual([]);

    // byQueue: only the listed source.
    const allowed = await create(sqs, allowedName, { RedrivePolicy: redrive(byQueue.arn, 3) });
    expect(await listSources(sqs, byQueue.url)).toEqual([allowed.url]);
    const byQueuePolicy = redrive(byQueue.arn, 3);
    await expectAwsError(
      sqs,
      new sdk.SetQueueAttributesCommand({ QueueUrl: plain.url, Attributes: { RedrivePolicy: byQueuePolicy } }),
      {
        code: "InvalidParameterValue",
        status: 400,
        message: new RegExp(`^Value ${escape(byQueuePolicy)} for parameter RedrivePolicy is invalid\\. Reason: `),
      },
    );

    // allowAll: anyone in the account and region.
    await sqs.send(
      new sdk.SetQueueAttributesCommand({ QueueUrl: plain.url, Attributes: { RedrivePolicy: redrive(allowAll.arn, 3) } }),
    );
    expect(await listSources(sqs, allowAll.url)).toEqual([plain.url]);
  });

  it("rejects a RedrivePolicy whose dead-letter queue does not exist", async () => {
    const sqs = client(sdk);
    const plain = await create(sqs, uniqueName("plain"));
    const policy = redrive(`${plain.arn}-missing`, 2);
    await expectAwsError(sqs, new sdk.SetQueueAttributesCommand({ QueueUrl: plain.url, Attributes: { RedrivePolicy: policy } }), {
      code: "InvalidParameterValue",
      status: 400,
      message: `Value ${policy} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`,
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
