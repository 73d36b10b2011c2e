/**
 * Lambda (function URL stand-in on a loopback server, and ARNs), email, email-json and SMS
 * subscriptions, and a durability check of fan-out at volume. What cannot leave this service is
 * read back from GET /_aws/sns/deliveries. Lambda event shapes follow the AWS recordings
 * (../shared/aws-recordings/sns/test_sns.snapshot.json, TestSNSSubscriptionLambda::*).
 */
import { DeleteQueueCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import {
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  PublishBatchCommand,
  PublishCommand,
  SubscribeCommand,
  type SNSClient,
} from "@aws-sdk/client-sns";
import { afterEach, describe, expect, it } from "vitest";
import { awsError, endpoint, uniqueName } from "./clients";
import { eventually } from "./helpers";
import {
  ISO_MS,
  bodyOf,
  createQueue,
  createTopic,
  drain,
  httpSubscriber,
  isolatedPair,
  receiveExactly,
  subscribe,
  verifySignature,
  type Subscriber,
  ENVELOPE_KEYS,
  setAttribute,
} from "./sns-delivery-helpers";
import { recordedDeliveries, type RecordedDelivery } from "./sns-clients";

const servers: Subscriber[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const pending = async (sns: SNSClient, arn: string) =>
  (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }))).Attributes!.PendingConfirmation;

/** Waits until GET /_aws/sns/deliveries shows `count` deliveries of `kind` for the endpoint. */
async function deliveries(
  account: string,
  protocol: string,
  endpointValue: string,
  kind: string,
  count = 1,
): Promise<RecordedDelivery[]> {
  const found = await eventually(async () => {
    const all = await recordedDeliveries({ account, protocol, endpoint: endpointValue });
    const found = all.filter((d) => d.kind === kind);
    return found.length >= count ? found : undefined;
  }, `${count} ${kind} deliveries to ${protocol}:${endpointValue}`);
  return found!;
}

describe("Lambda subscriptions", () => {
  for (const version of ["1", "2"] as const) {
    it(`an http(s) Lambda endpoint receives the Lambda event, signed (topic SignatureVersion ${version})`, async () => {
      const { sns } = isolatedPair();
      const topicArn = await createTopic(sns, undefined, { SignatureVersion: version });
      const s = await httpSubscriber("/lambda-url");
      servers.push(s);
      const arn = await subscribe(sns, topicArn, "lambda", s.url);
      expect(await pending(sns, arn)).toBe("false");
      const subject = `[Subject] Test subject Signature v${version}`;
      const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: "Hello world." }));
      const [request] = await s.waitFor(1);
      expect(request!.method).toBe("POST");
      expect(request!.headers["content-type"]).toBe("application/json");
      const event = JSON.parse(request!.body) as { Records: Record<string, unknown>[] };
      expect(event.Records).toHaveLength(1);
      const record = event.Records[0]!;
      expect(record).toMatchObject({ EventSource: "aws:sns", EventVersion: "1.0", EventSubscriptionArn: arn });
      const sns_ = record.Sns as Record<string, unknown>;
      expect(Object.keys(sns_).sort()).toEqual(
        "Message MessageAttributes MessageId Signature SignatureVersion SigningCertUrl Subject Timestamp TopicArn Type UnsubscribeUrl".split(
          " ",
        ),
      );
      expect(sns_).toMatchObject({
        Type: "Notification",
        MessageId,
        TopicArn: topicArn,
        Subject: subject,
        Message: "Hello world.",
        Timestamp: expect.stringMatching(ISO_MS),
        // Recorded on AWS: Lambda events say "1" even when the topic signs with SHA-256 (version 2).
        SignatureVersion: "1",
        MessageAttributes: {},
        UnsubscribeUrl: `${endpoint()}/?Action=Unsubscribe&SubscriptionArn=${arn}`,
      });
      expect(await verifySignature(sns_, version === "1" ? "sha1" : "sha256")).toBe(true);
    });
  }

  it("the Lambda event carries message attributes as Type/Value and a null Subject when none was set", async () => {
    const { sns } = isolatedPair();
    const topicArn = await createTopic(sns);
    const s = await httpSubscriber("/lambda-url");
    servers.push(s);
    await subscribe(sns, topicArn, "lambda", s.url);
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: JSON.stringify({ default: "for everyone", lambda: "for lambda" }),
        MessageStructure: "json",
        MessageAttributes: {
          a: { DataType: "String", StringValue: "x" },
          b: { DataType: "Binary", BinaryValue: Uint8Array.of(2, 3, 4) },
        },
      }),
    );
    const [request] = await s.waitFor(1);
    const record = (JSON.parse(request!.body) as { Records: { Sns: Record<string, unknown> }[] }).Records[0]!.Sns;
    expect(record.Message).toBe("for lambda");
    expect(record.Subject).toBeNull();
    expect(record.MessageAttributes).toEqual({ a: { Type: "String", Value: "x" }, b: { Type: "Binary", Value: "AgME" } });
    expect(await verifySignature(record)).toBe(true);
  });

  it("a Lambda ARN subscription is confirmed at once and its events are recorded", async () => {
    const { sns, account, region } = isolatedPair();
    const topicArn = await createTopic(sns);
    const fn = `arn:aws:lambda:${region}:${account}:function:${uniqueName("fn")}`;
    const arn = await subscribe(sns, topicArn, "lambda", fn);
    expect(await pending(sns, arn)).toBe("false");
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "to a function" }));
    const [d] = await deliveries(account, "lambda", fn, "Notification");
    expect(d).toMatchObject({ protocol: "lambda", endpoint: fn, topicArn, subscriptionArn: arn, messageId: MessageId });
    const event = JSON.parse(d!.payload) as { Records: { EventSubscriptionArn: string; Sns: Record<string, unknown> }[] };
    expect(event.Records[0]!.EventSubscriptionArn).toBe(arn);
    expect(event.Records[0]!.Sns).toMatchObject({
      Type: "Notification",
      MessageId,
      Message: "to a function",
      TopicArn: topicArn,
    });
  });
});

describe("email, email-json and SMS subscriptions", () => {
  it("email: the confirmation is recorded with its SubscribeURL; following it confirms; notifications are the bare message", async () => {
    const { sns, account } = isolatedPair();
    const topicArn = await createTopic(sns);
    const address = `${uniqueName("user")}@example.com`;
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: "email", Endpoint: address }),
    );
    expect(SubscriptionArn).toBe("pending confirmation");
    const [confirmation] = await deliveries(account, "email", address, "SubscriptionConfirmation");
    expect(confirmation).toMatchObject({ protocol: "email", endpoint: address, topicArn });
    const payload = JSON.parse(confirmation!.payload) as Record<string, string>;
    expect(payload).toMatchObject({ Type: "SubscriptionConfirmation", TopicArn: topicArn });
    expect(payload.SubscribeURL).toBe(`${endpoint()}/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${payload.Token}`);
    // Nothing goes to an unconfirmed address.
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "too early" }));
    const visit = await fetch(payload.SubscribeURL!);
    expect(visit.status).toBe(200);
    const arn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(await visit.text())![1]!;
    expect(arn).toMatch(new RegExp(`^${topicArn}:`));
    expect(await pending(sns, arn)).toBe("false");
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "Hello by email", Subject: "Hi" }));
    const notes = await deliveries(account, "email", address, "Notification");
    expect(notes.map((n) => [n.messageId, n.payload])).toEqual([[MessageId, "Hello by email"]]);
  });

  it("email-json: notifications are the JSON envelope", async () => {
    const { sns, account } = isolatedPair();
    const topicArn = await createTopic(sns);
    const address = `${uniqueName("json")}@example.com`;
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "email-json", Endpoint: address }));
    const [confirmation] = await deliveries(account, "email-json", address, "SubscriptionConfirmation");
    const { SubscribeURL } = JSON.parse(confirmation!.payload) as { SubscribeURL: string };
    expect((await fetch(SubscribeURL)).status).toBe(200);
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "Hello as JSON" }));
    const [note] = await deliveries(account, "email-json", address, "Notification");
    const envelope = JSON.parse(note!.payload) as Record<string, unknown>;
    expect(Object.keys(envelope)).toEqual(ENVELOPE_KEYS);
    expect(envelope).toMatchObject({ Type: "Notification", MessageId, Message: "Hello as JSON", TopicArn: topicArn });
    expect(await verifySignature(envelope)).toBe(true);
  });

  it("sms: confirmed at once (recorded); the text (or the sms entry of a structured message) is recorded", async () => {
    const { sns, account } = isolatedPair();
    const topicArn = await createTopic(sns);
    const phone = `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
    const arn = await subscribe(sns, topicArn, "sms", phone);
    expect(await pending(sns, arn)).toBe("false");
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "Your code is 1234" }));
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        MessageStructure: "json",
        Message: JSON.stringify({ default: "long text", sms: "short" }),
      }),
    );
    const notes = await deliveries(account, "sms", phone, "Notification", 2);
    expect(notes.map((n) => n.payload)).toEqual(["Your code is 1234", "short"]);
    expect(notes.every((n) => n.subscriptionArn === arn && n.topicArn === topicArn)).toBe(true);
  });
});

describe("dead-letter queues of SQS subscriptions", () => {
  for (const raw of [false, true]) {
    it(`sends to the subscription's dead-letter queue when the endpoint queue is gone (raw ${raw})`, async () => {
      const { sns, sqs } = isolatedPair();
      const topicArn = await createTopic(sns);
      const q = await createQueue(sqs);
      const dlq = await createQueue(sqs);
      const sub = await subscribe(sns, topicArn, "sqs", q.arn);
      await setAttribute(sns, sub, "RedrivePolicy", JSON.stringify({ deadLetterTargetArn: dlq.arn }));
      if (raw) await setAttribute(sns, sub, "RawMessageDelivery", "true");
      await sqs.send(new DeleteQueueCommand({ QueueUrl: q.url }));
      await eventually(
        () => awsError(() => sqs.send(new GetQueueUrlCommand({ QueueName: q.arn.split(":").pop() }))).then(() => true),
        "queue deleted",
      );
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: "test_dlq_after_sqs_endpoint_deleted",
          MessageAttributes: {
            attr1: { DataType: "Number", StringValue: "111" },
            attr2: { DataType: "Binary", BinaryValue: Uint8Array.of(2, 3, 4) },
          },
        }),
      );
      const [m] = await receiveExactly(sqs, dlq.url, 1);
      if (raw) {
        expect(m!.Body).toBe("test_dlq_after_sqs_endpoint_deleted");
        expect(m!.MessageAttributes!.attr1).toEqual({ DataType: "Number", StringValue: "111" });
        expect([...m!.MessageAttributes!.attr2!.BinaryValue!]).toEqual([2, 3, 4]);
      } else {
        const body = bodyOf(m!);
        expect(Object.keys(body)).toEqual([...ENVELOPE_KEYS, "MessageAttributes"]);
        expect(body.Message).toBe("test_dlq_after_sqs_endpoint_deleted");
        expect(body.UnsubscribeURL).toBe(`${endpoint()}/?Action=Unsubscribe&SubscriptionArn=${sub}`);
        expect(body.MessageAttributes).toEqual({
          attr2: { Type: "Binary", Value: "AgME" },
          attr1: { Type: "Number", Value: "111" },
        });
        expect(await verifySignature(body)).toBe(true);
      }
    });
  }

  it("keeps the subscription of a deleted queue; once a DLQ is set, later messages land there (recorded test_subscription_after_failure_to_deliver)", async () => {
    const { sns, sqs } = isolatedPair();
    const topicArn = await createTopic(sns);
    const q = await createQueue(sqs);
    const dlq = await createQueue(sqs);
    const sub = await subscribe(sns, topicArn, "sqs", q.arn);
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "test_dlq_before_sqs_endpoint_deleted" }));
    expect((await receiveExactly(sqs, q.url, 1)).map((m) => bodyOf(m).Message)).toEqual(["test_dlq_before_sqs_endpoint_deleted"]);
    await sqs.send(new DeleteQueueCommand({ QueueUrl: q.url }));
    // Without a DLQ the failed message is dropped; the subscription stays.
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "test_dlq_after_sqs_endpoint_deleted" }));
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    expect(Subscriptions!.map((x) => x.SubscriptionArn)).toEqual([sub]);
    await setAttribute(sns, sub, "RedrivePolicy", JSON.stringify({ deadLetterTargetArn: dlq.arn }));
    for (const i of [0, 1]) {
      await sns.send(new PublishCommand({ TopicArn: topicArn, Message: `test_dlq_after_sqs_endpoint_deleted_${i}` }));
      const [m] = await receiveExactly(sqs, dlq.url, 1);
      expect(bodyOf(m!)).toMatchObject({ Message: `test_dlq_after_sqs_endpoint_deleted_${i}`, TopicArn: topicArn });
    }
  });
});

describe("durability", () => {
  it("delivers 200 messages to each of 5 queues: none lost, none duplicated", async () => {
    const { sns, sqs } = isolatedPair();
    const topicArn = await createTopic(sns);
    const queues = await Promise.all([0, 1, 2, 3, 4].map(() => createQueue(sqs)));
    await Promise.all(
      queues.map((q, i) => subscribe(sns, topicArn, "sqs", q.arn, i % 2 ? { RawMessageDelivery: "true" } : undefined)),
    );
    const ids = new Map<string, string>();
    // 180 in 18 batches of 10, 20 one by one, a few at a time.
    for (let b = 0; b < 18; b += 3) {
      await Promise.all(
        [b, b + 1, b + 2].map(async (batch) => {
          const entries = Array.from({ length: 10 }, (_, i) => ({ Id: `e${i}`, Message: `msg-${batch * 10 + i}` }));
          const r = await sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries }));
          expect(r.Failed ?? []).toEqual([]);
          for (const s of r.Successful!) ids.set(`msg-${batch * 10 + Number(s.Id!.slice(1))}`, s.MessageId!);
        }),
      );
    }
    for (let i = 180; i < 200; i += 5) {
      await Promise.all(
        [0, 1, 2, 3, 4].map(async (k) => {
          const r = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: `msg-${i + k}` }));
          ids.set(`msg-${i + k}`, r.MessageId!);
        }),
      );
    }
    expect(ids.size).toBe(200);
    const received = await Promise.all(queues.map((q) => drain(sqs, q.url, 200, { timeoutMs: 120_000, settleMs: 1500 })));
    for (const [i, messages] of received.entries()) {
      const raw = i % 2 === 1;
      const texts = messages.map((m) => (raw ? m.Body! : (JSON.parse(m.Body!) as { Message: string }).Message));
      expect(messages).toHaveLength(200);
      expect(new Set(texts).size).toBe(200);
      expect([...new Set(texts)].sort()).toEqual([...ids.keys()].sort());
      if (!raw) {
        for (const m of messages) {
          const body = JSON.parse(m.Body!) as { Message: string; MessageId: string };
          expect(body.MessageId).toBe(ids.get(body.Message));
        }
      }
    }
  }, 180_000);
});
