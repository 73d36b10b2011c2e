/**
 * S3 event notifications end to end with the real @aws-sdk/client-s3, client-sqs and client-sns: the
 * configuration's validation errors, the s3:TestEvent, the event JSON PutObject and DeleteObject send
 * (field by field against ../shared/aws-recordings/s3/test_s3_notifications_sqs|sns.snapshot.json),
 * key filters, SNS fan-out, and a destination queue that is deleted and created again.
 */
import { createHash } from "node:crypto";
import { DeleteQueueCommand } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { sleep } from "./helpers";
import {
  createQueue,
  createTopic,
  drain,
  expectEvent,
  expectTestEvent,
  isolatedTrio,
  newQueueName,
  notifyQueue,
  recordOf,
  takeAll,
} from "./s3-notification-helpers";
import { bucketName, s3, s3Error } from "./s3-clients";
import { ENVELOPE_KEYS_SUBJECT, subscribe } from "./sns-delivery-helpers";

const NOTIFICATION = (bucket: string, config: s3.NotificationConfiguration, skip?: boolean) =>
  new s3.PutBucketNotificationConfigurationCommand({
    Bucket: bucket,
    NotificationConfiguration: config,
    ...(skip ? { SkipDestinationValidation: true } : {}),
  });

describe("S3 notification configuration", () => {
  it("refuses an ARN that does not parse, whether or not destinations are validated", async () => {
    const t = await isolatedTrio();
    for (const skip of [false, true]) {
      const err = await s3Error(() =>
        t.s3.send(
          NOTIFICATION(t.bucket, { QueueConfigurations: [{ QueueArn: "invalid-queue", Events: ["s3:ObjectCreated:*"] }] }, skip),
        ),
      );
      expect(err).toMatchObject({ name: "InvalidArgument", status: 400, ArgumentName: "Queue", ArgumentValue: "invalid-queue" });
      expect(err.message).toBe("The ARN could not be parsed");
    }
    const topic = await s3Error(() =>
      t.s3.send(NOTIFICATION(t.bucket, { TopicConfigurations: [{ TopicArn: "invalid-topic", Events: ["s3:ObjectCreated:*"] }] })),
    );
    expect(topic).toMatchObject({ name: "InvalidArgument", status: 400, ArgumentName: "Topic", ArgumentValue: "invalid-topic" });
  });

  it("names every destination that does not exist; skipping validation stores the configuration as given", async () => {
    const t = await isolatedTrio();
    const arn = (name: string) => `arn:aws:sqs:${t.region}:${t.account}:${name}`;
    const err = await s3Error(() =>
      t.s3.send(
        NOTIFICATION(t.bucket, {
          QueueConfigurations: [
            { QueueArn: arn("my-queue"), Events: ["s3:ObjectCreated:*"] },
            { QueueArn: arn("my-queue-2"), Events: ["s3:ObjectRemoved:*"] },
          ],
        }),
      ),
    );
    expect(err).toMatchObject({
      name: "InvalidArgument",
      status: 400,
      ArgumentName1: arn("my-queue"),
      ArgumentValue1: "The destination queue does not exist",
      ArgumentName2: arn("my-queue-2"),
      ArgumentValue2: "The destination queue does not exist",
    });
    expect(err.message).toBe("Unable to validate the following destination configurations");
    const topicArn = `arn:aws:sns:${t.region}:${t.account}:my-topic`;
    const topic = await s3Error(() =>
      t.s3.send(NOTIFICATION(t.bucket, { TopicConfigurations: [{ TopicArn: topicArn, Events: ["s3:ObjectCreated:*"] }] })),
    );
    expect(topic).toMatchObject({ ArgumentName1: topicArn, ArgumentValue1: "The destination topic does not exist" });

    await t.s3.send(
      NOTIFICATION(
        t.bucket,
        { QueueConfigurations: [{ Id: "id123", QueueArn: arn("my-queue"), Events: ["s3:ObjectCreated:*"] }] },
        true,
      ),
    );
    const got = await t.s3.send(new s3.GetBucketNotificationConfigurationCommand({ Bucket: t.bucket }));
    expect(got.QueueConfigurations).toEqual([{ Id: "id123", QueueArn: arn("my-queue"), Events: ["s3:ObjectCreated:*"] }]);
    expect(got.TopicConfigurations).toBeUndefined();
  });

  it("answers NoSuchBucket for a bucket that does not exist, and an empty configuration for a new bucket", async () => {
    const t = await isolatedTrio();
    const missing = bucketName("missing");
    const err = await s3Error(() => t.s3.send(NOTIFICATION(missing, {})));
    expect(err).toMatchObject({ name: "NoSuchBucket", status: 404, BucketName: missing });
    const empty = await t.s3.send(new s3.GetBucketNotificationConfigurationCommand({ Bucket: t.bucket }));
    expect(empty.QueueConfigurations ?? []).toEqual([]);
    expect(empty.TopicConfigurations ?? []).toEqual([]);
  });

  it("stores filter rules in AWS's casing and an empty document removes everything", async () => {
    const t = await isolatedTrio();
    const queue = await createQueue(t.sqs);
    await notifyQueue(t, queue.arn, { id: "filtered", events: ["s3:ObjectCreated:*"], prefix: "notif-", suffix: ".txt" });
    const got = await t.s3.send(new s3.GetBucketNotificationConfigurationCommand({ Bucket: t.bucket }));
    expect(got.QueueConfigurations).toEqual([
      {
        Id: "filtered",
        QueueArn: queue.arn,
        Events: ["s3:ObjectCreated:*"],
        Filter: {
          Key: {
            FilterRules: [
              { Name: "Prefix", Value: "notif-" },
              { Name: "Suffix", Value: ".txt" },
            ],
          },
        },
      },
    ]);
    await t.s3.send(NOTIFICATION(t.bucket, {}));
    const empty = await t.s3.send(new s3.GetBucketNotificationConfigurationCommand({ Bucket: t.bucket }));
    expect(empty.QueueConfigurations ?? []).toEqual([]);
  });
});

describe("S3 events to SQS", () => {
  it("sends s3:TestEvent when a configuration is set, with the ids of that request's response", async () => {
    const t = await isolatedTrio();
    const queue = await createQueue(t.sqs);
    const put = await notifyQueue(t, queue.arn);
    const [message] = await takeAll(t.sqs, queue.url, 1);
    expectTestEvent(message!.Body!, t.bucket, put.$metadata);
  });

  it("PutObject and DeleteObject send AWS's event JSON (ids of their responses, ETag, size, encoded key, sequencer)", async () => {
    const t = await isolatedTrio();
    const queue = await createQueue(t.sqs);
    await notifyQueue(t, queue.arn);
    await takeAll(t.sqs, queue.url, 1); // the test event
    const put = await t.s3.send(new s3.PutObjectCommand({ Bucket: t.bucket, Key: "my_key_0", Body: "something" }));
    const keyed = await t.s3.send(new s3.PutObjectCommand({ Bucket: t.bucket, Key: "a@b red flower.jpg", Body: "something" }));
    const deleted = await t.s3.send(new s3.DeleteObjectCommand({ Bucket: t.bucket, Key: "my_key_0" }));
    const messages = await takeAll(t.sqs, queue.url, 3);
    const records = messages.map((m) => recordOf(m.Body!));
    const byName = (name: string, key: string) =>
      records.find((r) => r.eventName === name && (r.s3 as { object: { key: string } }).object.key === key)!;
    const base = { region: t.region, bucket: t.bucket, configurationId: "config-1" };
    const created = expectEvent(byName("ObjectCreated:Put", "my_key_0"), {
      ...base,
      eventName: "ObjectCreated:Put",
      metadata: put.$metadata,
      object: { key: "my_key_0", size: 9, eTag: "437b930db84b8079c2dd804a71936b5f" },
    });
    expectEvent(byName("ObjectCreated:Put", "a%40b+red+flower.jpg"), {
      ...base,
      eventName: "ObjectCreated:Put",
      metadata: keyed.$metadata,
      object: { key: "a%40b+red+flower.jpg", size: 9, eTag: "437b930db84b8079c2dd804a71936b5f" },
    });
    const removed = expectEvent(byName("ObjectRemoved:Delete", "my_key_0"), {
      ...base,
      eventName: "ObjectRemoved:Delete",
      metadata: deleted.$metadata,
      object: { key: "my_key_0" },
    });
    // A later event about a key has the greater sequencer (compared as left-padded strings).
    expect(removed.sequencer.padStart(32, "0") > created.sequencer.padStart(32, "0")).toBe(true);
    expect(Date.parse(removed.eventTime)).toBeGreaterThanOrEqual(Date.parse(created.eventTime));
  });

  it("passes the request's X-Ray header on as the message's AWSTraceHeader", async () => {
    const t = await isolatedTrio();
    const queue = await createQueue(t.sqs);
    await notifyQueue(t, queue.arn, { events: ["s3:ObjectCreated:*"] });
    await takeAll(t.sqs, queue.url, 1);
    const trace = "Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1";
    const command = new s3.PutObjectCommand({ Bucket: t.bucket, Key: "test-data", Body: "something" });
    command.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers["x-amzn-trace-id"] = trace;
        return next(args);
      },
      { step: "build" },
    );
    await t.s3.send(command);
    const [message] = await takeAll(t.sqs, queue.url, 1);
    expect(message!.Attributes?.AWSTraceHeader).toBe(trace);
  });

  it("sends only the events whose key matches the prefix and suffix rules", async () => {
    const t = await isolatedTrio();
    const queue = await createQueue(t.sqs);
    await notifyQueue(t, queue.arn, {
      events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"],
      prefix: "testupload/",
      suffix: "testfile.txt",
    });
    await takeAll(t.sqs, queue.url, 1);
    for (const Key of ["testupload/dir1/other.txt", "elsewhere/testfile.txt", "testupload", "TESTUPLOAD/a/testfile.txt"]) {
      await t.s3.send(new s3.PutObjectCommand({ Bucket: t.bucket, Key, Body: "not this one" }));
    }
    await t.s3.send(
      new s3.PutObjectCommand({ Bucket: t.bucket, Key: "testupload/dir1/testfile.txt", Body: "test data for the filtered key" }),
    );
    await t.s3.send(new s3.DeleteObjectCommand({ Bucket: t.bucket, Key: "elsewhere/testfile.txt" }));
    const messages = await takeAll(t.sqs, queue.url, 1, 1000);
    const record = recordOf(messages[0]!.Body!);
    expect(record.eventName).toBe("ObjectCreated:Put");
    expect((record.s3 as { object: { key: string; size: number } }).object).toMatchObject({
      key: "testupload/dir1/testfile.txt",
      size: 30,
    });
  });

  it("a destination queue deleted and created again gets the events after it is back", { timeout: 120_000 }, async () => {
    const t = await isolatedTrio();
    const name = newQueueName();
    const queue = await createQueue(t.sqs, name);
    await notifyQueue(t, queue.arn, { events: ["s3:ObjectCreated:*"] });
    await takeAll(t.sqs, queue.url, 1);
    await t.sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url }));
    // While it is gone, its events have nowhere to go (they are dropped, as on AWS) and hold up nothing.
    await t.s3.send(new s3.PutObjectCommand({ Bucket: t.bucket, Key: "while-gone", Body: "x" }));
    await sleep(61_000); // SQS refuses the name for 60 s after DeleteQueue
    const again = await createQueue(t.sqs, name);
    expect(again.arn).toBe(queue.arn);
    await t.s3.send(new s3.PutObjectCommand({ Bucket: t.bucket, Key: "after", Body: "y" }));
    const messages = await takeAll(t.sqs, again.url, 1, 500);
    expect((recordOf(messages[0]!.Body!).s3 as { object: { key: string } }).object.key).toBe("after");
  });
});

describe("S3 events to SNS", () => {
  it("fans out: a topic with three SQS subscriptions, each gets the test event and the event in the SNS envelope", async () => {
    const t = await isolatedTrio();
    const topicArn = await createTopic(t.sns);
    const queues = await Promise.all([1, 2, 3].map(() => createQueue(t.sqs)));
    await Promise.all(queues.map((q) => subscribe(t.sns, topicArn, "sqs", q.arn)));
    const configured = await t.s3.send(
      NOTIFICATION(t.bucket, { TopicConfigurations: [{ Id: "fan-out", TopicArn: topicArn, Events: ["s3:ObjectCreated:*"] }] }),
    );
    const stored = await t.s3.send(new s3.GetBucketNotificationConfigurationCommand({ Bucket: t.bucket }));
    expect(stored.TopicConfigurations).toEqual([{ Id: "fan-out", TopicArn: topicArn, Events: ["s3:ObjectCreated:*"] }]);
    const put = await t.s3.send(new s3.PutObjectCommand({ Bucket: t.bucket, Key: "bucket-key", Body: "something 1" }));
    for (const q of queues) {
      const messages = await takeAll(t.sqs, q.url, 2);
      const envelopes = messages.map((m) => JSON.parse(m.Body!) as Record<string, string>);
      for (const envelope of envelopes) {
        expect(Object.keys(envelope)).toEqual(ENVELOPE_KEYS_SUBJECT);
        expect(envelope).toMatchObject({ Type: "Notification", TopicArn: topicArn, Subject: "Amazon S3 Notification" });
      }
      const test = envelopes.find((e) => e.Message!.includes("s3:TestEvent"))!;
      expectTestEvent(test.Message!, t.bucket, configured.$metadata);
      const event = envelopes.find((e) => e !== test)!;
      expectEvent(recordOf(event.Message!), {
        eventName: "ObjectCreated:Put",
        region: t.region,
        bucket: t.bucket,
        configurationId: "fan-out",
        metadata: put.$metadata,
        object: { key: "bucket-key", size: 11, eTag: createHash("md5").update("something 1").digest("hex") },
      });
    }
  });
});

describe("S3 notifications and the bucket's life", () => {
  it("a deleted bucket forgets its configuration: created again, it has none", async () => {
    const t = await isolatedTrio();
    const queue = await createQueue(t.sqs);
    await notifyQueue(t, queue.arn);
    await t.s3.send(new s3.DeleteBucketCommand({ Bucket: t.bucket }));
    await t.s3.send(new s3.CreateBucketCommand({ Bucket: t.bucket }));
    const got = await t.s3.send(new s3.GetBucketNotificationConfigurationCommand({ Bucket: t.bucket }));
    expect(got.QueueConfigurations ?? []).toEqual([]);
    await t.s3.send(new s3.PutObjectCommand({ Bucket: t.bucket, Key: "k", Body: "v" }));
    const messages = await drain(t.sqs, queue.url, 1, { settleMs: 500, timeoutMs: 3000 });
    expect(messages.map((m) => JSON.parse(m.Body!).Event)).toEqual(["s3:TestEvent"]);
  });
});
