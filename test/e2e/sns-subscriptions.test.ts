/**
 * SNS subscriptions with the real @aws-sdk/client-sns: Subscribe (endpoint checks per protocol,
 * idempotency, pending confirmation), ConfirmSubscription, Unsubscribe, and the two List operations
 * with paging. Codes, statuses, texts and attribute maps are the ones recorded on AWS
 * (../shared/aws-recordings/sns/test_sns.snapshot.json, TestSNSSubscriptionCrud*, TestSNSSubscriptionHttp,
 * TestSNSSubscriptionSQSFifo). Subscription attributes: sns-subscription-attributes.test.ts.
 */
import {
  ConfirmSubscriptionCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  SubscribeCommand,
  UnsubscribeCommand,
  type SNSClient,
} from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { uniqueName } from "./clients";
import { eventually } from "./helpers";
import { isolatedSns, recordedDeliveries } from "./sns-clients";
import {
  createFifoTopic,
  createTopic as createNamedTopic,
  expectSnsError,
  invalidParameter,
  queueArn,
  setSubscriptionAttribute as setAttribute,
  sqsSubscriptionAttributes,
  subscribe,
  subscriptionAttributesOf as attributesOf,
  subscriptionNotFound,
  topicNotFound,
} from "./sns-topic-expect";

const createTopic = (sns: SNSClient, fifo = false) => (fifo ? createFifoTopic(sns) : createNamedTopic(sns));

/** The token of the latest SubscriptionConfirmation SNS "sent" to an email-json endpoint (the `count`-th). */
const confirmationToken = (account: string, endpoint: string, count = 1) =>
  eventually(async () => {
    const deliveries = await recordedDeliveries({ account, protocol: "email-json", endpoint });
    const latest = deliveries.length >= count ? deliveries[deliveries.length - 1] : undefined;
    return latest && (JSON.parse(latest.payload) as { Token: string; SubscribeURL: string });
  }, "the subscription confirmation");

describe("Subscribe and Unsubscribe", () => {
  it("subscribes a queue (confirmed at once), lists it, and unsubscribes idempotently (test_not_found_error_on_set_subscription_attributes)", async () => {
    const { sns, account } = isolatedSns();
    const topic = await createTopic(sns);
    const endpoint = queueArn(account, uniqueName("queue"));
    const { SubscriptionArn: arn } = await sns.send(
      new SubscribeCommand({ TopicArn: topic, Protocol: "sqs", Endpoint: endpoint }),
    );
    expect(arn).toMatch(new RegExp(`^${topic}:[0-9a-f-]{36}$`));
    expect(await attributesOf(sns, arn!)).toEqual(sqsSubscriptionAttributes(account, topic, arn!, endpoint));
    const entry = { Endpoint: endpoint, Owner: account, Protocol: "sqs", SubscriptionArn: arn, TopicArn: topic };
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }))).Subscriptions).toEqual([entry]);
    expect((await sns.send(new ListSubscriptionsCommand({}))).Subscriptions).toEqual([entry]);

    expect((await sns.send(new UnsubscribeCommand({ SubscriptionArn: arn }))).$metadata.httpStatusCode).toBe(200);
    await subscriptionNotFound(() => setAttribute(sns, arn!, "RawMessageDelivery", "true"));
    await subscriptionNotFound(() => sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn })));
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }))).Subscriptions).toEqual([]);
    expect((await sns.send(new UnsubscribeCommand({ SubscriptionArn: arn }))).$metadata.httpStatusCode).toBe(200);
  });

  it("checks attributes given to Subscribe and normalizes them (test_create_subscriptions_with_attributes)", async () => {
    const { sns, account } = isolatedSns();
    const topic = await createTopic(sns);
    const endpoint = queueArn(account, uniqueName("queue"));
    const attrs = { RawMessageDelivery: "wrongvalue", FilterPolicyScope: "MessageBody", FilterPolicy: "" };
    await invalidParameter(
      () => subscribe(sns, topic, "sqs", endpoint, attrs),
      "Attributes Reason: RawMessageDelivery: Invalid value [wrongvalue]. Must be true or false.",
    );
    const arn = await subscribe(sns, topic, "sqs", endpoint, { ...attrs, RawMessageDelivery: "TrUe" });
    expect(await attributesOf(sns, arn)).toEqual({
      ...sqsSubscriptionAttributes(account, topic, arn, endpoint),
      RawMessageDelivery: "true",
    });
    await subscriptionNotFound(() =>
      sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: `${arn.slice(0, -8)}${"a".repeat(8)}` })),
    );
  });

  it("is idempotent for equal attributes, defaults included (test_subscribe_idempotency)", async () => {
    const { sns, account } = isolatedSns();
    const topic = await createTopic(sns);
    const endpoint = queueArn(account, uniqueName("queue"));
    const arn = await subscribe(sns, topic, "sqs", endpoint, { RawMessageDelivery: "True" });
    expect(await attributesOf(sns, arn)).toEqual({
      ...sqsSubscriptionAttributes(account, topic, arn, endpoint),
      RawMessageDelivery: "true",
    });
    const same: (Record<string, string> | undefined)[] = [
      { RawMessageDelivery: "true" },
      { RawMessageDelivery: "true", FilterPolicyScope: "MessageAttributes" },
      undefined,
      {},
      { FilterPolicyScope: "MessageAttributes" },
    ];
    for (const attributes of same) {
      expect(await subscribe(sns, topic, "sqs", endpoint, attributes)).toBe(arn);
    }
    await invalidParameter(
      () => subscribe(sns, topic, "sqs", endpoint, { RawMessageDelivery: "false", FilterPolicyScope: "MessageBody" }),
      "Attributes Reason: Subscription already exists with different attributes",
    );
  });

  it("checks each protocol's endpoint (test_subscribe_* recordings)", async () => {
    const { sns, account } = isolatedSns();
    const topic = await createTopic(sns);
    await invalidParameter(
      () => subscribe(sns, topic, "test-protocol", "localstack@yopmail.com"),
      "Amazon SNS does not support this protocol string: test-protocol",
    );
    await invalidParameter(() => subscribe(sns, topic, "sqs", "unknown"), "SQS endpoint ARN");
    await invalidParameter(() => subscribe(sns, topic, "sqs", `http://localhost/${account}/queue`), "SQS endpoint ARN");
    await invalidParameter(
      () => subscribe(sns, topic, "sqs", queueArn(account, `${uniqueName("q")}.fifo`)),
      "Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics",
    );
    // A queue that does not exist is fine (test_subscribe_unknown_sqs_queue).
    expect(await subscribe(sns, topic, "sqs", queueArn(account, uniqueName("unknown")))).toMatch(new RegExp(`^${topic}:`));
    for (const number of ["+15--551234567", "NAA+15551234567", "+15551234567.", "/+15551234567", "invalid-number"]) {
      await expectSnsError(
        () => subscribe(sns, topic, "sms", number),
        "InvalidParameter",
        400,
        `Invalid SMS endpoint: ${number}`,
      );
    }
    for (const number of ["+1234567890", "+12/34-567.890"])
      expect(await subscribe(sns, topic, "sms", number)).toMatch(new RegExp(`^${topic}:`));
    const pending = await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: "http", Endpoint: "http://example.com/" }));
    expect(pending.SubscriptionArn).toBe("pending confirmation");
    // "pending confirmation" is no ARN (test_unsubscribe_from_deleted_topic).
    await invalidParameter(
      () => sns.send(new UnsubscribeCommand({ SubscriptionArn: pending.SubscriptionArn })),
      "SubscriptionArn Reason: An ARN must have at least 6 elements, not 1",
    );
    await topicNotFound(() => subscribe(sns, `${topic}aaa`, "email", "localstack@yopmail.com"));
  });

  it("HTTP/S and email endpoints need confirmation; same-account AWS resources do not", async () => {
    const { sns, account, region } = isolatedSns();
    const topic = await createTopic(sns);
    const pending = [
      ["http", "http://example.com/hook"],
      ["https", "https://example.com/hook"],
      ["email", "someone@example.com"],
      ["email-json", "someone@example.com"],
    ];
    const confirmed = [
      ["lambda", `arn:aws:lambda:${region}:${account}:function:handler`],
      ["firehose", `arn:aws:firehose:${region}:${account}:deliverystream/stream`],
      ["sqs", queueArn(account, uniqueName("q"))],
    ];
    for (const [protocol, endpoint] of [...pending, ...confirmed]) {
      const { SubscriptionArn } = await sns.send(
        new SubscribeCommand({ TopicArn: topic, Protocol: protocol, Endpoint: endpoint }),
      );
      if (pending.some(([p]) => p === protocol)) expect(SubscriptionArn, protocol).toBe("pending confirmation");
      else expect(SubscriptionArn, protocol).toMatch(new RegExp(`^${topic}:`));
    }
    // A queue of another account waits for confirmation too.
    const foreign = await subscribe(sns, topic, "sqs", queueArn("123456789012", uniqueName("q")));
    expect(await attributesOf(sns, foreign)).toMatchObject({ PendingConfirmation: "true" });
    // Endpoints that do not fit the protocol (AWS's texts for these are not recorded).
    for (const [protocol, endpoint] of [
      ["http", "https://example.com/"],
      ["https", "ftp://example.com/"],
      ["email", "not-an-address"],
      ["lambda", "not-a-function"],
      ["firehose", queueArn(account, "q")],
      ["application", "arn:aws:sns:us-east-1:123456789012:not-an-endpoint"],
    ]) {
      await expectSnsError(() => subscribe(sns, topic, protocol!, endpoint!), "InvalidParameter", 400, /^Invalid parameter: /);
    }
  });

  it("subscribes a standard queue to a FIFO topic, not a standard DLQ (test_validations_for_fifo)", async () => {
    const { sns, account } = isolatedSns();
    const topic = await createTopic(sns, true);
    const endpoint = queueArn(account, uniqueName("queue"));
    const arn = await subscribe(sns, topic, "sqs", endpoint);
    const { SubscriptionPrincipal: _, ...expected } = sqsSubscriptionAttributes(account, topic, arn, endpoint);
    expect(await attributesOf(sns, arn)).toMatchObject(expected);
    const fifoQueue = await subscribe(sns, topic, "sqs", queueArn(account, `${uniqueName("q")}.fifo`));
    await invalidParameter(
      () =>
        setAttribute(
          sns,
          fifoQueue,
          "RedrivePolicy",
          JSON.stringify({ deadLetterTargetArn: queueArn(account, uniqueName("dlq")) }),
        ),
      "RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.",
    );
    const fifoDlq = JSON.stringify({ deadLetterTargetArn: queueArn(account, `${uniqueName("dlq")}.fifo`) });
    await setAttribute(sns, fifoQueue, "RedrivePolicy", fifoDlq);
    expect((await attributesOf(sns, fifoQueue)).RedrivePolicy).toEqual(JSON.parse(fifoDlq));
  });
});

describe("confirmation", () => {
  it("email subscriptions wait for ConfirmSubscription; confirming twice answers the same ARN", async () => {
    const { sns, account } = isolatedSns();
    const topic = await createTopic(sns);
    const endpoint = `${uniqueName("user")}@example.com`;
    const first = await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: "email-json", Endpoint: endpoint }));
    expect(first.SubscriptionArn).toBe("pending confirmation");
    const arn = await subscribe(sns, topic, "email-json", endpoint);
    expect(arn).toMatch(new RegExp(`^${topic}:`));
    expect(await attributesOf(sns, arn)).toMatchObject({
      PendingConfirmation: "true",
      ConfirmationWasAuthenticated: "false",
      Protocol: "email-json",
    });
    const listed = {
      SubscriptionArn: "PendingConfirmation",
      Owner: account,
      Protocol: "email-json",
      Endpoint: endpoint,
      TopicArn: topic,
    };
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }))).Subscriptions).toEqual([listed]);
    expect((await sns.send(new ListSubscriptionsCommand({}))).Subscriptions).toEqual([listed]);

    // Each Subscribe of a pending subscription sends a confirmation; the latest token confirms.
    const { Token, SubscribeURL } = await confirmationToken(account, endpoint, 2);
    expect(SubscribeURL).toMatch(new RegExp(`/\\?Action=ConfirmSubscription&TopicArn=${topic}&Token=${Token}$`));
    for (let i = 0; i < 2; i++) {
      expect((await sns.send(new ConfirmSubscriptionCommand({ TopicArn: topic, Token }))).SubscriptionArn).toBe(arn);
    }
    expect(await attributesOf(sns, arn)).toMatchObject({ PendingConfirmation: "false", ConfirmationWasAuthenticated: "true" });
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }))).Subscriptions).toEqual([
      { ...listed, SubscriptionArn: arn },
    ]);
  });

  it("refuses bad tokens and topics (test_sns_confirm_subscription_wrong_token, test_subscribe_external_http_endpoint)", async () => {
    const { sns } = isolatedSns();
    const topic = await createTopic(sns);
    const hexToken =
      "51b2ff3edb475b7d91550e0ab6edf0c1de2a34e6ebaf6c2262a001bcb7e051c43aa00022ceecce70bd2a67b2042da8d8eb47fef7a4e4e942d23e7fa56146b9ee35da040b4b8af564cc4184a7391c834cb75d75c22981f776ad1ce8805e9bab29da2329985337bb8095627907b46c8577c8440556b6f86582a954758026f41fc62041c4b3f67b0f5921232b5dae5aaca1";
    const confirm = (TopicArn: string, Token: string) => sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token }));
    await invalidParameter(() => confirm(`${topic.slice(0, -1)}i`, hexToken), "Token");
    await invalidParameter(() => confirm(topic, hexToken), "Token");
    await invalidParameter(() => confirm(topic, "abc123"), "Token");
    await expectSnsError(() => confirm(topic, "randomtoken"), "InvalidParameter", 400, "Invalid token");
    await invalidParameter(() => confirm("not-an-arn", hexToken), "Topic");
    await invalidParameter(() => confirm(topic.replace("us-east-1", "eu-central-1"), hexToken), "Topic");
  });
});

describe("listing", () => {
  it("pages ListSubscriptionsByTopic and ListSubscriptions by 100 (test_list_subscriptions_by_topic_pagination)", async () => {
    const { sns, account } = isolatedSns();
    const topic = await createTopic(sns);
    const arns = await Promise.all(Array.from({ length: 101 }, (_, i) => subscribe(sns, topic, "sms", `+12312312${i}`)));
    const first = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }));
    expect(first.Subscriptions).toHaveLength(100);
    expect(first.NextToken).toBeTruthy();
    const second = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic, NextToken: first.NextToken }));
    expect(second.NextToken).toBeUndefined();
    expect(second.Subscriptions).toHaveLength(1);
    const [last] = second.Subscriptions!;
    expect(last).toEqual({
      Endpoint: last!.Endpoint,
      Owner: account,
      Protocol: "sms",
      SubscriptionArn: last!.SubscriptionArn,
      TopicArn: topic,
    });
    expect(first.Subscriptions!.map((s) => s.SubscriptionArn)).not.toContain(last!.SubscriptionArn);
    expect([...first.Subscriptions!, last!].map((s) => s.SubscriptionArn).sort()).toEqual([...arns].sort());

    const all = await sns.send(new ListSubscriptionsCommand({}));
    expect(all.Subscriptions).toHaveLength(100);
    const rest = await sns.send(new ListSubscriptionsCommand({ NextToken: all.NextToken }));
    expect(rest.Subscriptions).toHaveLength(1);
    expect(rest.NextToken).toBeUndefined();
  }, 60_000);
});
