/**
 * What one event (or a new configuration) sends: a message per matching queue or topic configuration,
 * each with its configurationId, the key encoded; Lambda configurations stored but not invoked; and
 * the principal id events show for an account.
 */
import { describe, expect, it } from "vitest";
import { accountPrincipalId, messagesFor, testEventsFor, type EventDetails } from "../../src/domain/s3/event-message";
import type { DestinationConfiguration, NotificationConfiguration } from "../../src/domain/s3/notification-config";

const TIME = Date.UTC(2025, 0, 21, 23, 21, 10, 123);

const details = (overrides: Partial<EventDetails> = {}, object: Partial<EventDetails["object"]> = {}): EventDetails => ({
  eventName: "s3:ObjectCreated:Put",
  eventTime: TIME,
  region: "us-east-1",
  bucket: "my-bucket",
  bucketOwner: "A3NL1KOZZKExample",
  requester: "AWS:AIDAJDPLRKLG7UEXAMPLE",
  sourceIp: "127.0.0.1",
  requestId: "R1",
  hostId: "H1",
  ...overrides,
  object: { key: "my_key_0", size: 9, eTag: "437b930db84b8079c2dd804a71936b5f", ...object },
});

describe("the messages of an event", () => {
  const destination = (
    id: string,
    kind: DestinationConfiguration["kind"],
    arn: string,
    events: string[],
    filter: DestinationConfiguration["filter"] = {},
  ): DestinationConfiguration => ({ id, kind, arn, events, filter, rules: [] });
  const QUEUE = "arn:aws:sqs:us-east-1:111111111111:q";
  const TOPIC = "arn:aws:sns:us-east-1:111111111111:t";
  const LAMBDA = "arn:aws:lambda:us-east-1:111111111111:function:f";
  const config: NotificationConfiguration = {
    destinations: [
      destination("to-topic", "topic", TOPIC, ["s3:ObjectCreated:*"], { prefix: "images/" }),
      destination("to-queue", "queue", QUEUE, ["s3:ObjectCreated:Put", "s3:ObjectRemoved:*"], { suffix: ".txt" }),
      destination("also-queue", "queue", QUEUE, ["s3:ObjectTagging:*"]),
      destination("to-lambda", "lambda", LAMBDA, ["s3:ObjectCreated:Copy"]),
    ],
    eventBridge: true,
  };
  const configurationIds = (m: { body: string }[]) => m.map((x) => JSON.parse(x.body).Records[0].s3.configurationId);

  it("one message per queue or topic configuration that takes the event, with its configurationId", () => {
    const both = messagesFor(config, details({}, { key: "images/notes.txt" }));
    expect(both.map((m) => m.destination)).toEqual([
      { kind: "topic", arn: TOPIC },
      { kind: "queue", arn: QUEUE },
    ]);
    expect(configurationIds(both)).toEqual(["to-topic", "to-queue"]);
    expect(messagesFor(config, details({}, { key: "docs/a.pdf" }))).toEqual([]);
    // Lambda configurations are stored, not invoked.
    expect(
      configurationIds(messagesFor(config, details({ eventName: "s3:ObjectCreated:Copy" }, { key: "images/a.jpg" }))),
    ).toEqual(["to-topic"]);
  });

  it("the message carries the key URL-encoded", () => {
    const [message] = messagesFor(config, details({ eventName: "s3:ObjectRemoved:Delete" }, { key: "my notes.txt" }));
    expect(JSON.parse(message!.body).Records[0].s3.object.key).toBe("my+notes.txt");
  });

  it("a test event goes once to each queue and topic named", () => {
    const messages = testEventsFor(config, { bucket: "my-bucket", requestId: "R", hostId: "H", time: TIME });
    expect(messages.map((m) => m.destination.arn)).toEqual([TOPIC, QUEUE]);
    expect(JSON.parse(messages[0]!.body).Event).toBe("s3:TestEvent");
  });
});

describe("accountPrincipalId", () => {
  it("is a short upper-case id in AWS's form, stable per account and different between accounts", () => {
    const id = accountPrincipalId("000000000000");
    expect(id).toMatch(/^A[0-9A-Z]{13}$/);
    expect(accountPrincipalId("000000000000")).toBe(id);
    expect(accountPrincipalId("111111111111")).not.toBe(id);
  });
});
