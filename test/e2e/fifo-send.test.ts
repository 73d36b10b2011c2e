/**
 * Sending to FIFO queues end to end, over both SQS protocols: MessageGroupId and deduplication ids
 * (required, validated, explicit or content-based), the 5-minute deduplication window (after deletes,
 * cleared by PurgeQueue, per queue or per message group), delays, sequence numbers and batches.
 * Expected texts: ../shared/aws-recordings/sqs/test_sqs.snapshot.json, ../shared/reference/sqs.md §3.3, §3.11.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { client, protocols, uniqueName } from "./clients";
import { wireError } from "./wire-errors";

const NO_DEDUP_ID =
  "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly";
const NO_GROUP_ID = "The request must contain the parameter MessageGroupId.";
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

describe.each(protocols)("FIFO SendMessage over $name", ({ name: protocol, sdk }) => {
  const sqs = client(sdk);
  const createFifo = async (Attributes: Record<string, string> = {}) =>
    (
      await sqs.send(
        new sdk.CreateQueueCommand({
          QueueName: `${uniqueName(`fs-${protocol}`)}.fifo`,
          Attributes: { FifoQueue: "true", ...Attributes },
        }),
      )
    ).QueueUrl!;
  type Input = { MessageGroupId?: string; MessageDeduplicationId?: string; DelaySeconds?: number; MessageAttributes?: never };
  const send = (QueueUrl: string, MessageBody: string, input: Input = {}) =>
    sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody, MessageGroupId: "g", ...input }));
  /** Receives everything receivable now and deletes it, so later groups aren't blocked. */
  const drain = async (QueueUrl: string) => {
    const { Messages = [] } = await sqs.send(
      new sdk.ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, AttributeNames: ["All"] }),
    );
    for (const m of Messages) await sqs.send(new sdk.DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
    return Messages;
  };
  const bodies = async (QueueUrl: string) => (await drain(QueueUrl)).map((m) => m.Body);

  describe("required ids", () => {
    // test_posting_to_fifo_requires_deduplicationid_group_id (AWS-recorded)
    it("requires MessageGroupId (MissingParameter) and a deduplication id (InvalidParameterValue)", async () => {
      const QueueUrl = await createFifo();
      const noGroup = await wireError(
        sqs,
        new sdk.SendMessageCommand({ QueueUrl, MessageBody: "x", MessageDeduplicationId: "d" }),
      );
      expect(noGroup).toMatchObject({ status: 400, code: "MissingParameter", message: NO_GROUP_ID, fault: "Sender" });
      const noDedup = await wireError(sqs, new sdk.SendMessageCommand({ QueueUrl, MessageBody: "x", MessageGroupId: "g" }));
      expect(noDedup).toMatchObject({ status: 400, code: "InvalidParameterValue", message: NO_DEDUP_ID, fault: "Sender" });
      expect(await bodies(QueueUrl)).toEqual([]);
    });

    // test_send_batch_missing_message_group_id_for_fifo_queue / …_deduplication_id_… (AWS-recorded):
    // the whole batch request fails, not just the entry.
    it.each([
      ["MessageGroupId", { MessageDeduplicationId: "d2" }, NO_GROUP_ID],
      ["MessageDeduplicationId", { MessageGroupId: "g" }, NO_DEDUP_ID],
    ])("fails a whole SendMessageBatch with an entry lacking %s", async (_label, second, message) => {
      const QueueUrl = await createFifo();
      const err = await wireError(
        sqs,
        new sdk.SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: "first", MessageBody: "ok", MessageGroupId: "g", MessageDeduplicationId: "d1" },
            { Id: "second", MessageBody: "bad", ...second },
          ],
        }),
      );
      expect(err).toMatchObject({ status: 400, code: "InvalidParameterValue", message, fault: "Sender" });
    });

    // test_message_deduplication_id_invalid (AWS-recorded)
    it.each([
      ["MessageDeduplicationId", ""],
      ["MessageDeduplicationId", "a".repeat(129)],
      ["MessageDeduplicationId", "group 123"],
      ["MessageGroupId", ""],
      ["MessageGroupId", "a".repeat(129)],
      ["MessageGroupId", "grüppe"],
    ])("rejects %s %j", async (parameter, value) => {
      const QueueUrl = await createFifo({ ContentBasedDeduplication: "true" });
      const err = await wireError(
        sqs,
        new sdk.SendMessageCommand({ QueueUrl, MessageBody: "x", MessageGroupId: "g", [parameter]: value }),
      );
      expect(err).toMatchObject({
        status: 400,
        code: "InvalidParameterValue",
        message: `Value ${value} for parameter ${parameter} is invalid. Reason: ${parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
      });
    });

    it("accepts ids of 128 punctuation and alphanumeric characters", async () => {
      const QueueUrl = await createFifo();
      const id = `!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~${"x".repeat(96)}`;
      await send(QueueUrl, "x", { MessageGroupId: id, MessageDeduplicationId: id });
      const [message] = await drain(QueueUrl);
      expect(message!.Attributes).toMatchObject({ MessageGroupId: id, MessageDeduplicationId: id });
    });
  });

  describe("deduplication", () => {
    it("accepts a duplicate with the original MessageId and SequenceNumber but delivers it once", async () => {
      const QueueUrl = await createFifo();
      const first = await send(QueueUrl, "one", { MessageDeduplicationId: "d" });
      const again = await send(QueueUrl, "one, again", { MessageDeduplicationId: "d" });
      expect(again.MessageId).toBe(first.MessageId);
      expect(again.SequenceNumber).toBe(first.SequenceNumber);
      expect(await bodies(QueueUrl)).toEqual(["one"]);
    });

    it("deduplicates content-based on the SHA-256 of the body only", async () => {
      const QueueUrl = await createFifo({ ContentBasedDeduplication: "true" });
      const first = await send(QueueUrl, "body");
      const withAttributes = await send(QueueUrl, "body", {
        MessageAttributes: { k: { DataType: "String", StringValue: "v" } } as never,
      });
      expect(withAttributes.MessageId).toBe(first.MessageId);
      await send(QueueUrl, "other body");
      // An explicit id wins over the content: same body, new id → a new message.
      await send(QueueUrl, "body", { MessageDeduplicationId: "explicit" });
      const received = await drain(QueueUrl);
      expect(received.map((m) => m.Body)).toEqual(["body", "other body", "body"]);
      expect(received.map((m) => m.Attributes?.MessageDeduplicationId)).toEqual([
        sha256("body"),
        sha256("other body"),
        "explicit",
      ]);
    });

    // test_fifo_deduplication_arrives_once_after_delete (AWS-recorded, both variants)
    it.each([true, false])("keeps the window after the message is deleted (content-based %s)", async (contentBased) => {
      const QueueUrl = await createFifo(contentBased ? { ContentBasedDeduplication: "true" } : {});
      const input = contentBased ? {} : { MessageDeduplicationId: "dedup1" };
      await send(QueueUrl, '{"foo": "bar"}', input);
      expect(await bodies(QueueUrl)).toEqual(['{"foo": "bar"}']);
      await send(QueueUrl, '{"foo": "bar"}', input);
      const { Messages } = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
      expect(Messages).toBeUndefined();
    });

    // test_purge_queue_clears_fifo_deduplication_cache (AWS-validated)
    it("is cleared by PurgeQueue", async () => {
      const QueueUrl = await createFifo();
      await send(QueueUrl, "message-1", { MessageDeduplicationId: "d" });
      await sqs.send(new sdk.PurgeQueueCommand({ QueueUrl }));
      await send(QueueUrl, "message-2", { MessageDeduplicationId: "d" });
      expect(await bodies(QueueUrl)).toEqual(["message-2"]);
    });

    // test_fifo_deduplication_not_on_message_group_id (AWS-recorded) and
    // test_sqs_fifo_same_dedup_id_different_message_groups / …_message_group_scope_no_throughput_setting.
    it.each([
      [{}, ["Test"]],
      [{ DeduplicationScope: "messageGroup" }, ["Test", "Test"]],
      [{ DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" }, ["Test", "Test"]],
    ])("with %o, the same id in two groups delivers %j", async (attributes, expected) => {
      const QueueUrl = await createFifo(attributes);
      const a = await send(QueueUrl, "Test", { MessageGroupId: "group-1", MessageDeduplicationId: "same" });
      const b = await send(QueueUrl, "Test", { MessageGroupId: "group-2", MessageDeduplicationId: "same" });
      expect(b.MessageId === a.MessageId).toBe(expected.length === 1);
      // Within one group the id is always a duplicate.
      const c = await send(QueueUrl, "Test", { MessageGroupId: "group-1", MessageDeduplicationId: "same" });
      expect(c.MessageId).toBe(a.MessageId);
      expect(await bodies(QueueUrl)).toEqual(expected);
    });
  });

  describe("delays", () => {
    // test_fifo_queue_send_message_with_delay_seconds_fails (AWS-recorded)
    it("rejects a per-message DelaySeconds other than 0", async () => {
      const QueueUrl = await createFifo({ ContentBasedDeduplication: "true" });
      const err = await wireError(
        sqs,
        new sdk.SendMessageCommand({ QueueUrl, MessageBody: "message-1", MessageGroupId: "1", DelaySeconds: 2 }),
      );
      expect(err).toMatchObject({
        status: 400,
        code: "InvalidParameterValue",
        message:
          "Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.",
      });
    });

    // test_send_message_with_delay_0_works_for_fifo, test_fifo_queue_send_message_with_zero_delay_defaults_to_queue_delay
    it("accepts DelaySeconds 0, which still leaves the queue's delay in force", async () => {
      const QueueUrl = await createFifo({ ContentBasedDeduplication: "true", DelaySeconds: "1" });
      const sent = await send(QueueUrl, "message-1", { DelaySeconds: 0 });
      expect(sent.SequenceNumber).toMatch(/^\d{20}$/);
      expect(await bodies(QueueUrl)).toEqual([]);
      const { Messages } = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 }));
      expect(Messages?.map((m) => m.Body)).toEqual(["message-1"]);
    });

    it("applies a queue DelaySeconds change to messages already waiting", async () => {
      const QueueUrl = await createFifo({ ContentBasedDeduplication: "true", DelaySeconds: "2" });
      await send(QueueUrl, "waiting");
      expect(await bodies(QueueUrl)).toEqual([]);
      await sqs.send(new sdk.SetQueueAttributesCommand({ QueueUrl, Attributes: { DelaySeconds: "0" } }));
      expect(await bodies(QueueUrl)).toEqual(["waiting"]);
    });

    it("applies a raised queue DelaySeconds to messages not yet received", async () => {
      const QueueUrl = await createFifo({ ContentBasedDeduplication: "true" });
      await send(QueueUrl, "first");
      await sqs.send(new sdk.SetQueueAttributesCommand({ QueueUrl, Attributes: { DelaySeconds: "60" } }));
      expect(await bodies(QueueUrl)).toEqual([]);
      await sqs.send(new sdk.SetQueueAttributesCommand({ QueueUrl, Attributes: { DelaySeconds: "0" } }));
      expect(await bodies(QueueUrl)).toEqual(["first"]);
    });
  });

  describe("sequence numbers", () => {
    it("gives every send a 20-digit, strictly increasing SequenceNumber, returned on receive", async () => {
      const QueueUrl = await createFifo({ ContentBasedDeduplication: "true" });
      const sent = [];
      for (const [i, group] of ["a", "b", "a"].entries()) sent.push(await send(QueueUrl, `m${i}`, { MessageGroupId: group }));
      const batch = await sqs.send(
        new sdk.SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: "x", MessageBody: "m3", MessageGroupId: "b" },
            { Id: "y", MessageBody: "m4", MessageGroupId: "c" },
          ],
        }),
      );
      const numbers = [...sent.map((s) => s.SequenceNumber!), ...batch.Successful!.map((s) => s.SequenceNumber!)];
      for (const n of numbers) expect(n).toMatch(/^\d{20}$/);
      for (let i = 1; i < numbers.length; i++) expect(BigInt(numbers[i]!) > BigInt(numbers[i - 1]!)).toBe(true);

      const received = await drain(QueueUrl);
      const byBody = new Map(received.map((m) => [m.Body, m.Attributes?.SequenceNumber]));
      expect(["m0", "m1", "m2", "m3", "m4"].map((b) => byBody.get(b))).toEqual(numbers);
    });

    it("leaves SequenceNumber out on standard queues", async () => {
      const QueueUrl = (await sqs.send(new sdk.CreateQueueCommand({ QueueName: uniqueName("std") }))).QueueUrl!;
      expect((await send(QueueUrl, "x")).SequenceNumber).toBeUndefined();
    });
  });

  describe("SendMessageBatch", () => {
    it("stores entries in order with their own group and deduplication ids", async () => {
      const QueueUrl = await createFifo();
      const result = await sqs.send(
        new sdk.SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: "a1", MessageBody: "a1", MessageGroupId: "a", MessageDeduplicationId: "1" },
            { Id: "b1", MessageBody: "b1", MessageGroupId: "b", MessageDeduplicationId: "2" },
            { Id: "a2", MessageBody: "a2", MessageGroupId: "a", MessageDeduplicationId: "3" },
            // A duplicate of an earlier entry: accepted with that entry's MessageId, not delivered.
            { Id: "dup", MessageBody: "dup", MessageGroupId: "a", MessageDeduplicationId: "1" },
          ],
        }),
      );
      expect(result.Failed ?? []).toEqual([]);
      const ids = new Map(result.Successful!.map((s) => [s.Id, s]));
      expect(ids.get("dup")!.MessageId).toBe(ids.get("a1")!.MessageId);
      expect(ids.get("dup")!.SequenceNumber).toBe(ids.get("a1")!.SequenceNumber);
      const received = await drain(QueueUrl);
      expect(received.map((m) => [m.Body, m.Attributes?.MessageGroupId, m.Attributes?.MessageDeduplicationId])).toEqual([
        ["a1", "a", "1"],
        ["a2", "a", "3"],
        ["b1", "b", "2"],
      ]);
    });

    it("fails a bad entry alone and stores the others", async () => {
      const QueueUrl = await createFifo({ ContentBasedDeduplication: "true", MaximumMessageSize: "1024" });
      const result = await sqs.send(
        new sdk.SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: "ok1", MessageBody: "ok1", MessageGroupId: "g" },
            { Id: "big", MessageBody: "x".repeat(1025), MessageGroupId: "g" },
            { Id: "badid", MessageBody: "bad id", MessageGroupId: "g", MessageDeduplicationId: "has space" },
            { Id: "ok2", MessageBody: "ok2", MessageGroupId: "g" },
          ],
        }),
      );
      expect(result.Successful!.map((s) => s.Id)).toEqual(["ok1", "ok2"]);
      for (const s of result.Successful!) expect(s.SequenceNumber).toMatch(/^\d{20}$/);
      expect(result.Failed).toEqual([
        {
          Id: "big",
          SenderFault: true,
          Code: "InvalidParameterValue",
          Message: "One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.",
        },
        {
          Id: "badid",
          SenderFault: true,
          Code: "InvalidParameterValue",
          Message:
            "Value has space for parameter MessageDeduplicationId is invalid. Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.",
        },
      ]);
      expect(await bodies(QueueUrl)).toEqual(["ok1", "ok2"]);
    });
  });

  it("treats explicit ids, not bodies, as identity: the same body under new ids is new messages", async () => {
    const QueueUrl = await createFifo();
    for (let i = 0; i < 3; i++) await send(QueueUrl, "same body", { MessageDeduplicationId: `d${i}` });
    expect(await bodies(QueueUrl)).toEqual(["same body", "same body", "same body"]);
  });
});
