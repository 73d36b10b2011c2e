/**
 * SNS → HTTP subscribers on a loopback server started by the test: the confirmation flow, the
 * headers and bodies AWS sends (recorded: ../shared/aws-recordings/sns/test_sns.snapshot.json,
 * TestSNSSubscriptionHttp::*), raw delivery, retries by DeliveryPolicy and the subscription's
 * dead-letter queue.
 */
import {
  ConfirmSubscriptionCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  SubscribeCommand,
  type SNSClient,
} from "@aws-sdk/client-sns";
import { afterEach, describe, expect, it } from "vitest";
import { awsError, endpoint } from "./clients";
import { eventually } from "./helpers";
import {
  ISO_MS,
  UUID,
  bodyOf,
  createQueue,
  createTopic,
  httpSubscriber,
  isolatedPair,
  drain,
  queueCounts,
  receiveExactly,
  verifySignature,
  type ReceivedRequest,
  type Subscriber,
  ENVELOPE_KEYS,
  ENVELOPE_KEYS_SUBJECT,
} from "./sns-delivery-helpers";

const servers: Subscriber[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(): Promise<Subscriber> {
  const s = await httpSubscriber();
  servers.push(s);
  return s;
}

const json = (r: ReceivedRequest) => JSON.parse(r.body) as Record<string, string>;
const ofType = (s: Subscriber, type: string) => s.requests.filter((r) => r.headers["x-amz-sns-message-type"] === type);
/** The delivery attempts of one message, by its text or by its MessageId. */
const attemptsOf = (s: Subscriber, message: string | undefined) =>
  ofType(s, "Notification").filter((r) => json(r).Message === message);
const attemptsWithId = (s: Subscriber, id: string) =>
  ofType(s, "Notification").filter((r) => r.headers["x-amz-sns-message-id"] === id);

async function attributes(sns: SNSClient, arn: string) {
  return (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }))).Attributes!;
}

/** Subscribes an HTTP endpoint and returns the subscription ARN and the confirmation request. */
async function subscribeHttp(sns: SNSClient, topicArn: string, s: Subscriber, attrs?: Record<string, string>) {
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: "http",
      Endpoint: s.url,
      Attributes: attrs,
      ReturnSubscriptionArn: true,
    }),
  );
  const [request] = await s.waitFor(1);
  return { arn: SubscriptionArn!, confirmation: request! };
}

async function confirmed(sns: SNSClient, topicArn: string, s: Subscriber, attrs?: Record<string, string>) {
  const { arn, confirmation } = await subscribeHttp(sns, topicArn, s, attrs);
  await sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: json(confirmation).Token }));
  return arn;
}

describe("HTTP subscriptions: confirmation", () => {
  it("POSTs a signed SubscriptionConfirmation with AWS's headers and body; the subscription stays pending", async () => {
    const { sns } = isolatedPair();
    const topicArn = await createTopic(sns);
    const s = await server();
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "http", Endpoint: s.url }));
    expect(SubscriptionArn).toBe("pending confirmation");
    const [request] = await s.waitFor(1);
    expect(request!.method).toBe("POST");
    expect(request!.path).toBe("/sns-endpoint");
    const body = json(request!);
    expect(request!.headers).toMatchObject({
      "accept-encoding": "gzip,deflate",
      "content-type": "text/plain; charset=UTF-8",
      "user-agent": "Amazon Simple Notification Service Agent",
      "x-amz-sns-message-type": "SubscriptionConfirmation",
      "x-amz-sns-message-id": body.MessageId,
      "x-amz-sns-topic-arn": topicArn,
    });
    expect(request!.headers["x-amz-sns-subscription-arn"]).toBeUndefined();
    expect(Object.keys(body).sort()).toEqual(
      "Message MessageId Signature SignatureVersion SigningCertURL SubscribeURL Timestamp Token TopicArn Type".split(" "),
    );
    expect(body).toMatchObject({
      Type: "SubscriptionConfirmation",
      MessageId: expect.stringMatching(UUID),
      TopicArn: topicArn,
      Message: `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
      SubscribeURL: `${endpoint()}/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${body.Token}`,
      Timestamp: expect.stringMatching(ISO_MS),
      SignatureVersion: "1",
    });
    expect(await verifySignature(body)).toBe(true);
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    expect(Subscriptions).toEqual([
      {
        SubscriptionArn: "PendingConfirmation",
        Owner: expect.any(String),
        Protocol: "http",
        Endpoint: s.url,
        TopicArn: topicArn,
      },
    ]);
    // Nothing is delivered to a pending subscription. A topic delivers to a subscriber in order, so
    // once a message published after confirming has arrived, the earlier one would have too.
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "not yet" }));
    await sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: body.Token }));
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "confirmed" }));
    await eventually(() => ofType(s, "Notification")[0], "the notification after confirming");
    expect(ofType(s, "Notification").map((r) => json(r).Message)).toEqual(["confirmed"]);
  });

  it("confirms by a plain GET of SubscribeURL (no credentials), then delivers signed notifications", async () => {
    const { sns } = isolatedPair();
    const topicArn = await createTopic(sns);
    const s = await server();
    const { arn, confirmation } = await subscribeHttp(sns, topicArn, s);
    expect(await attributes(sns, arn)).toMatchObject({ PendingConfirmation: "true", ConfirmationWasAuthenticated: "false" });
    const visit = await fetch(json(confirmation).SubscribeURL!);
    expect(visit.status).toBe(200);
    const xml = await visit.text();
    expect(xml).toContain(`<SubscriptionArn>${arn}</SubscriptionArn>`);
    expect(xml).toContain("<ConfirmSubscriptionResponse");
    expect(await attributes(sns, arn)).toMatchObject({ PendingConfirmation: "false", ConfirmationWasAuthenticated: "false" });
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "test_external_http_endpoint" }));
    const notification = (await eventually(() => ofType(s, "Notification")[0], "notification"))!;
    expect(notification.headers).toMatchObject({
      "accept-encoding": "gzip,deflate",
      "content-type": "text/plain; charset=UTF-8",
      "user-agent": "Amazon Simple Notification Service Agent",
      "x-amz-sns-message-type": "Notification",
      "x-amz-sns-message-id": MessageId,
      "x-amz-sns-topic-arn": topicArn,
      "x-amz-sns-subscription-arn": arn,
    });
    expect(notification.headers["x-amz-sns-rawdelivery"]).toBeUndefined();
    const body = json(notification);
    expect(Object.keys(body)).toEqual(ENVELOPE_KEYS);
    expect(body).toMatchObject({
      Type: "Notification",
      MessageId,
      TopicArn: topicArn,
      Message: "test_external_http_endpoint",
      UnsubscribeURL: `${endpoint()}/?Action=Unsubscribe&SubscriptionArn=${arn}`,
    });
    expect(await verifySignature(body)).toBe(true);
  });

  it("refuses a SubscribeURL with a bad token, a malformed or other-region topic; a wrong topic name in the region confirms (recorded)", async () => {
    const { sns, region } = isolatedPair();
    const topicArn = await createTopic(sns);
    const s = await server();
    const { arn, confirmation } = await subscribeHttp(sns, topicArn, s);
    const token = json(confirmation).Token!;
    const visit = async (topic: string, t: string) => {
      const r = await fetch(`${endpoint()}/?Action=ConfirmSubscription&TopicArn=${topic}&Token=${t}`);
      return { status: r.status, text: await r.text() };
    };
    for (const [topic, t, what] of [
      ["not-an-arn", token, "Topic"],
      [topicArn, "abc123", "Token"],
      [topicArn.replace(region, region === "eu-central-1" ? "us-east-1" : "eu-central-1"), token, "Topic"],
    ] as const) {
      const r = await visit(topic, t);
      expect(r.status).toBe(400);
      expect(r.text).toContain("<Code>InvalidParameter</Code>");
      expect(r.text).toContain(`<Message>Invalid parameter: ${what}</Message>`);
    }
    expect(await attributes(sns, arn)).toMatchObject({ PendingConfirmation: "true" });
    // "weirdly, even with a wrong topic, SNS will confirm the topic": the token decides.
    const wrongName = topicArn.slice(0, -1) + (topicArn.endsWith("a") ? "b" : "a");
    const r = await visit(wrongName, token);
    expect(r.status).toBe(200);
    expect(r.text).toContain(`<SubscriptionArn>${arn}</SubscriptionArn>`);
    expect(await attributes(sns, arn)).toMatchObject({ PendingConfirmation: "false" });
  });

  it("confirms with ConfirmSubscription (authenticated), idempotently", async () => {
    const { sns } = isolatedPair();
    const topicArn = await createTopic(sns);
    const s = await server();
    const { arn, confirmation } = await subscribeHttp(sns, topicArn, s);
    const token = json(confirmation).Token!;
    expect(await awsError(() => sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: "bad" })))).toMatchObject({
      name: "InvalidParameterException",
      message: "Invalid parameter: Token",
      status: 400,
    });
    const first = await sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: token }));
    expect(first.SubscriptionArn).toBe(arn);
    const again = await sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: token }));
    expect(again.SubscriptionArn).toBe(arn);
    expect(await attributes(sns, arn)).toMatchObject({ PendingConfirmation: "false", ConfirmationWasAuthenticated: "true" });
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    expect(Subscriptions!.map((x) => x.SubscriptionArn)).toEqual([arn]);
  });
});

describe("HTTP subscriptions: notifications", () => {
  it("raw delivery: the bare message, x-amz-sns-rawdelivery, Content-Type from the DeliveryPolicy (recorded)", async () => {
    const { sns } = isolatedPair();
    const topicArn = await createTopic(sns);
    const s = await server();
    const policy = JSON.stringify({ requestPolicy: { headerContentType: "text/csv" } });
    const { arn, confirmation } = await subscribeHttp(sns, topicArn, s, { RawMessageDelivery: "true", DeliveryPolicy: policy });
    // The confirmation keeps text/plain whatever the policy says.
    expect(confirmation.headers["content-type"]).toBe("text/plain; charset=UTF-8");
    await sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: json(confirmation).Token }));
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: "a,b,c",
        MessageAttributes: { k: { DataType: "String", StringValue: "v" } },
      }),
    );
    const notification = (await eventually(() => ofType(s, "Notification")[0], "notification"))!;
    expect(notification.body).toBe("a,b,c");
    expect(notification.headers).toMatchObject({
      "content-type": "text/csv",
      "user-agent": "Amazon Simple Notification Service Agent",
      "x-amz-sns-message-type": "Notification",
      "x-amz-sns-message-id": MessageId,
      "x-amz-sns-topic-arn": topicArn,
      "x-amz-sns-subscription-arn": arn,
      "x-amz-sns-rawdelivery": "true",
    });
  });

  it("a JSON envelope with MessageAttributes and Subject, and application/json from the policy", async () => {
    const { sns } = isolatedPair();
    const topicArn = await createTopic(sns, undefined, { SignatureVersion: "2" });
    const s = await server();
    await confirmed(sns, topicArn, s, {
      DeliveryPolicy: JSON.stringify({ requestPolicy: { headerContentType: "application/json" } }),
    });
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: "m",
        Subject: "s",
        MessageAttributes: { n: { DataType: "Number", StringValue: "1.5" } },
      }),
    );
    const notification = (await eventually(() => ofType(s, "Notification")[0], "notification"))!;
    expect(notification.headers["content-type"]).toBe("application/json");
    const body = json(notification);
    expect(Object.keys(body)).toEqual([...ENVELOPE_KEYS_SUBJECT, "MessageAttributes"]);
    expect(body.MessageAttributes).toEqual({ n: { Type: "Number", Value: "1.5" } });
    expect(body.SignatureVersion).toBe("2");
    expect(await verifySignature(body, "sha256")).toBe(true);
  });

  it("UnsubscribeURL (no credentials) removes the subscription and sends a signed UnsubscribeConfirmation", async () => {
    const { sns } = isolatedPair();
    const topicArn = await createTopic(sns);
    const s = await server();
    const arn = await confirmed(sns, topicArn, s);
    // The UnsubscribeURL of a notification works without credentials (recorded flow).
    const visit = await fetch(`${endpoint()}/?Action=Unsubscribe&SubscriptionArn=${arn}`);
    expect(visit.status).toBe(200);
    expect(await visit.text()).toContain("<UnsubscribeResponse");
    const request = (await eventually(() => ofType(s, "UnsubscribeConfirmation")[0], "unsubscribe confirmation"))!;
    const body = json(request);
    expect(request.headers).toMatchObject({
      "content-type": "text/plain; charset=UTF-8",
      "user-agent": "Amazon Simple Notification Service Agent",
      "x-amz-sns-message-id": body.MessageId,
      "x-amz-sns-topic-arn": topicArn,
      "x-amz-sns-subscription-arn": arn,
    });
    expect(body).toMatchObject({
      Type: "UnsubscribeConfirmation",
      TopicArn: topicArn,
      Message: `You have chosen to deactivate subscription ${arn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`,
      SubscribeURL: `${endpoint()}/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${body.Token}`,
    });
    expect(body.Token).not.toBe(json(s.requests[0]!).Token);
    expect(await verifySignature(body)).toBe(true);
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions).toEqual([]);
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "after unsubscribe" }));
    // Subscribed again and confirmed, the endpoint gets only what is published from then on (its
    // confirmation comes after anything the old subscription was still owed).
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "http", Endpoint: s.url }));
    const again = await eventually(() => ofType(s, "SubscriptionConfirmation")[1], "the second subscription confirmation");
    await sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: json(again).Token }));
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "subscribed again" }));
    await eventually(() => ofType(s, "Notification")[0], "the notification after subscribing again");
    expect(ofType(s, "Notification").map((r) => json(r).Message)).toEqual(["subscribed again"]);
  });
});

describe("HTTP subscriptions: retries and dead-letter queues", () => {
  const shortPolicy = JSON.stringify({
    healthyRetryPolicy: { minDelayTarget: 1, maxDelayTarget: 1, numRetries: 2, backoffFunction: "linear" },
  });

  it("retries a failing (500) subscriber as the DeliveryPolicy says, then parks the message in the DLQ", async () => {
    const { sns, sqs } = isolatedPair();
    const topicArn = await createTopic(sns);
    const dlq = await createQueue(sqs);
    const s = await server();
    s.respond = (r) => (r.headers["x-amz-sns-message-type"] === "Notification" ? 500 : 200);
    const arn = await confirmed(sns, topicArn, s, {
      DeliveryPolicy: shortPolicy,
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
    });
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "failing delivery" }));
    const [parked] = await receiveExactly(sqs, dlq.url, 1, 500, 30_000);
    const attempts = ofType(s, "Notification");
    expect(attempts).toHaveLength(3);
    for (const a of attempts) expect(a.headers["x-amz-sns-message-id"]).toBe(MessageId);
    // minDelayTarget 1: the retries come about a second apart, not at once.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(800);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(800);
    const body = bodyOf(parked!);
    expect(body).toMatchObject({ Type: "Notification", MessageId, TopicArn: topicArn, Message: "failing delivery" });
    expect(body.UnsubscribeURL).toBe(`${endpoint()}/?Action=Unsubscribe&SubscriptionArn=${arn}`);
    // No attempt after parking: a second message, retried on the same schedule, is parked in turn,
    // while the first still has its three attempts.
    const second = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "second failing delivery" }));
    expect(await drain(sqs, dlq.url, 1, { timeoutMs: 30_000 })).toHaveLength(1);
    expect(attemptsWithId(s, second.MessageId!)).toHaveLength(3);
    expect(attemptsWithId(s, MessageId!)).toHaveLength(3);
  });

  it("a 4xx answer is not retried: the message goes to the DLQ after one attempt", async () => {
    const { sns, sqs } = isolatedPair();
    const topicArn = await createTopic(sns);
    const dlq = await createQueue(sqs);
    const s = await server();
    // "refused" gets a 403; any later message a 500 on its first attempt, then 200.
    s.respond = (r) => {
      if (r.headers["x-amz-sns-message-type"] !== "Notification") return 200;
      if (json(r).Message === "refused") return 403;
      return attemptsOf(s, json(r).Message).length < 2 ? 500 : 200;
    };
    await confirmed(sns, topicArn, s, {
      DeliveryPolicy: shortPolicy,
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
    });
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "refused" }));
    const [parked] = await receiveExactly(sqs, dlq.url, 1, 500, 30_000);
    expect(bodyOf(parked!).Message).toBe("refused");
    // A later message's retry (after minDelayTarget, 1 s) comes after a retry of "refused" would have.
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "retried" }));
    await eventually(() => attemptsOf(s, "retried").length >= 2, "the retry of a later message");
    expect(attemptsOf(s, "refused")).toHaveLength(1);
  });

  it("without a subscription policy, the topic's http.defaultHealthyRetryPolicy applies", async () => {
    const { sns, sqs } = isolatedPair();
    const retry = { minDelayTarget: 1, maxDelayTarget: 1, numRetries: 1 };
    const topicArn = await createTopic(sns, undefined, {
      DeliveryPolicy: JSON.stringify({ http: { defaultHealthyRetryPolicy: retry } }),
    });
    const dlq = await createQueue(sqs);
    const s = await server();
    s.respond = (r) => (r.headers["x-amz-sns-message-type"] === "Notification" ? 500 : 200);
    await confirmed(sns, topicArn, s, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) });
    const first = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "topic policy" }));
    await receiveExactly(sqs, dlq.url, 1, 500, 30_000);
    // Two attempts (numRetries 1) and no more: a second message on the same schedule is parked in
    // turn, while the first still has two.
    const second = await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "topic policy again" }));
    expect(await drain(sqs, dlq.url, 1, { timeoutMs: 30_000 })).toHaveLength(1);
    expect(attemptsWithId(s, second.MessageId!)).toHaveLength(2);
    expect(attemptsWithId(s, first.MessageId!)).toHaveLength(2);
  });

  it("a subscriber that recovers gets the message on a retry, and the DLQ stays empty", async () => {
    const { sns, sqs } = isolatedPair();
    const topicArn = await createTopic(sns);
    const dlq = await createQueue(sqs);
    const s = await server();
    // Each message fails its first attempt (503) and is delivered on the retry.
    s.respond = (r) =>
      r.headers["x-amz-sns-message-type"] === "Notification" && attemptsOf(s, json(r).Message).length < 2 ? 503 : 200;
    await confirmed(sns, topicArn, s, {
      DeliveryPolicy: shortPolicy,
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
    });
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "eventually" }));
    await eventually(() => attemptsOf(s, "eventually").length >= 2, "second attempt");
    // A later message, retried on the same schedule, is delivered after anything further for the first
    // (another attempt, or a copy in the DLQ) would have been.
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: "later" }));
    await eventually(() => attemptsOf(s, "later").length >= 2, "the retry of a later message");
    expect(await queueCounts(sqs, dlq.url)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(attemptsOf(s, "eventually")).toHaveLength(2);
  });
});
