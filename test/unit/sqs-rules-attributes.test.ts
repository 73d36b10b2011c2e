/**
 * Queue attribute rules (src/services/sqs/queue-attributes.ts) with AWS's codes and texts
 * (../shared/reference/sqs.md §3.9–3.10, notes §4–§7, recordings test_create_standard_queue_with_fifo_attribute_raises_error,
 * test_set_unsupported_attribute_fifo, test_set_queue_attributes_default_values, test_invalid_dead_letter_arn_rejected_before_lookup).
 */
import { describe, expect, it } from "vitest";
import { fail, ok } from "../../src/domain/errors";
import {
  applyAttributes,
  FIFO_DEFAULTS,
  parseRedriveAllowPolicy,
  parseRedrivePolicy,
  STANDARD_DEFAULTS,
  validateAttributes,
  type AttributeContext,
} from "../../src/domain/sqs/queue-attributes";

const STANDARD_CREATE: AttributeContext = { fifo: false, creating: true };
const STANDARD_SET: AttributeContext = { fifo: false, creating: false };
const FIFO_CREATE: AttributeContext = { fifo: true, creating: true };
const FIFO_SET: AttributeContext = { fifo: true, creating: false };

const failure = (attrs: Record<string, string>, ctx: AttributeContext) => {
  const result = validateAttributes(attrs, ctx);
  return result.ok ? undefined : result.error;
};
const invalidAttributeValue = (message: string) => ({
  code: "InvalidAttributeValue",
  type: "com.amazonaws.sqs#InvalidAttributeValue",
  message,
});
const invalidAttributeName = (message: string) => ({
  code: "InvalidAttributeName",
  type: "com.amazonaws.sqs#InvalidAttributeName",
  message,
});
const invalidParameterValue = (message: string) => ({
  code: "InvalidParameterValue",
  type: "com.amazon.coral.service#InvalidParameterValueException",
  message,
});

describe("defaults (AWS 'All' on a fresh queue, AWS-validated)", () => {
  it("standard queues", () => {
    expect(STANDARD_DEFAULTS).toEqual({
      DelaySeconds: "0",
      MaximumMessageSize: "1048576",
      MessageRetentionPeriod: "345600",
      ReceiveMessageWaitTimeSeconds: "0",
      VisibilityTimeout: "30",
      SqsManagedSseEnabled: "true",
    });
  });

  it("FIFO queues add their own", () => {
    expect(FIFO_DEFAULTS).toEqual({
      FifoQueue: "true",
      ContentBasedDeduplication: "false",
      DeduplicationScope: "queue",
      FifoThroughputLimit: "perQueue",
    });
  });
});

describe("integer attribute ranges", () => {
  it.each<[string, number, number]>([
    ["DelaySeconds", 0, 900],
    ["MaximumMessageSize", 1024, 1048576],
    ["MessageRetentionPeriod", 60, 1209600],
    ["ReceiveMessageWaitTimeSeconds", 0, 20],
    ["VisibilityTimeout", 0, 43200],
    ["KmsDataKeyReusePeriodSeconds", 60, 86400],
  ])("%s accepts %i–%i and nothing outside", (name, min, max) => {
    for (const ok of [min, max]) {
      expect(validateAttributes({ [name]: String(ok) }, STANDARD_SET)).toEqual({ ok: true, value: { [name]: String(ok) } });
    }
    for (const bad of [String(min - 1), String(max + 1), "", " 6", "6 ", "544.43", "abc", "1e3", "true"]) {
      expect(failure({ [name]: bad }, STANDARD_SET), `${name}=${JSON.stringify(bad)}`).toEqual(
        invalidAttributeValue(`Invalid value for the parameter ${name}.`),
      );
    }
  });

  it("normalises leading zeros", () => {
    expect(validateAttributes({ DelaySeconds: "007" }, STANDARD_SET)).toEqual({ ok: true, value: { DelaySeconds: "7" } });
  });
});

describe("attribute names", () => {
  it("rejects unknown and read-only names as 'Unknown Attribute X.'", () => {
    for (const name of ["Foobar", "QueueArn", "ApproximateNumberOfMessages", "CreatedTimestamp", "All", "delayseconds"]) {
      expect(failure({ [name]: "1" }, STANDARD_SET)).toEqual(invalidAttributeName(`Unknown Attribute ${name}.`));
    }
  });

  it.each([
    ["FifoQueue", "true", "Unknown Attribute FifoQueue."],
    ["FifoQueue", "false", "Unknown Attribute FifoQueue."],
    ["ContentBasedDeduplication", "false", "Unknown Attribute ContentBasedDeduplication."],
    ["DeduplicationScope", "queue", "You can specify the DeduplicationScope only when FifoQueue is set to true."],
    ["FifoThroughputLimit", "perQueue", "You can specify the FifoThroughputLimit only when FifoQueue is set to true."],
  ])("FIFO-only %s=%s on a standard queue: InvalidAttributeName (recorded)", (name, value, message) => {
    expect(failure({ [name]: value }, STANDARD_CREATE)).toEqual(invalidAttributeName(message));
    expect(failure({ [name]: value }, STANDARD_SET)).toEqual(invalidAttributeName(message));
  });

  it("FifoQueue cannot change on an existing FIFO queue (recorded); true again is accepted", () => {
    expect(failure({ FifoQueue: "false" }, FIFO_SET)).toEqual(
      invalidAttributeValue("Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported."),
    );
    // LocalStack's AWS-validated test_set_unsupported_attribute_fifo sets FifoQueue=true on a FIFO queue successfully.
    expect(validateAttributes({ FifoQueue: "true" }, FIFO_SET)).toEqual({ ok: true, value: { FifoQueue: "true" } });
  });

  it("FIFO queues take their attributes at creation and later", () => {
    const attrs = {
      FifoQueue: "true",
      ContentBasedDeduplication: "true",
      DeduplicationScope: "messageGroup",
      FifoThroughputLimit: "perMessageGroupId",
    };
    expect(validateAttributes(attrs, FIFO_CREATE)).toEqual({ ok: true, value: attrs });
    const { FifoQueue: _, ...rest } = attrs;
    expect(validateAttributes(rest, FIFO_SET)).toEqual({ ok: true, value: rest });
  });

  it.each([
    ["ContentBasedDeduplication", "yes"],
    ["DeduplicationScope", "group"],
    ["FifoThroughputLimit", "perGroup"],
  ])("FIFO %s=%s out of its enum: InvalidAttributeValue", (name, value) => {
    expect(failure({ [name]: value }, FIFO_SET)).toEqual(invalidAttributeValue(`Invalid value for the parameter ${name}.`));
  });

  it("perMessageGroupId throughput needs messageGroup deduplication", () => {
    expect(failure({ DeduplicationScope: "queue", FifoThroughputLimit: "perMessageGroupId" }, FIFO_SET)).toMatchObject({
      code: "InvalidAttributeValue",
    });
  });
});

describe("server-side encryption", () => {
  it("KMS and SQS-managed SSE are exclusive (recorded)", () => {
    expect(failure({ KmsMasterKeyId: "alias/aws/sqs", SqsManagedSseEnabled: "true" }, STANDARD_SET)).toEqual(
      invalidAttributeName(
        "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.",
      ),
    );
  });

  it("SqsManagedSseEnabled is true or false", () => {
    expect(validateAttributes({ SqsManagedSseEnabled: "false" }, STANDARD_SET).ok).toBe(true);
    expect(failure({ SqsManagedSseEnabled: "yes" }, STANDARD_SET)).toEqual(
      invalidAttributeValue("Invalid value for the parameter SqsManagedSseEnabled."),
    );
  });

  it("choosing KMS turns SQS SSE off and adds the default reuse period; defaults again disappear (recorded)", () => {
    const kms = applyAttributes(STANDARD_DEFAULTS, { KmsMasterKeyId: "testKeyId", KmsDataKeyReusePeriodSeconds: "6000" });
    expect(kms).toMatchObject({
      KmsMasterKeyId: "testKeyId",
      KmsDataKeyReusePeriodSeconds: "6000",
      SqsManagedSseEnabled: "false",
    });
    const reset = applyAttributes(kms, { KmsMasterKeyId: "", KmsDataKeyReusePeriodSeconds: "300" });
    expect(reset).toEqual({ ...STANDARD_DEFAULTS, SqsManagedSseEnabled: "false" });
    expect(applyAttributes(STANDARD_DEFAULTS, { KmsMasterKeyId: "k" }).KmsDataKeyReusePeriodSeconds).toBe("300");
  });
});

describe("Policy", () => {
  it("must be a JSON object; empty removes it", () => {
    expect(validateAttributes({ Policy: '{"Version": "2012-10-17"}' }, STANDARD_SET)).toEqual({
      ok: true,
      value: { Policy: '{"Version":"2012-10-17"}' },
    });
    expect(validateAttributes({ Policy: "" }, STANDARD_SET)).toEqual({ ok: true, value: { Policy: "" } });
    for (const bad of ["not json", "[]", "42"]) {
      expect(failure({ Policy: bad }, STANDARD_SET)).toEqual(invalidAttributeValue("Invalid value for the parameter Policy."));
    }
  });
});

describe("RedrivePolicy", () => {
  const DLQ = "arn:aws:sqs:us-east-1:111111111111:dlq";
  const invalid = (raw: string, reason: string) =>
    invalidParameterValue(`Value ${raw} for parameter RedrivePolicy is invalid. Reason: ${reason}`);

  it("parses and normalises maxReceiveCount to a number", () => {
    expect(parseRedrivePolicy(`{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":"3"}`)).toEqual(
      ok({ deadLetterTargetArn: DLQ, maxReceiveCount: 3 }),
    );
    expect(parseRedrivePolicy(`{"maxReceiveCount": 1000, "deadLetterTargetArn": "${DLQ}"}`)).toEqual(
      ok({ deadLetterTargetArn: DLQ, maxReceiveCount: 1000 }),
    );
  });

  it("an invalid ARN, worded with the policy exactly as sent (recorded)", () => {
    const raw = '{"deadLetterTargetArn": "dummy", "maxReceiveCount": 42}';
    expect(parseRedrivePolicy(raw)).toEqual(fail(invalid(raw, "Invalid value for deadLetterTargetArn.")));
  });

  it("{} names maxReceiveCount (community.aws#2321, real AWS)", () => {
    expect(parseRedrivePolicy("{}")).toEqual(
      fail(invalid("{}", "Redrive policy does not contain mandatory attribute: maxReceiveCount.")),
    );
  });

  it("a missing deadLetterTargetArn", () => {
    const raw = '{"maxReceiveCount": 5}';
    expect(parseRedrivePolicy(raw)).toEqual(
      fail(invalid(raw, "Redrive policy does not contain mandatory attribute: deadLetterTargetArn.")),
    );
  });

  it.each(["0", "1001", "-36"])("maxReceiveCount %s is out of range", (count) => {
    const raw = `{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":${count}}`;
    expect(parseRedrivePolicy(raw)).toEqual(
      fail(invalid(raw, `Invalid value for maxReceiveCount: ${count}, valid values are from 1 to 1000 both inclusive.`)),
    );
  });

  it("extra keys", () => {
    const raw = `{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":1,"x":1}`;
    expect(parseRedrivePolicy(raw)).toEqual(
      fail(invalid(raw, "Only following attributes are supported: [maxReceiveCount, deadLetterTargetArn].")),
    );
  });

  it.each([" ", "4", "[]", "nope"])("%j is not a JSON map", (raw) => {
    expect(parseRedrivePolicy(raw)).toEqual(
      fail(
        invalidParameterValue("Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map."),
      ),
    );
  });

  it("through validateAttributes: stored re-serialised; empty removes it", () => {
    expect(
      validateAttributes({ RedrivePolicy: `{"deadLetterTargetArn": "${DLQ}", "maxReceiveCount": "2"}` }, STANDARD_SET),
    ).toEqual({
      ok: true,
      value: { RedrivePolicy: `{"deadLetterTargetArn":"${DLQ}","maxReceiveCount":2}` },
    });
    expect(validateAttributes({ RedrivePolicy: "" }, STANDARD_SET)).toEqual({ ok: true, value: { RedrivePolicy: "" } });
    expect(applyAttributes({ ...STANDARD_DEFAULTS, RedrivePolicy: "x" }, { RedrivePolicy: "" })).toEqual(STANDARD_DEFAULTS);
  });
});

describe("RedriveAllowPolicy", () => {
  const SRC = "arn:aws:sqs:us-east-1:111111111111:src";
  const UNSUPPORTED =
    "Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can't create the redrive allow policy, as it\u2019s in an unsupported format.";
  const invalid = (raw: string, reason: string) =>
    invalidParameterValue(
      `Value ${raw} for parameter RedriveAllowPolicy is invalid. Reason: Amazon SQS can't create the redrive allow policy. ${reason}`,
    );

  it.each([
    ['{"redrivePermission":"allowAll"}', { redrivePermission: "allowAll" }],
    ['{"redrivePermission":"denyAll"}', { redrivePermission: "denyAll" }],
    [`{"redrivePermission":"byQueue","sourceQueueArns":["${SRC}"]}`, { redrivePermission: "byQueue", sourceQueueArns: [SRC] }],
  ])("parses %s", (raw, policy) => {
    expect(parseRedriveAllowPolicy(raw)).toEqual(ok(policy));
  });

  it.each([
    "nope",
    "[]",
    "{}",
    '{"redrivePermission":"some"}',
    '{"redrivePermission":"allowAll","x":1}',
    '{"redrivePermission":"byQueue","sourceQueueArns":[1]}',
    '{"redrivePermission":"byQueue","sourceQueueArns":"a"}',
  ])("%s is in an unsupported format", (raw) => {
    expect(parseRedriveAllowPolicy(raw)).toEqual(fail(invalidParameterValue(UNSUPPORTED)));
  });

  it.each(['{"redrivePermission":"byQueue"}', '{"redrivePermission":"byQueue","sourceQueueArns":[]}'])(
    "%s needs source ARNs",
    (raw) => {
      expect(parseRedriveAllowPolicy(raw)).toEqual(
        fail(
          invalid(raw, "When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values."),
        ),
      );
    },
  );

  it("takes at most 10 source ARNs", () => {
    const ok = JSON.stringify({
      redrivePermission: "byQueue",
      sourceQueueArns: Array.from({ length: 10 }, (_, i) => `${SRC}${i}`),
    });
    expect(parseRedriveAllowPolicy(ok)).toMatchObject({ ok: true, value: { redrivePermission: "byQueue" } });
    const raw = JSON.stringify({
      redrivePermission: "byQueue",
      sourceQueueArns: Array.from({ length: 11 }, (_, i) => `${SRC}${i}`),
    });
    expect(parseRedriveAllowPolicy(raw)).toEqual(
      fail(invalid(raw, "The maximum number of source queue ARNs you can specify is 10.")),
    );
  });

  it.each(["allowAll", "denyAll"])("%s with source ARNs needs byQueue", (permission) => {
    const raw = JSON.stringify({ redrivePermission: permission, sourceQueueArns: [SRC] });
    expect(parseRedriveAllowPolicy(raw)).toEqual(
      fail(invalid(raw, "To specify one or more source queue ARNs, you must set redrivePermission to byQueue.")),
    );
  });
});
