/**
 * NotificationConfiguration documents: parsing the XML an SDK sends, AWS's checks and their exact
 * texts (AWS-recorded in `test_s3_notifications_sqs|sns|lambda` and `test_s3_api`), the destination
 * answers turned into one error, and the document GetBucketNotificationConfiguration returns.
 */
import { XMLBuilder, XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import {
  destinationProblem,
  destinationsToCheck,
  EMPTY_NOTIFICATION_CONFIGURATION,
  notificationConfigurationDocument,
  parseNotificationConfiguration,
  type DestinationAnswer,
  type NotificationConfiguration,
  type NotificationError,
} from "../../src/domain/s3/notification-config";

const QUEUE = "arn:aws:sqs:us-east-1:111111111111:my-queue";
const QUEUE_2 = "arn:aws:sqs:us-east-1:111111111111:my-queue-2";
const TOPIC = "arn:aws:sns:us-east-1:111111111111:my-topic";
const LAMBDA = "arn:aws:lambda:us-east-1:111111111111:function:my-lambda";

const parser = new XMLParser({ parseTagValue: false });
const doc = (inner: string) =>
  parser.parse(`<?xml version="1.0" encoding="UTF-8"?>
<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${inner}</NotificationConfiguration>`);

const rule = (name: string, value: string) => `<FilterRule><Name>${name}</Name><Value>${value}</Value></FilterRule>`;
const queue = (arn: string, events: string[], extra = "") =>
  `<QueueConfiguration>${extra}<Queue>${arn}</Queue>${events.map((e) => `<Event>${e}</Event>`).join("")}</QueueConfiguration>`;
const withFilter = (...rules: string[]) => `<Filter><S3Key>${rules.join("")}</S3Key></Filter>`;

let ids = 0;
const parse = (inner: string) => parseNotificationConfiguration(doc(inner), { newId: () => `generated-${++ids}` });

function parsed(inner: string): NotificationConfiguration {
  const result = parse(inner);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

function error(inner: string): NotificationError {
  const result = parse(inner);
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return result.error;
}

const MALFORMED = {
  code: "MalformedXML",
  status: 400,
  message: "The XML you provided was not well-formed or did not validate against our published schema",
};

describe("parsing", () => {
  it("reads queue, topic and Lambda configurations, EventBridge, filters with names in AWS's casing", () => {
    const config = parsed(
      queue(QUEUE, ["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"], "<Id>id0001</Id>") +
        `<TopicConfiguration><Id>t1</Id><Topic>${TOPIC}</Topic><Event>s3:ObjectTagging:*</Event></TopicConfiguration>` +
        `<CloudFunctionConfiguration><Id>l1</Id><CloudFunction>${LAMBDA}</CloudFunction><Event>s3:ObjectAcl:Put</Event>${withFilter(
          rule("suffix", ".txt"),
          rule("PREFIX", "notif-"),
        )}</CloudFunctionConfiguration>` +
        "<EventBridgeConfiguration></EventBridgeConfiguration>",
    );
    expect(config.eventBridge).toBe(true);
    // Topics, then queues, then Lambda functions: the order of the API model (and of Get's document).
    expect(config.destinations.map((d) => [d.kind, d.id, d.arn])).toEqual([
      ["topic", "t1", TOPIC],
      ["queue", "id0001", QUEUE],
      ["lambda", "l1", LAMBDA],
    ]);
    expect(config.destinations[1]!.events).toEqual(["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"]);
    // AWS-recorded `test_filter_rules_case_insensitive`: `suffix` and `PREFIX` come back as Suffix and Prefix.
    expect(config.destinations[2]!.rules).toEqual([
      { name: "Suffix", value: ".txt" },
      { name: "Prefix", value: "notif-" },
    ]);
    expect(config.destinations[2]!.filter).toEqual({ prefix: "notif-", suffix: ".txt" });
  });

  it("gives configurations without an Id a generated one; AWS's look like a base64 UUID", () => {
    expect(parsed(queue(QUEUE, ["s3:ObjectCreated:*"])).destinations[0]!.id).toMatch(/^generated-/);
    expect(parsed(queue(QUEUE, ["s3:ObjectCreated:*"], "<Id></Id>")).destinations[0]!.id).toMatch(/^generated-/);
    const result = parseNotificationConfiguration(doc(queue(QUEUE, ["s3:ObjectCreated:*"])));
    expect(result.ok && atob(result.value.destinations[0]!.id)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("an empty document (or none of anything) removes every configuration", () => {
    expect(parsed("")).toEqual(EMPTY_NOTIFICATION_CONFIGURATION);
    expect(parseNotificationConfiguration(parser.parse("<NotificationConfiguration/>"))).toEqual({
      ok: true,
      value: EMPTY_NOTIFICATION_CONFIGURATION,
    });
  });

  it("accepts an empty filter value (AWS-recorded `test_filter_rules_empty_value`)", () => {
    expect(parsed(queue(QUEUE, ["s3:ObjectCreated:*"], withFilter(rule("Suffix", "")))).destinations[0]!.rules).toEqual([
      { name: "Suffix", value: "" },
    ]);
  });

  it("reads trees of a parser with default options (numbers as numbers, attributes kept)", () => {
    const tree = new XMLParser({ ignoreAttributes: false }).parse(
      `<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${queue(QUEUE, ["s3:ObjectCreated:Put"], "<Id>123</Id>")}</NotificationConfiguration>`,
    );
    const result = parseNotificationConfiguration(tree);
    expect(result.ok && result.value.destinations[0]!.id).toBe("123");
  });
});

describe("form checks", () => {
  it("an ARN that does not parse names the destination element (AWS-recorded `test_invalid_sqs_arn`)", () => {
    expect(error(queue("invalid-queue", ["s3:ObjectCreated:*"], "<Id>id123</Id>"))).toEqual({
      code: "InvalidArgument",
      status: 400,
      message: "The ARN could not be parsed",
      fields: { ArgumentName: "Queue", ArgumentValue: "invalid-queue" },
    });
    const topic = `<TopicConfiguration><Topic>invalid-topic</Topic><Event>s3:ObjectCreated:*</Event></TopicConfiguration>`;
    expect(error(topic).fields).toEqual({ ArgumentName: "Topic", ArgumentValue: "invalid-topic" });
    const lambda = `<CloudFunctionConfiguration><CloudFunction>invalid-queue</CloudFunction><Event>s3:ObjectCreated:*</Event></CloudFunctionConfiguration>`;
    expect(error(lambda).fields).toEqual({ ArgumentName: "CloudFunction", ArgumentValue: "invalid-queue" });
    // Another service's ARN is no queue ARN.
    expect(error(queue(TOPIC, ["s3:ObjectCreated:*"])).message).toBe("The ARN could not be parsed");
  });

  it("the first configuration that fails its form check is the error (AWS-recorded `test_multiple_invalid_sqs_arns`)", () => {
    const two =
      queue("invalid_arn", ["s3:ObjectCreated:*"], "<Id>id1</Id>") +
      queue("invalid_arn_2", ["s3:ObjectRemoved:*"], "<Id>id2</Id>");
    expect(error(two).fields).toEqual({ ArgumentName: "Queue", ArgumentValue: "invalid_arn" });
    // One valid but missing queue, one unparsable ARN: the form check comes first, whatever the order.
    const mixed =
      queue(QUEUE, ["s3:ObjectCreated:*"], "<Id>id1</Id>") + queue("invalid_arn_2", ["s3:ObjectRemoved:*"], "<Id>id2</Id>");
    expect(error(mixed).fields).toEqual({ ArgumentName: "Queue", ArgumentValue: "invalid_arn_2" });
  });

  it("refuses destinations in another region than the bucket's", () => {
    const result = parseNotificationConfiguration(doc(queue("arn:aws:sqs:eu-west-1:111111111111:q", ["s3:ObjectCreated:*"])), {
      bucketRegion: "us-east-1",
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: "InvalidArgument",
        message: "The notification destination service region is not valid for the bucket location constraint",
      },
    });
    expect(parseNotificationConfiguration(doc(queue(QUEUE, ["s3:ObjectCreated:*"])), { bucketRegion: "us-east-1" }).ok).toBe(
      true,
    );
  });

  it("refuses event names S3 does not notify", () => {
    expect(error(queue(QUEUE, ["s3:ObjectCreated:*", "notarealeventname"]))).toMatchObject({
      code: "InvalidArgument",
      status: 400,
      message: "The event is not supported for notifications",
    });
    expect(error(queue(QUEUE, ["s3:ObjectCreated"])).message).toBe("The event is not supported for notifications");
  });

  it("refuses filter rule names other than prefix and suffix (AWS-recorded)", () => {
    expect(error(queue(QUEUE, ["s3:ObjectCreated:*"], withFilter(rule("INVALID", "does not matter"))))).toEqual({
      code: "InvalidArgument",
      status: 400,
      message: "filter rule name must be either prefix or suffix",
      fields: { ArgumentName: "FilterRule.Name", ArgumentValue: "INVALID" },
    });
  });

  it("refuses two prefix (or suffix) rules and values over 1024 bytes", () => {
    expect(error(queue(QUEUE, ["s3:ObjectCreated:*"], withFilter(rule("prefix", "a"), rule("Prefix", "b")))).message).toBe(
      "Cannot specify more than one prefix rule in a filter.",
    );
    expect(error(queue(QUEUE, ["s3:ObjectCreated:*"], withFilter(rule("Suffix", "a"), rule("suffix", "b")))).message).toBe(
      "Cannot specify more than one suffix rule in a filter.",
    );
    expect(error(queue(QUEUE, ["s3:ObjectCreated:*"], withFilter(rule("Prefix", "é".repeat(513))))).message).toBe(
      "Size of filter rule value cannot exceed 1024 bytes in UTF-8 representation",
    );
    expect(parsed(queue(QUEUE, ["s3:ObjectCreated:*"], withFilter(rule("Prefix", "a".repeat(1024))))).destinations).toHaveLength(
      1,
    );
  });

  it("a filter rule without its Name or its Value is malformed (AWS-recorded `missing_values_in_rule`)", () => {
    const cases = [
      "<FilterRule></FilterRule>",
      "<FilterRule><Name>prefix</Name></FilterRule>",
      "<FilterRule><Value>test</Value></FilterRule>",
    ];
    for (const c of cases) expect(error(queue(QUEUE, ["s3:ObjectCreated:*"], withFilter(c)))).toMatchObject(MALFORMED);
  });

  it("a configuration without destination or events, unknown elements or another root are malformed", () => {
    expect(error(`<QueueConfiguration><Event>s3:ObjectCreated:*</Event></QueueConfiguration>`)).toMatchObject(MALFORMED);
    expect(error(`<QueueConfiguration><Queue>${QUEUE}</Queue></QueueConfiguration>`)).toMatchObject(MALFORMED);
    expect(error(queue(QUEUE, ["s3:ObjectCreated:*"], "<Colour>red</Colour>"))).toMatchObject(MALFORMED);
    expect(error("<Unknown/>")).toMatchObject(MALFORMED);
    expect(parseNotificationConfiguration(parser.parse("<Other/>"))).toMatchObject({ ok: false, error: MALFORMED });
  });

  it("refuses one id for two configurations", () => {
    const two = queue(QUEUE, ["s3:ObjectCreated:*"], "<Id>same</Id>") + queue(QUEUE_2, ["s3:ObjectRemoved:*"], "<Id>same</Id>");
    expect(error(two).message).toBe("Same ID used for multiple configurations. IDs must be unique.");
  });

  it("refuses configurations that share an event type without filters", () => {
    const overlap = (a: string[], b: string[]) => error(queue(QUEUE, a) + queue(QUEUE_2, b));
    const message = "Configurations overlap. Configurations on the same bucket cannot share a common event type.";
    expect(overlap(["s3:ObjectCreated:*"], ["s3:ObjectCreated:Put"])).toMatchObject({ code: "InvalidArgument", message });
    expect(overlap(["s3:ObjectRemoved:Delete"], ["s3:ObjectRemoved:Delete"]).message).toBe(message);
    // Across destination kinds, too.
    const topic = `<TopicConfiguration><Topic>${TOPIC}</Topic><Event>s3:ObjectCreated:Put</Event></TopicConfiguration>`;
    expect(error(topic + queue(QUEUE, ["s3:ObjectCreated:*"])).message).toBe(message);
    // Different families do not overlap.
    expect(parsed(queue(QUEUE, ["s3:ObjectCreated:*"]) + queue(QUEUE_2, ["s3:ObjectRemoved:*"])).destinations).toHaveLength(2);
  });

  it("refuses filters that can both match one key for a common event type, and accepts disjoint ones", () => {
    const ambiguous =
      "Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.";
    const two = (a: string, b: string) => queue(QUEUE, ["s3:ObjectCreated:*"], a) + queue(QUEUE_2, ["s3:ObjectCreated:Put"], b);
    expect(error(two(withFilter(rule("Prefix", "images/")), withFilter(rule("Prefix", "images/raw/")))).message).toBe(ambiguous);
    expect(error(two(withFilter(rule("Suffix", ".jpg")), "")).message).toBe(ambiguous);
    expect(error(two(withFilter(rule("Prefix", "a/")), withFilter(rule("Suffix", ".jpg")))).message).toBe(ambiguous);
    expect(parsed(two(withFilter(rule("Prefix", "images/")), withFilter(rule("Prefix", "videos/")))).destinations).toHaveLength(
      2,
    );
    expect(parsed(two(withFilter(rule("Suffix", ".jpg")), withFilter(rule("Suffix", ".png")))).destinations).toHaveLength(2);
  });

  it("accepts the same filter for different event types (AWS-recorded `test_notifications_with_filter`)", () => {
    const filter = withFilter(rule("Prefix", "testupload/"), rule("Suffix", "testfile.txt"));
    const config = parsed(
      queue(QUEUE, ["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"], `<Id>id0001</Id>${filter}`) +
        queue(QUEUE, ["s3:ObjectTagging:*"], `<Id>id0002</Id>${filter}`),
    );
    expect(config.destinations.map((d) => d.id)).toEqual(["id0001", "id0002"]);
  });
});

describe("destination checks", () => {
  const answers = (entries: [string, DestinationAnswer][]) => new Map(entries);

  it("lists each destination once, in document order", () => {
    const config = parsed(
      queue(QUEUE, ["s3:ObjectCreated:*"]) +
        queue(QUEUE, ["s3:ObjectRemoved:*"]) +
        `<TopicConfiguration><Topic>${TOPIC}</Topic><Event>s3:ObjectTagging:*</Event></TopicConfiguration>`,
    );
    expect(destinationsToCheck(config)).toEqual([
      { kind: "topic", arn: TOPIC },
      { kind: "queue", arn: QUEUE },
    ]);
  });

  it("numbers every destination that is not there in one error (AWS-recorded)", () => {
    const one = parsed(queue(QUEUE, ["s3:ObjectCreated:*"], "<Id>id123</Id>"));
    expect(destinationProblem(one, answers([[QUEUE, "missing"]]))).toEqual({
      code: "InvalidArgument",
      status: 400,
      message: "Unable to validate the following destination configurations",
      fields: { ArgumentName1: QUEUE, ArgumentValue1: "The destination queue does not exist" },
    });
    expect(destinationProblem(one, answers([[QUEUE, "exists"]]))).toBeUndefined();
    const two = parsed(queue(QUEUE, ["s3:ObjectCreated:*"]) + queue(QUEUE_2, ["s3:ObjectRemoved:*"]));
    expect(destinationProblem(two, answers([]))?.fields).toEqual({
      ArgumentName1: QUEUE,
      ArgumentValue1: "The destination queue does not exist",
      ArgumentName2: QUEUE_2,
      ArgumentValue2: "The destination queue does not exist",
    });
    expect(destinationProblem(two, answers([[QUEUE, "exists"]]))?.fields).toEqual({
      ArgumentName1: QUEUE_2,
      ArgumentValue1: "The destination queue does not exist",
    });
  });

  it("words topics, refused permissions and Lambda functions as AWS does", () => {
    const topic = parsed(`<TopicConfiguration><Topic>${TOPIC}</Topic><Event>s3:ObjectCreated:*</Event></TopicConfiguration>`);
    expect(destinationProblem(topic, answers([[TOPIC, "missing"]]))?.fields).toEqual({
      ArgumentName1: TOPIC,
      ArgumentValue1: "The destination topic does not exist",
    });
    expect(destinationProblem(topic, answers([[TOPIC, "denied"]]))?.fields?.ArgumentValue1).toBe(
      "Permissions on the destination topic do not allow S3 to publish notifications from this bucket",
    );
    // FIFO destinations are refused, as on AWS (which tries to send them its test message).
    const fifo = parsed(queue(`${QUEUE}.fifo`, ["s3:ObjectCreated:*"]));
    expect(destinationProblem(fifo, answers([[`${QUEUE}.fifo`, "exists"]]))?.fields).toEqual({
      ArgumentName1: `${QUEUE}.fifo`,
      ArgumentValue1: "Permissions on the destination queue do not allow S3 to publish notifications from this bucket",
    });
    // AWS-recorded `test_invalid_lambda_arn`.
    const lambda = parsed(
      `<CloudFunctionConfiguration><CloudFunction>${LAMBDA}</CloudFunction><Event>s3:ObjectCreated:*</Event></CloudFunctionConfiguration>`,
    );
    expect(destinationProblem(lambda, answers([[LAMBDA, "missing"]]))?.fields).toEqual({
      ArgumentName1: `${LAMBDA}, null`,
      ArgumentValue1: `Not authorized to invoke function [${LAMBDA}]`,
    });
  });
});

describe("the document Get returns", () => {
  const build = (config: NotificationConfiguration) => new XMLBuilder({}).build(notificationConfigurationDocument(config));

  it("writes each kind's elements in AWS's order, filters only where there are rules", () => {
    const config = parsed(
      queue(QUEUE, ["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"], `<Id>q1</Id>${withFilter(rule("prefix", "testupload/"))}`) +
        `<TopicConfiguration><Id>t1</Id><Topic>${TOPIC}</Topic><Event>s3:ObjectTagging:Put</Event></TopicConfiguration>`,
    );
    expect(build(config)).toBe(
      "<NotificationConfiguration>" +
        `<TopicConfiguration><Id>t1</Id><Topic>${TOPIC}</Topic><Event>s3:ObjectTagging:Put</Event></TopicConfiguration>` +
        `<QueueConfiguration><Id>q1</Id><Queue>${QUEUE}</Queue><Event>s3:ObjectCreated:*</Event><Event>s3:ObjectRemoved:Delete</Event>` +
        "<Filter><S3Key><FilterRule><Name>Prefix</Name><Value>testupload/</Value></FilterRule></S3Key></Filter></QueueConfiguration>" +
        "</NotificationConfiguration>",
    );
  });

  it("writes an empty configuration as an empty element, EventBridge as an empty child", () => {
    expect(build(EMPTY_NOTIFICATION_CONFIGURATION)).toBe("<NotificationConfiguration></NotificationConfiguration>");
    expect(build({ destinations: [], eventBridge: true })).toBe(
      "<NotificationConfiguration><EventBridgeConfiguration></EventBridgeConfiguration></NotificationConfiguration>",
    );
  });

  it("round-trips through the parser", () => {
    const config = parsed(
      queue(QUEUE, ["s3:ObjectCreated:*"], `<Id>q1</Id>${withFilter(rule("Suffix", ""), rule("Prefix", "a b"))}`) +
        "<EventBridgeConfiguration/>",
    );
    const again = parseNotificationConfiguration(parser.parse(build(config)));
    expect(again).toEqual({ ok: true, value: config });
  });
});
