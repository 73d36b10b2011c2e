/**
 * FIFO queues end to end, over both SQS protocols: creation rules (the `.fifo` suffix, FifoQueue only
 * at creation), FIFO attributes and their defaults, the allowed DeduplicationScope / FifoThroughputLimit
 * combinations, and what changing them after creation does (attributes change, deduplication doesn't).
 * Expected texts: ../shared/aws-recordings/sqs/test_sqs.snapshot.json, ../shared/reference/sqs.md §3.11,
 * /work/notes/sqs-error-texts.md.
 */
import { describe, expect, it } from "vitest";
import { client, protocols, uniqueName } from "./clients";
import { wireError } from "./wire-errors";

const FIFO_NAME_TEXT =
  "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.";

describe.each(protocols)("FIFO queues over $name", ({ name: protocol, sdk }) => {
  const sqs = client(sdk);
  const fifoName = () => `${uniqueName(`fq-${protocol}`)}.fifo`;
  const createFifo = async (Attributes: Record<string, string> = {}, QueueName = fifoName()) =>
    (await sqs.send(new sdk.CreateQueueCommand({ QueueName, Attributes: { FifoQueue: "true", ...Attributes } }))).QueueUrl!;
  const attributes = async (QueueUrl: string, names: string[] = ["All"]) =>
    (await sqs.send(new sdk.GetQueueAttributesCommand({ QueueUrl, AttributeNames: names as never }))).Attributes!;
  const setAttributes = (QueueUrl: string, Attributes: Record<string, string>) =>
    sqs.send(new sdk.SetQueueAttributesCommand({ QueueUrl, Attributes }));
  const send = (QueueUrl: string, MessageBody: string, MessageGroupId: string, MessageDeduplicationId: string) =>
    sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody, MessageGroupId, MessageDeduplicationId }));
  /** Bodies of everything receivable now, leaving it in flight. */
  const receiveBodies = async (QueueUrl: string) =>
    ((await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages ?? []).map((m) => m.Body);

  describe("names", () => {
    it("accepts a FIFO name of 80 characters including .fifo", async () => {
      const QueueName = `${uniqueName("f")}_`.padEnd(75, "x") + ".fifo";
      expect(QueueName).toHaveLength(80);
      expect(await createFifo({}, QueueName)).toMatch(new RegExp(`/${QueueName.replace(".", "\\.")}$`));
    });

    it.each([
      ["without the .fifo suffix", () => uniqueName("nosuffix")],
      ["with a space before .fifo", () => `bad name-${uniqueName("x")}.fifo`],
      ["of 81 characters", () => `${"x".repeat(76)}.fifo`],
      ["with a dot before .fifo", () => `a.b-${uniqueName("x")}.fifo`],
    ])("rejects a FIFO queue named %s", async (_label, name) => {
      const err = await wireError(sqs, new sdk.CreateQueueCommand({ QueueName: name(), Attributes: { FifoQueue: "true" } }));
      expect(err).toMatchObject({ status: 400, code: "InvalidParameterValue", message: FIFO_NAME_TEXT, fault: "Sender" });
    });

    it("rejects a .fifo name for a standard queue", async () => {
      const err = await wireError(sqs, new sdk.CreateQueueCommand({ QueueName: fifoName() }));
      expect(err).toMatchObject({
        status: 400,
        code: "InvalidParameterValue",
        message: "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
      });
    });
  });

  describe("attributes", () => {
    // test_fifo_set_content_based_deduplication_strategy (AWS-recorded): the whole attribute set.
    it("returns the FIFO defaults with All, and ContentBasedDeduplication can be changed", async () => {
      const url = await createFifo({ ContentBasedDeduplication: "true" });
      const expected = {
        ApproximateNumberOfMessages: "0",
        ApproximateNumberOfMessagesDelayed: "0",
        ApproximateNumberOfMessagesNotVisible: "0",
        ContentBasedDeduplication: "true",
        DeduplicationScope: "queue",
        DelaySeconds: "0",
        FifoQueue: "true",
        FifoThroughputLimit: "perQueue",
        MaximumMessageSize: "1048576",
        MessageRetentionPeriod: "345600",
        ReceiveMessageWaitTimeSeconds: "0",
        SqsManagedSseEnabled: "true",
        VisibilityTimeout: "30",
      };
      const before = await attributes(url);
      expect(Object.keys(before).sort()).toEqual(
        [...Object.keys(expected), "CreatedTimestamp", "LastModifiedTimestamp", "QueueArn"].sort(),
      );
      expect(before).toMatchObject(expected);
      expect(before.QueueArn).toMatch(/^arn:aws:sqs:us-east-1:\d{12}:.+\.fifo$/);

      await setAttributes(url, { ContentBasedDeduplication: "false" });
      expect(await attributes(url)).toMatchObject({ ...expected, ContentBasedDeduplication: "false" });
    });

    it("defaults ContentBasedDeduplication to false", async () => {
      const url = await createFifo();
      expect(await attributes(url, ["ContentBasedDeduplication", "FifoQueue"])).toEqual({
        ContentBasedDeduplication: "false",
        FifoQueue: "true",
      });
    });

    it.each([
      [{ DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" }],
      // test_sqs_fifo_message_group_scope_no_throughput_setting (AWS-recorded)
      [{ DeduplicationScope: "messageGroup" }],
      [{ DeduplicationScope: "messageGroup", FifoThroughputLimit: "perQueue" }],
      [{ DeduplicationScope: "queue", FifoThroughputLimit: "perQueue" }],
    ])("accepts DeduplicationScope / FifoThroughputLimit %o", async (given: Record<string, string>) => {
      const url = await createFifo(given);
      expect(await attributes(url, ["DeduplicationScope", "FifoThroughputLimit"])).toEqual({
        DeduplicationScope: "queue",
        FifoThroughputLimit: "perQueue",
        ...given,
      });
    });

    it("rejects FifoThroughputLimit perMessageGroupId with DeduplicationScope queue", async () => {
      const err = await wireError(
        sqs,
        new sdk.CreateQueueCommand({
          QueueName: fifoName(),
          Attributes: { FifoQueue: "true", DeduplicationScope: "queue", FifoThroughputLimit: "perMessageGroupId" },
        }),
      );
      // AWS's text for this combination is not recorded; the code is.
      expect(err).toMatchObject({ status: 400, code: "InvalidAttributeValue", fault: "Sender" });
    });

    it.each([
      ["DeduplicationScope", "group"],
      ["FifoThroughputLimit", "perGroup"],
      ["ContentBasedDeduplication", "yes"],
    ])("rejects %s=%s with InvalidAttributeValue", async (attribute, value) => {
      const err = await wireError(
        sqs,
        new sdk.CreateQueueCommand({ QueueName: fifoName(), Attributes: { FifoQueue: "true", [attribute]: value } }),
      );
      expect(err).toMatchObject({
        status: 400,
        code: "InvalidAttributeValue",
        message: `Invalid value for the parameter ${attribute}.`,
      });
    });

    // test_set_unsupported_attribute_fifo (AWS-recorded; setting "true" again is accepted there).
    it("keeps the queue type: SetQueueAttributes FifoQueue=false is rejected, true is a no-op", async () => {
      const url = await createFifo();
      const err = await wireError(sqs, new sdk.SetQueueAttributesCommand({ QueueUrl: url, Attributes: { FifoQueue: "false" } }));
      expect(err).toMatchObject({
        status: 400,
        code: "InvalidAttributeValue",
        message: "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.",
        fault: "Sender",
      });
      if (protocol === "json") expect(err.type).toBe("com.amazonaws.sqs#InvalidAttributeValue");
      await setAttributes(url, { FifoQueue: "true" });
      expect((await attributes(url, ["FifoQueue"])).FifoQueue).toBe("true");

      const standard = (await sqs.send(new sdk.CreateQueueCommand({ QueueName: uniqueName("std") }))).QueueUrl!;
      const onStandard = await wireError(
        sqs,
        new sdk.SetQueueAttributesCommand({ QueueUrl: standard, Attributes: { FifoQueue: "true" } }),
      );
      expect(onStandard).toMatchObject({ status: 400, code: "InvalidAttributeName", message: "Unknown Attribute FifoQueue." });
    });
  });

  describe("CreateQueue on an existing FIFO queue", () => {
    it("is idempotent for the same attributes", async () => {
      const QueueName = fifoName();
      const url = await createFifo({}, QueueName);
      expect(await createFifo({}, QueueName)).toBe(url);
    });

    // test_create_fifo_queue_with_different_attributes_raises_error (AWS-recorded)
    it("names ContentBasedDeduplication when it differs", async () => {
      const QueueName = fifoName();
      await createFifo({ ContentBasedDeduplication: "true" }, QueueName);
      const err = await wireError(
        sqs,
        new sdk.CreateQueueCommand({ QueueName, Attributes: { FifoQueue: "true", ContentBasedDeduplication: "false" } }),
      );
      expect(err).toMatchObject({
        name: "QueueNameExists",
        status: 400,
        code: "QueueAlreadyExists",
        message: "A queue already exists with the same name and a different value for attribute ContentBasedDeduplication",
        fault: "Sender",
      });
    });
  });

  describe("high throughput changed after creation", () => {
    // test_fifo_change_to_high_throughput_after_creation (AWS-recorded): the attributes change, but
    // deduplication keeps the scope the queue was created with.
    it("switching to high throughput changes the attributes, not the deduplication scope", async () => {
      const url = await createFifo();
      await send(url, "Test1", "group-1", "dedup-1");
      await send(url, "Test2", "group-2", "dedup-1");
      expect(await receiveBodies(url)).toEqual(["Test1"]);

      await setAttributes(url, { DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" });
      expect(await attributes(url)).toMatchObject({
        DeduplicationScope: "messageGroup",
        FifoThroughputLimit: "perMessageGroupId",
        FifoQueue: "true",
        ContentBasedDeduplication: "false",
      });
      await send(url, "Test3", "group-3", "dedup-1");
      expect(await receiveBodies(url)).toEqual([]);
      await send(url, "Test4", "group-4", "dedup-2");
      expect(await receiveBodies(url)).toEqual(["Test4"]);
      await send(url, "Test5", "group-5", "dedup-2");
      expect(await receiveBodies(url)).toEqual([]);
    });

    // test_fifo_change_to_regular_throughput_after_creation (AWS-recorded)
    it("switching back to regular throughput keeps deduplicating per message group", async () => {
      const url = await createFifo({ DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" });
      await send(url, "Test1", "group-1", "dedup-1");
      await send(url, "Test2", "group-2", "dedup-1");
      expect(await receiveBodies(url)).toEqual(["Test1", "Test2"]);

      await setAttributes(url, { DeduplicationScope: "queue", FifoThroughputLimit: "perQueue" });
      expect(await attributes(url, ["DeduplicationScope", "FifoThroughputLimit"])).toEqual({
        DeduplicationScope: "queue",
        FifoThroughputLimit: "perQueue",
      });
      await send(url, "Test3", "group-3", "dedup-1");
      expect(await receiveBodies(url)).toEqual(["Test3"]);
    });
  });
});
