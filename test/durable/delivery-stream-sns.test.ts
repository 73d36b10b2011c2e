/**
 * SNS `firehose` subscriptions in the Workers runtime: the topic puts each notification into the
 * delivery stream named by the endpoint ARN, as the JSON notification (one line each, no signature)
 * or, with RawMessageDelivery, the message alone; a delivery stream that does not exist is a
 * client-side error (no retries: the subscription's dead-letter queue gets the message).
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { PublishEntry } from "../../src/domain/sns/contract";
import { initialTopicAttributes } from "../../src/domain/sns/topic-attributes";
import { STANDARD_DEFAULTS } from "../../src/domain/sqs/queue-attributes";
import { queueObject, snsAccountObject, topicObject } from "../../src/durable/names";
import { value } from "../unit/results";
import {
  ACCOUNT,
  REGION,
  bufferedRecords,
  createBucket,
  createDeliveryStream,
  objectsIn,
  unique,
  type DeliveryStub,
} from "./delivery-stream-fixtures";

const ORIGIN = "http://localhost:4566";

async function createTopic() {
  const ref = { account: ACCOUNT, region: REGION, name: unique("topic") };
  const stub = topicObject(env, ref);
  value(await stub.create({ ...ref, fifo: false, attributes: initialTopicAttributes(ref, false, {}), requested: {}, tags: {} }));
  return { stub, arn: `arn:aws:sns:${REGION}:${ACCOUNT}:${ref.name}` };
}

type Topic = Awaited<ReturnType<typeof createTopic>>;

async function subscribe(topic: Topic, endpoint: string, attributes: Record<string, string> = {}) {
  const { id } = value(
    await topic.stub.subscribe({
      protocol: "firehose",
      endpoint,
      owner: ACCOUNT,
      attributes,
      needsConfirmation: false,
      origin: ORIGIN,
    }),
  );
  return id;
}

const entry = (message: string, extra: Partial<PublishEntry> = {}): PublishEntry => ({ message, attributes: {}, ...extra });

const pendingDeliveries = (topic: Topic) =>
  runInDurableObject(
    topic.stub,
    (_i, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM deliveries").one().n,
  );

/** Waits until the delivery stream has `count` records (the topic delivers in a later turn). */
async function waitForRecords(stub: DeliveryStub, count: number): Promise<string[]> {
  for (let i = 0; i < 100; i++) {
    const records = await bufferedRecords(stub);
    if (records.length >= count) return records;
    await sleep(20);
  }
  return bufferedRecords(stub);
}

describe("SNS firehose subscriptions", () => {
  it("put the JSON notification, one per line and unsigned, into the delivery stream", async () => {
    const bucket = await createBucket();
    const stream = await createDeliveryStream({ bucket });
    const topic = await createTopic();
    const id = await subscribe(topic, stream.arn);
    value(
      await topic.stub.publish(
        [entry("first", { subject: "S1", attributes: { color: { DataType: "String", StringValue: "blue" } } }), entry("second")],
        ORIGIN,
      ),
    );
    const records = await waitForRecords(stream.stub, 2);
    expect(records).toHaveLength(2);
    const [first, second] = records.map((r) => {
      expect(r.endsWith("}\n")).toBe(true);
      return JSON.parse(r) as Record<string, unknown>;
    });
    expect(Object.keys(first!)).toEqual([
      "Type",
      "MessageId",
      "TopicArn",
      "Subject",
      "Message",
      "Timestamp",
      "UnsubscribeURL",
      "MessageAttributes",
    ]);
    expect(first).toMatchObject({
      Type: "Notification",
      TopicArn: topic.arn,
      Subject: "S1",
      Message: "first",
      UnsubscribeURL: `${ORIGIN}/?Action=Unsubscribe&SubscriptionArn=${topic.arn}:${id}`,
      MessageAttributes: { color: { Type: "String", Value: "blue" } },
    });
    expect(second).toMatchObject({ Type: "Notification", Message: "second" });
    expect(second).not.toHaveProperty("Signature");
    expect((await stream.stub.stats())!.counters.incomingRecords).toBe(2);
    expect(await pendingDeliveries(topic)).toBe(0);

    await stream.stub.flush();
    const [object] = await objectsIn(bucket);
    expect(object!.body).toBe(records.join(""));
    expect(object!.body.split("\n")).toHaveLength(3);
  });

  it("put the message alone with RawMessageDelivery", async () => {
    const stream = await createDeliveryStream();
    const topic = await createTopic();
    await subscribe(topic, stream.arn, { RawMessageDelivery: "true" });
    value(await topic.stub.publish([entry("raw one"), entry('{"k":"raw two"}')], ORIGIN));
    expect(await waitForRecords(stream.stub, 2)).toEqual(["raw one", '{"k":"raw two"}']);
  });

  it("are not recorded as developer deliveries any more", async () => {
    const stream = await createDeliveryStream();
    const topic = await createTopic();
    await subscribe(topic, stream.arn);
    value(await topic.stub.publish([entry("only in the stream")], ORIGIN));
    await waitForRecords(stream.stub, 1);
    const account = snsAccountObject(env, ACCOUNT, REGION);
    const recorded = await runInDurableObject(account, (_i, state) => {
      const tables = state.storage.sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").toArray();
      return tables.map((t) => t.name);
    });
    // Whatever the account object keeps, nothing of this topic's firehose deliveries is in it.
    for (const table of recorded.filter((t) => !t.startsWith("_") && t !== "sqlite_sequence")) {
      const rows = await runInDurableObject(account, (_i, state) =>
        state.storage.sql
          .exec(`SELECT * FROM ${table}`)
          .toArray()
          .map((r) => JSON.stringify(r)),
      );
      expect(rows.filter((r) => r.includes(topic.arn))).toEqual([]);
    }
  });

  it("a delivery stream that does not exist is not retried: the dead-letter queue gets the message", async () => {
    const topic = await createTopic();
    const dlqRef = { account: ACCOUNT, region: REGION, name: unique("dlq") };
    const dlq = queueObject(env, dlqRef);
    value(await dlq.create({ ...dlqRef, attributes: { ...STANDARD_DEFAULTS }, requested: {}, tags: {} }));
    await subscribe(topic, `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/${unique("missing")}`, {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${dlqRef.name}` }),
    });
    value(await topic.stub.publish([entry("nowhere to go")], ORIGIN));
    let dead: { body: string }[] = [];
    for (let i = 0; i < 100 && !dead.length; i++) {
      await sleep(20);
      dead = value(await dlq.receive({ maxMessages: 10, visibilityTimeout: 0, waitSeconds: 0 }));
    }
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0]!.body)).toMatchObject({ Type: "Notification", Message: "nowhere to go" });
    expect(await pendingDeliveries(topic)).toBe(0);
  });

  it("a delivery stream still CREATING is retried (the AWS-managed policy) and gets the record once ACTIVE", async () => {
    const topic = await createTopic();
    const name = unique("creating");
    const created = createDeliveryStream({
      name,
      beforeActive: async () => {
        await subscribe(topic, `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/${name}`);
        value(await topic.stub.publish([entry("early")], ORIGIN));
        await sleep(50);
        // The first attempt failed with "not ACTIVE": the delivery waits for its retry.
        expect(await pendingDeliveries(topic)).toBe(1);
      },
    });
    const { stub } = await created;
    // AWS-managed retries: the first ones come without delay; make the row due now to be sure.
    await runInDurableObject(topic.stub, (_i, state) => {
      state.storage.sql.exec("UPDATE deliveries SET due_at = ?", Date.now());
    });
    await runInDurableObject(topic.stub, (instance: { alarm(): Promise<void> }) => instance.alarm());
    const records = await waitForRecords(stub, 1);
    expect(records.map((r) => JSON.parse(r).Message)).toEqual(["early"]);
  });
});
