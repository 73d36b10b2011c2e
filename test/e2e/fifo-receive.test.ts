/**
 * Receiving from FIFO queues end to end, over both SQS protocols: order within a message group,
 * group locking while a message is in flight (and the ChangeMessageVisibility subtleties),
 * ReceiveRequestAttemptId retries, expired FIFO receipt handles, FIFO system attributes; and fair
 * queues (MessageGroupId on a standard queue), which keep standard semantics.
 * Expected behaviour: ../shared/aws-recordings/sqs/test_sqs.snapshot.json, ../shared/reference/sqs.md §3.2, §3.11.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { client, protocols, uniqueName } from "./clients";
import { sleep } from "./helpers";
import { wireError } from "./wire-errors";

describe.each(protocols)("FIFO ReceiveMessage over $name", ({ name: protocol, sdk }) => {
  const sqs = client(sdk);
  const createFifo = async (Attributes: Record<string, string> = {}) =>
    (
      await sqs.send(
        new sdk.CreateQueueCommand({
          QueueName: `${uniqueName(`fr-${protocol}`)}.fifo`,
          Attributes: { FifoQueue: "true", ContentBasedDeduplication: "true", ...Attributes },
        }),
      )
    ).QueueUrl!;
  /** Sends `group-body` pairs in order, e.g. "g1:m1". */
  const sendAll = async (QueueUrl: string, ...items: string[]) => {
    for (const item of items) {
      const [group, body] = item.split(":");
      await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: `${group}-${body}`, MessageGroupId: group }));
    }
  };
  const receive = async (
    QueueUrl: string,
    input: { MaxNumberOfMessages?: number; VisibilityTimeout?: number; ReceiveRequestAttemptId?: string } = {},
  ) =>
    (await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, AttributeNames: ["All"], ...input })))
      .Messages ?? [];
  const bodiesOf = (messages: { Body?: string }[]) => messages.map((m) => m.Body);
  const changeVisibility = (QueueUrl: string, ReceiptHandle: string | undefined, VisibilityTimeout: number) =>
    sqs.send(new sdk.ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout }));
  const remove = (QueueUrl: string, ReceiptHandle: string | undefined) =>
    sqs.send(new sdk.DeleteMessageCommand({ QueueUrl, ReceiptHandle }));

  describe("message groups", () => {
    // test_fifo_receive_message_group_id_ordering (AWS-validated)
    it("returns a group's messages together and in order, then other groups", async () => {
      const url = await createFifo();
      await sendAll(url, "g1:m1", "g2:m1", "g1:m2", "g1:m3");
      expect(bodiesOf(await receive(url))).toEqual(["g1-m1", "g1-m2", "g1-m3", "g2-m1"]);
    });

    // test_fifo_receive_message_visibility_timeout_shared_in_group (AWS-validated)
    it("delivers no later message of a group while one is in flight; other groups keep flowing", async () => {
      const url = await createFifo();
      await sendAll(url, "g1:m1", "g1:m2", "g1:m3", "g2:m1", "g3:m1");
      expect(bodiesOf(await receive(url, { MaxNumberOfMessages: 2 }))).toEqual(["g1-m1", "g1-m2"]);
      expect(bodiesOf(await receive(url, { MaxNumberOfMessages: 1 }))).toEqual(["g2-m1"]);
      expect(bodiesOf(await receive(url))).toEqual(["g3-m1"]);
      expect(await receive(url)).toEqual([]);
    });

    it("returns at most 10 messages of one group, the rest after those are deleted", async () => {
      const url = await createFifo();
      await sendAll(url, ...Array.from({ length: 12 }, (_, i) => `g:m${String(i).padStart(2, "0")}`));
      const first = await receive(url);
      expect(bodiesOf(first)).toEqual(Array.from({ length: 10 }, (_, i) => `g-m${String(i).padStart(2, "0")}`));
      expect(await receive(url)).toEqual([]);
      for (const m of first) await remove(url, m.ReceiptHandle);
      expect(bodiesOf(await receive(url))).toEqual(["g-m10", "g-m11"]);
    });

    // test_fifo_message_group_visibility_after_partial_delete (AWS-validated)
    it("keeps a group locked until every received message of it is deleted", async () => {
      const url = await createFifo();
      await sendAll(url, "g1:m1", "g2:m1", "g1:m2", "g2:m2", "g1:m3", "g3:m1");
      const [m1, m2] = await receive(url, { MaxNumberOfMessages: 2 });
      expect(bodiesOf([m1!, m2!])).toEqual(["g1-m1", "g1-m2"]);
      await remove(url, m1!.ReceiptHandle);
      expect(bodiesOf(await receive(url))).toEqual(["g2-m1", "g2-m2", "g3-m1"]);
      await remove(url, m2!.ReceiptHandle);
      expect(bodiesOf(await receive(url))).toEqual(["g1-m3"]);
    });

    // test_fifo_empty_message_groups_added_back_to_queue (AWS-recorded)
    it("takes a group back after its messages were deleted", async () => {
      const url = await createFifo();
      await sendAll(url, "g:Message 1");
      const [first] = await receive(url);
      expect(first!.Body).toBe("g-Message 1");
      await remove(url, first!.ReceiptHandle);
      expect(await receive(url)).toEqual([]);
      await sendAll(url, "g:Message 2");
      expect(bodiesOf(await receive(url))).toEqual(["g-Message 2"]);
    });

    // test_fifo_messages_in_order_after_timeout (AWS-validated)
    it("makes a group's first message available again after its visibility expires, before the rest", async () => {
      const url = await createFifo();
      await sendAll(url, "g:m1", "g:m2", "g:m3");
      expect(bodiesOf(await receive(url, { MaxNumberOfMessages: 1, VisibilityTimeout: 1 }))).toEqual(["g-m1"]);
      expect(await receive(url)).toEqual([]);
      await sleep(1500);
      const again = await receive(url);
      expect(bodiesOf(again)).toEqual(["g-m1", "g-m2", "g-m3"]);
      expect(again.map((m) => m.Attributes?.ApproximateReceiveCount)).toEqual(["2", "1", "1"]);
    });

    // test_fifo_message_group_visibility_after_terminate_visibility_timeout (AWS-validated): the
    // order between groups is not guaranteed, so it is compared as a set.
    it("returns a message made visible again, but nothing after a still-invisible one", async () => {
      const url = await createFifo();
      await sendAll(url, "g1:m1", "g1:m2", "g2:m1");
      const [m1] = await receive(url, { MaxNumberOfMessages: 2 });
      await changeVisibility(url, m1!.ReceiptHandle, 0);
      expect(bodiesOf(await receive(url, { MaxNumberOfMessages: 3 })).sort()).toEqual(["g1-m1", "g2-m1"]);
    });

    // test_fifo_group_visibility_extends_with_change_message_visibility (AWS-recorded): of three
    // received messages some are made visible again (0) and the others stay in flight; the next receive
    // returns the visible ones before the first still-invisible one, none after it.
    it.each([
      ["none visible", [false, false, false], []],
      ["the first visible", [true, false, false], ["foo"]],
      ["the first two visible", [true, true, false], ["foo", "bar"]],
      ["the middle one invisible", [true, false, true], ["foo"]],
      ["all visible", [true, true, true], ["foo", "bar", "baz"]],
    ])("ChangeMessageVisibility with %s", async (_label, visible, expected) => {
      const url = await createFifo();
      await sendAll(url, "g:foo", "g:bar", "g:baz");
      const received = await receive(url);
      expect(bodiesOf(received)).toEqual(["g-foo", "g-bar", "g-baz"]);
      for (const [i, m] of received.entries()) await changeVisibility(url, m.ReceiptHandle, visible[i] ? 0 : 30);
      expect(bodiesOf(await receive(url))).toEqual(expected.map((b) => `g-${b}`));
    });

    it("blocks the rest of a group behind a message whose visibility was extended", async () => {
      const url = await createFifo();
      await sendAll(url, "g:m1", "g:m2");
      const [m1, m2] = await receive(url, { VisibilityTimeout: 1 });
      await changeVisibility(url, m2!.ReceiptHandle, 30);
      await sleep(1500);
      // m1's visibility ran out; m2 is still in flight, so only m1 is returned.
      const again = await receive(url);
      expect(bodiesOf(again)).toEqual(["g-m1"]);
      expect(again[0]!.MessageId).toBe(m1!.MessageId);
    });
  });

  describe("ReceiveRequestAttemptId", () => {
    it("returns the same messages and receipt handles to a retry; another id gets nothing meanwhile", async () => {
      const url = await createFifo();
      await sendAll(url, "g:m1", "g:m2", "g:m3");
      const first = await receive(url, { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: "attempt-1" });
      expect(bodiesOf(first)).toEqual(["g-m1", "g-m2"]);
      const retry = await receive(url, { MaxNumberOfMessages: 2, ReceiveRequestAttemptId: "attempt-1" });
      expect(retry.map((m) => [m.MessageId, m.ReceiptHandle])).toEqual(first.map((m) => [m.MessageId, m.ReceiptHandle]));
      expect(await receive(url, { ReceiveRequestAttemptId: "attempt-2" })).toEqual([]);
      expect(await receive(url)).toEqual([]);
      // The handles the retry returned work.
      for (const m of retry) await remove(url, m.ReceiptHandle);
      expect(bodiesOf(await receive(url, { ReceiveRequestAttemptId: "attempt-3" }))).toEqual(["g-m3"]);
    });
  });

  describe("receipt handles", () => {
    // test_fifo_delete_after_visibility_timeout (AWS-recorded)
    it("rejects DeleteMessage with a handle whose visibility expired", async () => {
      const url = await createFifo();
      await sendAll(url, "g:foobar");
      const [message] = await receive(url, { VisibilityTimeout: 1 });
      await sleep(1500);
      const err = await wireError(sqs, new sdk.DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message!.ReceiptHandle }));
      expect(err).toMatchObject({
        status: 400,
        code: "InvalidParameterValue",
        message: `Value ${message!.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
        fault: "Sender",
      });
      if (protocol === "json") expect(err.type).toBe("com.amazon.coral.service#InvalidParameterValueException");
      // The message was not deleted.
      expect(bodiesOf(await receive(url))).toEqual(["g-foobar"]);
    });

    // test_fifo_delete_after_visibility_timeout_extended (AWS-recorded)
    it("deletes with a handle whose visibility was extended past the original timeout", async () => {
      const url = await createFifo();
      await sendAll(url, "g:foobar");
      const [message] = await receive(url, { VisibilityTimeout: 1 });
      await changeVisibility(url, message!.ReceiptHandle, 10);
      await sleep(1500);
      await remove(url, message!.ReceiptHandle);
      const attributes = await sqs.send(
        new sdk.GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }),
      );
      expect(attributes.Attributes).toEqual({ ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
    });

    it("rejects an outdated handle after the message was received again", async () => {
      const url = await createFifo();
      await sendAll(url, "g:m");
      const [first] = await receive(url, { VisibilityTimeout: 0 });
      const [second] = await receive(url);
      expect(second!.ReceiptHandle).not.toBe(first!.ReceiptHandle);
      const err = await wireError(sqs, new sdk.DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first!.ReceiptHandle }));
      expect(err).toMatchObject({ status: 400, code: "InvalidParameterValue" });
      await remove(url, second!.ReceiptHandle);
      expect(await receive(url, { VisibilityTimeout: 0 })).toEqual([]);
    });
  });

  describe("system attributes", () => {
    // test_fifo_message_attributes (AWS-recorded)
    it("returns MessageGroupId, MessageDeduplicationId and SequenceNumber with All", async () => {
      const url = await createFifo({
        VisibilityTimeout: "0",
        DeduplicationScope: "messageGroup",
        FifoThroughputLimit: "perMessageGroupId",
      });
      const sent = await sqs.send(
        new sdk.SendMessageCommand({
          QueueUrl: url,
          MessageBody: "message-body-1",
          MessageGroupId: "group-1",
          MessageDeduplicationId: "dedup-1",
        }),
      );
      expect(sent.MD5OfMessageBody).toBe("19c9e282d65f9733bc6b35d50062c7ee");
      expect(sent.SequenceNumber).toMatch(/^\d{20}$/);
      const [first] = await receive(url);
      expect(Object.keys(first!.Attributes!).sort()).toEqual([
        "ApproximateFirstReceiveTimestamp",
        "ApproximateReceiveCount",
        "MessageDeduplicationId",
        "MessageGroupId",
        "SenderId",
        "SentTimestamp",
        "SequenceNumber",
      ]);
      expect(first!.Attributes).toMatchObject({
        ApproximateReceiveCount: "1",
        MessageDeduplicationId: "dedup-1",
        MessageGroupId: "group-1",
        SequenceNumber: sent.SequenceNumber,
      });
      const [second] = await receive(url);
      expect(second!.MessageId).toBe(first!.MessageId);
      expect(second!.ReceiptHandle).not.toBe(first!.ReceiptHandle);
      expect(second!.Attributes).toMatchObject({
        ApproximateReceiveCount: "2",
        ApproximateFirstReceiveTimestamp: first!.Attributes!.ApproximateFirstReceiveTimestamp,
        SequenceNumber: sent.SequenceNumber,
      });
    });

    it("returns only the FIFO attributes asked for; content-based ids are the body's SHA-256", async () => {
      const url = await createFifo({ VisibilityTimeout: "0" });
      await sendAll(url, "grp:body");
      const { Messages } = await sqs.send(
        new sdk.ReceiveMessageCommand({ QueueUrl: url, AttributeNames: ["MessageDeduplicationId", "SequenceNumber"] as never }),
      );
      expect(Object.keys(Messages![0]!.Attributes!).sort()).toEqual(["MessageDeduplicationId", "SequenceNumber"]);
      expect(Messages![0]!.Attributes!.MessageDeduplicationId).toBe(createHash("sha256").update("grp-body").digest("hex"));
      const plain = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl: url }));
      expect(plain.Messages![0]!.Attributes).toBeUndefined();
    });
  });

  describe("fair queues (MessageGroupId on a standard queue)", () => {
    // test_fair_queue_with_message_group_id (AWS-recorded): accepted, returned, no SequenceNumber,
    // and a group is not locked while one of its messages is in flight.
    it("keeps standard semantics", async () => {
      const url = (await sqs.send(new sdk.CreateQueueCommand({ QueueName: uniqueName("fair") }))).QueueUrl!;
      const sent = await sqs.send(new sdk.SendMessageCommand({ QueueUrl: url, MessageBody: "message", MessageGroupId: "test" }));
      expect(sent.SequenceNumber).toBeUndefined();
      await sqs.send(new sdk.SendMessageCommand({ QueueUrl: url, MessageBody: "second", MessageGroupId: "test" }));
      const first = await receive(url, { MaxNumberOfMessages: 1 });
      const second = await receive(url, { MaxNumberOfMessages: 1 });
      expect([...bodiesOf(first), ...bodiesOf(second)].sort()).toEqual(["message", "second"]);
      for (const m of [...first, ...second]) {
        expect(m.Attributes!.MessageGroupId).toBe("test");
        expect(m.Attributes!.SequenceNumber).toBeUndefined();
        expect(m.Attributes!.MessageDeduplicationId).toBeUndefined();
      }
    });
  });
});
