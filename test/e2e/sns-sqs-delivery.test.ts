/**
 * SNS → SQS delivery with the real @aws-sdk/client-sns and @aws-sdk/client-sqs. Expected envelopes,
 * attributes and errors are the ones recorded on AWS (../shared/aws-recordings/sns/test_sns.snapshot.json,
 * TestSNSSubscriptionSQS::*, TestSNSPublishCrud::test_publish_batch_* / test_publish_too_long_message).
 */
import { createHash } from "node:crypto";
import { PublishBatchCommand, PublishCommand } from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { awsError, endpoint } from "./clients";
import {
  ISO_MS,
  UUID,
  bodyOf,
  createQueue,
  createTopic,
  isolatedPair,
  receiveExactly,
  subscribe,
  verifySignature,
  ENVELOPE_KEYS,
  ENVELOPE_KEYS_SUBJECT,
} from "./sns-delivery-helpers";

const md5 = (s: string) => createHash("md5").update(s, "utf8").digest("hex");

describe("SNS to SQS: the JSON envelope", () => {
  it("fans one message out to every subscribed queue, each with the envelope AWS delivers", async () => {
    const { sns, sqs } = isolatedPair();
    const topicArn = await createTopic(sns);
    const queues = await Promise.all([1, 2, 3].map(() => createQueue(sqs)));
    const subs = await Promise.all(queues.map((q) => subscribe(sns, topicArn, "sqs", q.arn)));
    const { MessageId } = await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: "This is a test message",
        MessageAttributes: {
          attr1: { DataType: "Number", StringValue: "99.12" },
          name: { DataType: "String", StringValue: "value" },
          store: { DataType: "Binary", BinaryValue: Uint8Array.of(2, 3, 4) },
        },
      }),
    );
    expect(MessageId).toMatch(UUID);
    for (const [i, q] of queues.entries()) {
      const [m] = await receiveExactly(sqs, q.url, 1);
      const body = bodyOf(m!);
      // Key order as recorded (test_subscribe_sqs_queue): no Subject, attributes last.
      expect(Object.keys(body)).toEqual([...ENVELOPE_KEYS, "MessageAttributes"]);
      expect(body).toEqual({
        Type: "Notification",
        MessageId,
        TopicArn: topicArn,
        Message: "This is a test message",
        Timestamp: expect.stringMatching(ISO_MS),
        SignatureVersion: "1",
        Signature: expect.any(String),
        SigningCertURL: expect.stringMatching(new RegExp(`^${endpoint()}/SimpleNotificationService-[0-9a-f]+\\.pem$`)),
        UnsubscribeURL: `${endpoint()}/?Action=Unsubscribe&SubscriptionArn=${subs[i]}`,
        MessageAttributes: {
          attr1: { Type: "Number", Value: "99.12" },
          name: { Type: "String", Value: "value" },
          store: { Type: "Binary", Value: "AgME" },
        },
      });
      expect(Math.abs(Date.parse(body.Timestamp as string) - Date.now())).toBeLessThan(60_000);
      // Raw delivery off: the attributes are inside the envelope, not SQS message attributes.
      expect(m!.MessageAttributes).toBeUndefined();
      expect(m!.MD5OfBody).toBe(md5(m!.Body!));
      expect(m!.Attributes?.SenderId).toBeTruthy();
      expect(await verifySignature(body)).toBe(true);
    }
  });

  it("puts Subject between TopicArn and Message only when it is set; unicode survives", async () => {
    const { sns, sqs } = isolatedPair();
    const topicArn = await createTopic(sns);
    const q = await createQueue(sqs);
    await subscribe(sns, topicArn, "sqs", q.arn);
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'ö§a1"_!?,. £$-', Subject: "Greetings" }));
    const [m] = await receiveExactly(sqs, q.url, 1);
    const body = bodyOf(m!);
    expect(Object.keys(body)).toEqual(ENVELOPE_KEYS_SUBJECT);
    expect(body.Subject).toBe("Greetings");
    expect(body.Message).toBe('ö§a1"_!?,. £$-');
    expect(await verifySignature(body)).toBe(true);
  });

  for (const version of ["1", "2"] as const) {
    it(`signs with SignatureVersion ${version}, verifiable with the certificate at SigningCertURL`, async () => {
      const { sns, sqs } = isolatedPair();
      const topicArn = await createTopic(sns, undefined, { SignatureVersion: version });
      const q = await createQueue(sqs);
      await subscribe(sns, topicArn, "sqs", q.arn);
      await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: "test signature value with attributes",
          Subject: "signed subject",
          MessageAttributes: { attr1: { DataType: "Number", StringValue: "1" } },
        }),
      );
      const body = bodyOf((await receiveExactly(sqs, q.url, 1))[0]!);
      expect(body.SignatureVersion).toBe(version);
      expect(await verifySignature(body, version === "1" ? "sha1" : "sha256")).toBe(true);
      // The other hash, or a changed field, does not verify.
      expect(await verifySignature(body, version === "1" ? "sha256" : "sha1")).toBe(false);
      expect(await verifySignature({ ...body, Message: "tampered" })).toBe(false);
      expect(await verifySignature({ ...body, Subject: undefined })).toBe(false);
      const cert = await fetch(body.SigningCertURL as string);
      expect(await cert.text()).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n?$/);
    });
  }
});

describe("SNS to SQS: raw delivery, message structure, groups, tracing", () => {
  it("PublishBatch with RawMessageDelivery: bare bodies, SQS attributes with AWS's MD5s (recorded)", async () => {
    const { sns, sqs } = isolatedPair();
    const topicArn = await createTopic(sns);
    const q = await createQueue(sqs);
    await subscribe(sns, topicArn, "sqs", q.arn, { RawMessageDelivery: "true" });
    const result = await sns.send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: [
          {
            Id: "1",
            Message: "Test Message with two attributes",
            Subject: "Subject",
            MessageAttributes: {
              attr1: { DataType: "Number", StringValue: "99.12" },
              attr2: { DataType: "Number", StringValue: "109.12" },
            },
          },
          {
            Id: "2",
            Message: "Test Message with one attribute",
            Subject: "Subject",
            MessageAttributes: { attr1: { DataType: "Number", StringValue: "19.12" } },
          },
          { Id: "3", Message: "Test Message without attribute", Subject: "Subject" },
          { Id: "4", Message: "Test Message without subject" },
          { Id: "5", Message: JSON.stringify({ default: "test default", sqs: "test sqs" }), MessageStructure: "json" },
        ],
      }),
    );
    expect(result.Failed ?? []).toEqual([]);
    expect(result.Successful!.map((s) => s.Id)).toEqual(["1", "2", "3", "4", "5"]);
    for (const s of result.Successful!) expect(s.MessageId).toMatch(UUID);
    const messages = (await receiveExactly(sqs, q.url, 5)).sort((a, b) => a.Body!.localeCompare(b.Body!));
    expect(messages.map((m) => [m.Body, m.MD5OfMessageAttributes, m.MessageAttributes])).toEqual([
      [
        "Test Message with one attribute",
        "1f07082409022a373fa2a2601f82b3cb",
        { attr1: { DataType: "Number", StringValue: "19.12" } },
      ],
      [
        "Test Message with two attributes",
        "9b720b3af309c1c4b0d395c53b08c502",
        { attr1: { DataType: "Number", StringValue: "99.12" }, attr2: { DataType: "Number", StringValue: "109.12" } },
      ],
      ["Test Message without attribute", undefined, undefined],
      ["Test Message without subject", undefined, undefined],
      ["test sqs", undefined, undefined],
    ]);
    for (const m of messages) expect(m.MD5OfBody).toBe(md5(m.Body!));
  });

  it("raw delivery turns a Binary attribute into a binary SQS attribute", async () => {
    const { sns, sqs } = isolatedPair();
    const topicArn = await createTopic(sns);
    const q = await createQueue(sqs);
    await subscribe(sns, topicArn, "sqs", q.arn, { RawMessageDelivery: "true" });
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: "text",
        MessageAttributes: {
          "an-attribute-key": { DataType: "String", StringValue: "an-attribute-value" },
          "binary-attribute": { DataType: "Binary", BinaryValue: Uint8Array.of(2, 3, 4) },
        },
      }),
    );
    const [m] = await receiveExactly(sqs, q.url, 1);
    expect(m!.Body).toBe("text");
    expect(m!.MessageAttributes!["an-attribute-key"]).toEqual({ DataType: "String", StringValue: "an-attribute-value" });
    expect(m!.MessageAttributes!["binary-attribute"]!.DataType).toBe("Binary");
    expect([...m!.MessageAttributes!["binary-attribute"]!.BinaryValue!]).toEqual([2, 3, 4]);
    expect(m!.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
  });

  it("MessageStructure=json delivers the sqs entry, or default when there is none", async () => {
    const { sns, sqs } = isolatedPair();
    const topicArn = await createTopic(sns);
    const q = await createQueue(sqs);
    await subscribe(sns, topicArn, "sqs", q.arn);
    const structured = (o: object) =>
      new PublishCommand({ TopicArn: topicArn, MessageStructure: "json", Message: JSON.stringify(o) });
    await sns.send(structured({ default: "default field", sqs: JSON.stringify({ field: "value" }), http: "for http" }));
    expect(bodyOf((await receiveExactly(sqs, q.url, 1))[0]!).Message).toBe('{"field":"value"}');
    await sns.send(structured({ default: "default field", email: "for email" }));
    const body = bodyOf((await receiveExactly(sqs, q.url, 1))[0]!);
    expect(body.Message).toBe("default field");
    expect(Object.keys(body)).toEqual(ENVELOPE_KEYS);
  });

  it("passes a MessageGroupId on a standard topic to a standard queue (recorded test_publish_message_group_id)", async () => {
    const { sns, sqs } = isolatedPair();
    const topicArn = await createTopic(sns);
    const q = await createQueue(sqs);
    await subscribe(sns, topicArn, "sqs", q.arn);
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: "test signature value with attributes",
        MessageGroupId: "my-group-id-1",
        MessageAttributes: { attr1: { DataType: "Number", StringValue: "1" } },
      }),
    );
    const [m] = await receiveExactly(sqs, q.url, 1);
    expect(m!.Attributes?.MessageGroupId).toBe("my-group-id-1");
    expect(m!.Attributes?.MessageDeduplicationId).toBeUndefined();
    const body = bodyOf(m!);
    expect(Object.keys(body)).toEqual([...ENVELOPE_KEYS, "MessageAttributes"]);
    expect(body.SequenceNumber).toBeUndefined();
  });

  it("propagates X-Amzn-Trace-Id of the Publish request to AWSTraceHeader", async () => {
    const { sns, sqs } = isolatedPair();
    const trace = "Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1";
    const topicArn = await createTopic(sns);
    const q = await createQueue(sqs);
    await subscribe(sns, topicArn, "sqs", q.arn);
    sns.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers["X-Amzn-Trace-Id"] = trace;
        return next(args);
      },
      { step: "build", name: "xray" },
    );
    await sns.send(new PublishCommand({ TargetArn: topicArn, Message: "X-Ray propagation test msg" }));
    const [m] = await receiveExactly(sqs, q.url, 1);
    expect(m!.Attributes?.AWSTraceHeader).toBe(trace);
    expect(bodyOf(m!).Message).toBe("X-Ray propagation test msg");
  });
});

describe("SNS to SQS: limits and batch errors", () => {
  it("rejects a message over 256 KB and delivers one of exactly 256 KB", async () => {
    const { sns, sqs } = isolatedPair();
    const topicArn = await createTopic(sns);
    const q = await createQueue(sqs);
    await subscribe(sns, topicArn, "sqs", q.arn, { RawMessageDelivery: "true" });
    const tooLong = await awsError(() => sns.send(new PublishCommand({ TopicArn: topicArn, Message: "x".repeat(262_145) })));
    expect(tooLong).toMatchObject({
      name: "InvalidParameterException",
      message: "Invalid parameter: Message too long",
      status: 400,
    });
    const withAttrs = await awsError(() =>
      sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: "x".repeat(262_140),
          MessageAttributes: { attr: { DataType: "String", StringValue: "0123456789" } },
        }),
      ),
    );
    expect(withAttrs.message).toBe("Invalid parameter: Message too long");
    const big = "é".repeat(131_072); // 262,144 bytes of UTF-8
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: big }));
    const [m] = await receiveExactly(sqs, q.url, 1);
    expect(m!.Body).toBe(big);
  });

  it("answers the batch errors AWS answers", async () => {
    const { sns } = isolatedPair();
    const topicArn = await createTopic(sns);
    const batch = (entries: { Id: string; Message: string; MessageStructure?: string }[]) =>
      awsError(() => sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: entries })));
    expect(await batch(Array.from({ length: 11 }, (_, i) => ({ Id: `Id_${i}`, Message: "Too many messages" })))).toMatchObject({
      name: "TooManyEntriesInBatchRequestException",
      message: "The batch request contains more entries than permissible.",
      status: 400,
    });
    expect(
      await batch([
        { Id: "1", Message: "a" },
        { Id: "1", Message: "b" },
      ]),
    ).toMatchObject({
      name: "BatchEntryIdsNotDistinctException",
      message: "Two or more batch entries in the request have the same Id.",
    });
    expect(await batch([{ Id: "message.id", Message: "a" }])).toMatchObject({
      name: "InvalidBatchEntryIdException",
      message: "The Id of a batch entry in the batch request contains an impermissible character: message.id",
    });
    expect(await batch([{ Id: "a".repeat(81), Message: "a" }])).toMatchObject({
      message: `The Id of a batch entry in the batch request is too long: ${"a".repeat(81)}`,
    });
    expect(await batch([{ Id: "1", Message: JSON.stringify({ sqs: "test sqs" }), MessageStructure: "json" }])).toMatchObject({
      name: "InvalidParameterException",
      message: "Invalid parameter: Message Structure - No default entry in JSON message body",
    });
    const tooLong = await batch([
      { Id: "1", Message: "x".repeat(200_000) },
      { Id: "2", Message: "x".repeat(100_000) },
    ]);
    expect(tooLong).toMatchObject({
      name: "BatchRequestTooLongException",
      message: "The length of all the messages put together is more than the limit.",
    });
    const ok = await sns.send(
      new PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: [
          { Id: "a".repeat(80), Message: "a" },
          { Id: "valid-message_123", Message: "b" },
        ],
      }),
    );
    expect(ok.Successful!.map((s) => s.Id)).toEqual(["a".repeat(80), "valid-message_123"]);
    expect(ok.Failed ?? []).toEqual([]);
  });
});
