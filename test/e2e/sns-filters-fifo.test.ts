/**
 * Filter policies end to end (both scopes) and FIFO topics, with the real SDKs. Scenarios and
 * expected deliveries follow the AWS recordings in ../shared/aws-recordings/sns/
 * (test_sns_filter_policy.snapshot.json: TestSNSFilterPolicyAttributes/Body; test_sns.snapshot.json:
 * TestSNSSubscriptionSQSFifo::*).
 */
import { createHash } from "node:crypto";
import { PublishBatchCommand, PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { awsError, endpoint, uniqueName } from "./clients";
import {
  bodyOf,
  createQueue,
  createTopic,
  drain,
  isolatedPair,
  receiveExactly,
  receiveUntil,
  subscribe,
  type SqsMessage,
  FIFO_ENVELOPE_KEYS,
  setAttribute,
} from "./sns-delivery-helpers";

type Attrs = Record<string, { DataType: string; StringValue: string }>;
const str = (v: string) => ({ DataType: "String", StringValue: v });
const num = (v: string) => ({ DataType: "Number", StringValue: v });

/** A topic with one raw-delivery queue per filter policy. */
async function filtered(policies: object[], scope: "MessageAttributes" | "MessageBody" = "MessageAttributes") {
  const { sns, sqs } = isolatedPair();
  const topicArn = await createTopic(sns);
  const queues = await Promise.all(policies.map(() => createQueue(sqs)));
  const subs = await Promise.all(
    queues.map((q, i) =>
      subscribe(sns, topicArn, "sqs", q.arn, {
        RawMessageDelivery: "true",
        FilterPolicyScope: scope,
        FilterPolicy: JSON.stringify(policies[i]),
      }),
    ),
  );
  return { sns, sqs, topicArn, queues, subs };
}

const publish = (sns: SNSClient, topicArn: string, Message: string, MessageAttributes?: Attrs) =>
  sns.send(new PublishCommand({ TopicArn: topicArn, Message, MessageAttributes }));

/**
 * The bodies each queue of `setup` received, sorted, once everything published so far is delivered:
 * the filter policies are removed (a filter applies when a message is published) and a fence that
 * every subscription now takes is published; a queue holding the fence holds all that came before.
 */
async function delivered({ sns, sqs, topicArn, queues, subs }: Awaited<ReturnType<typeof filtered>>): Promise<string[][]> {
  await Promise.all(subs.map((sub) => setAttribute(sns, sub, "FilterPolicy", "")));
  const fence = uniqueName("fence");
  await publish(sns, topicArn, fence);
  return Promise.all(
    queues.map(async (q) => (await receiveUntil(sqs, q.url, (m) => m.Body === fence)).map((m) => m.Body!).sort()),
  );
}

describe("filter policies on message attributes", () => {
  it("numeric range, then [null, anything-but], then no policy (recorded test_filter_policy)", async () => {
    const setup = await filtered([{ attr1: [{ numeric: [">", 0, "<=", 100] }] }]);
    const { sns, topicArn, subs } = setup;
    await publish(sns, topicArn, "This is a test message", { attr1: num("99") });
    await publish(sns, topicArn, "This is another test message", { attr1: num("111") });
    expect(await delivered(setup)).toEqual([["This is a test message"]]);
    const set = (v: string) => setAttribute(sns, subs[0]!, "FilterPolicy", v);
    await set(JSON.stringify({ attr1: [null, { "anything-but": "whatever" }] }));
    await publish(sns, topicArn, "This the test message for null");
    expect(await delivered(setup)).toEqual([[]]);
    await set("");
    await publish(sns, topicArn, "This the test message for null");
    expect(await delivered(setup)).toEqual([["This the test message for null"]]);
  });

  it("exists true and false (recorded test_exists_filter_policy)", async () => {
    const setup = await filtered([{ store: [{ exists: true }] }, { store: [{ exists: false }] }]);
    const { sns, topicArn } = setup;
    await publish(sns, topicArn, "message-1", { store: num("99"), def: num("99") });
    await publish(sns, topicArn, "message-2", { attr1: num("111") });
    await publish(sns, topicArn, "message-3");
    expect(await delivered(setup)).toEqual([["message-1"], ["message-2", "message-3"]]);
  });

  it("routes by exact, prefix, suffix, anything-but, equals-ignore-case, numeric, cidr, String.Array and $or", async () => {
    const policies = [
      { color: ["red", "blue"] },
      { color: [{ prefix: "gr" }] },
      { color: [{ "anything-but": ["red", "blue"] }], size: [{ numeric: [">=", 10, "<", 20] }] },
      { color: [{ "equals-ignore-case": "RED" }] },
      { ip: [{ cidr: "10.0.0.0/24" }] },
      { tags: ["urgent"] },
      { $or: [{ color: [{ suffix: "ow" }] }, { size: [{ numeric: ["=", 42] }] }] },
      { color: [{ "anything-but": { prefix: "r" } }] },
    ];
    const setup = await filtered(policies);
    const { sns, topicArn } = setup;
    const messages: [string, Attrs][] = [
      ["red", { color: str("red") }],
      ["Red", { color: str("Red") }],
      ["green-15", { color: str("green"), size: num("15") }],
      ["yellow-20", { color: str("yellow"), size: num("20") }],
      ["blue-42", { color: str("blue"), size: num("42") }],
      ["ip-in", { ip: str("10.0.0.255") }],
      ["ip-out", { ip: str("10.0.1.1") }],
      ["tags", { tags: { DataType: "String.Array", StringValue: '["low","urgent"]' } }],
      ["none", {}],
    ];
    for (const [body, attrs] of messages) await publish(sns, topicArn, body, attrs);
    const expected = [
      ["blue-42", "red"],
      ["green-15"],
      ["green-15"],
      ["Red", "red"],
      ["ip-in"],
      ["tags"],
      ["blue-42", "yellow-20"],
      // anything-but needs the attribute; matching is case-sensitive, so "Red" does not start with "r".
      ["Red", "blue-42", "green-15", "yellow-20"],
    ];
    expect(await delivered(setup)).toEqual(expected);
  });
});

describe("filter policies on the message body", () => {
  it("matches nested keys and dotted keys alike (recorded test_filter_policy_on_message_body_dot_attribute)", async () => {
    const setup = await filtered(
      [{ "object.nested": ["string.value"] }, { "object.nested.test": ["string.value"] }],
      "MessageBody",
    );
    const { sns, topicArn } = setup;
    const send = (o: object) => publish(sns, topicArn, JSON.stringify(o));
    await send({ object: { nested: "string.value" } });
    await send({ "object.nested": "string.value" });
    await send({ object: { nested: "test-auto" } });
    await send({ object: { nested: { test: "string.value" } } });
    await send({ "object.nested.test": "string.value" });
    await send({ "object.nested": { test: "string.value" } });
    await send({ object: { "nested.test": "string.value" } });
    await send({ object: { nested: { test: "string.notvalue" } } });
    expect(await delivered(setup)).toEqual([
      ['{"object":{"nested":"string.value"}}', '{"object.nested":"string.value"}'].sort(),
      [
        '{"object":{"nested":{"test":"string.value"}}}',
        '{"object.nested.test":"string.value"}',
        '{"object.nested":{"test":"string.value"}}',
        '{"object":{"nested.test":"string.value"}}',
      ].sort(),
    ]);
  });

  it("$or inside and outside nested objects (recorded test_filter_policy_on_message_body_or_attribute)", async () => {
    const policy = {
      $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { namespace: ["AWS/EC2", "AWS/ES"] }],
      detail: { scope: ["Service"], $or: [{ source: ["aws.cloudwatch"] }, { type: ["CloudWatch Alarm State Change"] }] },
    };
    const setup = await filtered([policy], "MessageBody");
    const { sns, topicArn } = setup;
    const passing = [
      { metricName: "CPUUtilization", detail: { scope: "Service", source: "aws.cloudwatch" } },
      { metricName: "ReadLatency", detail: { scope: "Service", source: "aws.cloudwatch" } },
      { namespace: "AWS/EC2", detail: { scope: "Service", source: "aws.cloudwatch" } },
      { namespace: "AWS/ES", detail: { scope: "Service", source: "aws.cloudwatch" } },
      { metricName: "CPUUtilization", detail: { scope: "Service", type: "CloudWatch Alarm State Change" } },
    ];
    const failing = [
      { metricName: "CPUUtilization", detail: { scope: "aws.cloudwatch", type: "CloudWatch Alarm State Change" } },
      { metricName: "CPUUtilization", detail: { scope: "Service", type: "CPUUtilization" } },
      { metricName: "CPUUtilization", detail: { type: "CloudWatch Alarm State Change" } },
      { metricName: "CPUUtilization", detail: { scope: "Service" } },
      { metricName: "CPUUtilization", scope: "Service" },
    ];
    for (const m of [...failing, ...passing]) await publish(sns, topicArn, JSON.stringify(m));
    expect(await delivered(setup)).toEqual([passing.map((m) => JSON.stringify(m)).sort()]);
  });

  it("matches arrays element-wise, arrays of objects, prefixes and CIDR blocks in the body", async () => {
    const setup = await filtered(
      [
        { headers: { "route-to": ["queue1"] } },
        { Records: { s3: { object: { key: [{ prefix: "auto-" }] } }, eventName: [{ prefix: "ObjectCreated:" }] } },
        {
          detail: {
            $or: [{ sourceIPAddress: [{ cidr: "10.0.0.0/24" }] }, { sourceIPAddressV6: [{ cidr: "2001:db8:1234:1a00::/64" }] }],
          },
        },
      ],
      "MessageBody",
    );
    const { sns, topicArn } = setup;
    const send = (o: object) => publish(sns, topicArn, JSON.stringify(o));
    for (const to of [["queue3"], ["queue1"], ["queue2"], ["queue1", "queue2"]]) await send({ headers: { "route-to": to } });
    const record = (eventName: string, key: unknown) => ({ eventSource: "aws:s3", eventName, s3: { object: key } });
    const s3Messages = [
      {
        Records: [
          record("ObjectCreated:Put", [[{ key: "auto-insurance-2314.xml", size: 17 }]]),
          record("ObjectRemoved:Delete", { key: "home-insurance-2314.xml" }),
        ],
      },
      { Records: [record("ObjectRemoved:Delete", { key: "auto-insurance-2314.xml" })] },
      { Records: [record("ObjectCreated:Put", { key: "home-insurance-2314.xml" })] },
      { Records: [record("ObjectCreated:Put", { key: "auto-insurance-2314.xml" })] },
    ];
    for (const m of s3Messages) await send(m);
    const ips = [
      { sourceIPAddress: "10.0.0.255" },
      { sourceIPAddress: "10.0.1.1" },
      { sourceIPAddressV6: "2001:0db8:1234:1a00:0000:0000:0000:0000" },
      { sourceIPAddressV6: "2001:0db8:1234:1b00::1" },
    ];
    for (const [i, detail] of ips.entries()) await send({ id: String(i + 1), detail });
    const [routed, s3, ip] = await delivered(setup);
    expect(routed).toEqual(['{"headers":{"route-to":["queue1","queue2"]}}', '{"headers":{"route-to":["queue1"]}}'].sort());
    expect(s3).toEqual([JSON.stringify(s3Messages[0]), JSON.stringify(s3Messages[3])].sort());
    const ipIds = ip!.map((b) => (JSON.parse(b) as { id: string }).id).sort();
    expect(ipIds).toEqual(["1", "3"]);
  });
});

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

async function fifoSetup(
  topicAttributes: Record<string, string> = {},
  queueAttributes: Record<string, string> = {},
  subAttributes?: Record<string, string>,
) {
  const { sns, sqs } = isolatedPair();
  const topicArn = await createTopic(sns, uniqueName("topic") + ".fifo", { FifoTopic: "true", ...topicAttributes });
  const queue = await createQueue(sqs, uniqueName("q") + ".fifo", { FifoQueue: "true", ...queueAttributes });
  const sub = await subscribe(sns, topicArn, "sqs", queue.arn, subAttributes);
  return { sns, sqs, topicArn, queue, sub };
}

/** A last message in `group`, after which nothing else may arrive (see receiveUntil). */
const publishFence = (sns: SNSClient, topicArn: string, group: string) =>
  sns.send(new PublishCommand({ TopicArn: topicArn, Message: "fence", MessageGroupId: group, MessageDeduplicationId: "fence" }));
const isFence = (m: SqsMessage) => bodyOf(m).Message === "fence";

describe("FIFO topics", () => {
  it("deliver to a FIFO queue in group order, with group and deduplication ids and an unsigned envelope (recorded test_message_to_fifo_sqs)", async () => {
    const { sns, sqs, topicArn, queue, sub } = await fifoSetup();
    const published: { group: string; i: number; messageId: string; seq: string }[] = [];
    for (let i = 0; i < 6; i++) {
      const group = `message-group-id-${i % 2}`;
      const r = await sns.send(
        new PublishCommand({ TopicArn: topicArn, Message: `m${i}`, MessageGroupId: group, MessageDeduplicationId: `dedup-${i}` }),
      );
      published.push({ group, i, messageId: r.MessageId!, seq: r.SequenceNumber! });
    }
    expect(published.every((p, k) => k === 0 || BigInt(p.seq) > BigInt(published[k - 1]!.seq))).toBe(true);
    // Nothing else arrives: a fence published after them comes last.
    await publishFence(sns, topicArn, "message-group-id-1");
    const got = await receiveUntil(sqs, queue.url, isFence);
    expect(got).toHaveLength(6);
    for (const group of ["message-group-id-0", "message-group-id-1"]) {
      const inGroup = got.filter((m) => m.Attributes!.MessageGroupId === group).map((m) => bodyOf(m).Message);
      expect(inGroup).toEqual(published.filter((p) => p.group === group).map((p) => `m${p.i}`));
    }
    const first = got.find((m) => bodyOf(m).Message === "m0")!;
    expect(first.Attributes).toMatchObject({
      MessageGroupId: "message-group-id-0",
      MessageDeduplicationId: "dedup-0",
      SequenceNumber: expect.stringMatching(/^\d+$/),
    });
    const body = bodyOf(first);
    expect(Object.keys(body)).toEqual(FIFO_ENVELOPE_KEYS);
    expect(body).toMatchObject({
      Type: "Notification",
      MessageId: published[0]!.messageId,
      SequenceNumber: published[0]!.seq,
      TopicArn: topicArn,
    });
    expect(body.UnsubscribeURL).toBe(`${endpoint()}/?Action=Unsubscribe&SubscriptionArn=${sub}`);
  });

  it("content-based deduplication on the topic: the same MessageId and SequenceNumber again, delivered once (recorded)", async () => {
    const { sns, sqs, topicArn, queue } = await fifoSetup({ ContentBasedDeduplication: "true" });
    const send = () =>
      sns.send(new PublishCommand({ TopicArn: topicArn, Message: "Test", MessageGroupId: "message-group-id-1" }));
    const a = await send();
    const b = await send();
    expect(b.MessageId).toBe(a.MessageId);
    expect(b.SequenceNumber).toBe(a.SequenceNumber);
    await publishFence(sns, topicArn, "message-group-id-1");
    const got = await receiveUntil(sqs, queue.url, isFence);
    expect(got).toHaveLength(1);
    const [m] = got;
    expect(m!.Attributes).toMatchObject({ MessageGroupId: "message-group-id-1", MessageDeduplicationId: sha256("Test") });
    expect(sha256("Test")).toBe("532eaabd9574880dbf76b9b8cc00832c20a6ec113d682299550d7a6e0f345e25");
  });

  it("an explicit MessageDeduplicationId dedups at topic level even with another body and group", async () => {
    const { sns, sqs, topicArn, queue } = await fifoSetup();
    const a = await sns.send(
      new PublishCommand({ TopicArn: topicArn, Message: "one", MessageGroupId: "g1", MessageDeduplicationId: "same" }),
    );
    const b = await sns.send(
      new PublishCommand({ TopicArn: topicArn, Message: "two", MessageGroupId: "g2", MessageDeduplicationId: "same" }),
    );
    expect(b.MessageId).toBe(a.MessageId);
    const batch = await sns.send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: [
          { Id: "1", Message: "three", MessageGroupId: "g1", MessageDeduplicationId: "d3" },
          { Id: "2", Message: "four", MessageGroupId: "g1", MessageDeduplicationId: "d4" },
        ],
      }),
    );
    expect(batch.Successful!.map((s) => s.Id)).toEqual(["1", "2"]);
    await publishFence(sns, topicArn, "g2");
    const got = await receiveUntil(sqs, queue.url, isFence);
    expect(got.map((m) => bodyOf(m).Message)).toEqual(["one", "three", "four"]);
  });

  it("deliver to a standard queue: SequenceNumber in the envelope, no group on the SQS message (recorded test_fifo_topic_to_regular_sqs)", async () => {
    const { sns, sqs } = isolatedPair();
    const topicArn = await createTopic(sns, uniqueName("topic") + ".fifo", {
      FifoTopic: "true",
      ContentBasedDeduplication: "true",
    });
    const queue = await createQueue(sqs);
    await subscribe(sns, topicArn, "sqs", queue.arn);
    const r = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "Test", MessageGroupId: "message-group-id-1" }));
    const [m] = await receiveExactly(sqs, queue.url, 1);
    expect(m!.Attributes?.MessageGroupId).toBeUndefined();
    const body = bodyOf(m!);
    expect(Object.keys(body)).toEqual(FIFO_ENVELOPE_KEYS);
    expect(body.SequenceNumber).toBe(r.SequenceNumber);
  });

  it("validations (recorded test_validations_for_fifo)", async () => {
    const { sns, sqs, topicArn, sub } = await fifoSetup();
    const standardTopic = await createTopic(sns);
    const fifoQueue = await createQueue(sqs, uniqueName("q") + ".fifo", { FifoQueue: "true" });
    expect(await awsError(() => subscribe(sns, standardTopic, "sqs", fifoQueue.arn))).toMatchObject({
      name: "InvalidParameterException",
      message:
        "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics",
    });
    const standardDlq = await createQueue(sqs);
    expect(
      await awsError(() => setAttribute(sns, sub, "RedrivePolicy", JSON.stringify({ deadLetterTargetArn: standardDlq.arn }))),
    ).toMatchObject({
      message: "Invalid parameter: RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.",
    });
    // A standard queue subscribed to the FIFO topic may have a standard DLQ.
    const standardSub = await subscribe(sns, topicArn, "sqs", (await createQueue(sqs)).arn);
    await setAttribute(sns, standardSub, "RedrivePolicy", JSON.stringify({ deadLetterTargetArn: standardDlq.arn }));
    expect(await awsError(() => sns.send(new PublishCommand({ TopicArn: topicArn, Message: "m" })))).toMatchObject({
      message: "Invalid parameter: The MessageGroupId parameter is required for FIFO topics",
    });
    expect(
      await awsError(() => sns.send(new PublishCommand({ TopicArn: topicArn, Message: "m", MessageGroupId: "g" }))),
    ).toMatchObject({
      message:
        "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
    });
    expect(
      await awsError(() => sns.send(new PublishCommand({ TopicArn: standardTopic, Message: "m", MessageDeduplicationId: "d" }))),
    ).toMatchObject({
      message:
        "Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type",
    });
    expect(await drain(sqs, fifoQueue.url, 0, { settleMs: 300 })).toEqual([]);
  });
});
