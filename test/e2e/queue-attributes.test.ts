/**
 * GetQueueAttributes and SetQueueAttributes over both SQS protocols: defaults, counters, range
 * checks, SSE rules and policies. (RedrivePolicy / RedriveAllowPolicy: redrive-attributes.test.ts.)
 * Expected values: recording test_set_queue_attributes_default_values, ../shared/reference/sqs.md §3.9,
 * /work/notes/sqs-error-texts.md §4–5.
 */
import { describe, expect, it } from "vitest";
import { client, protocols, uniqueName } from "./clients";
import { sleep } from "./helpers";
import { wireError } from "./wire-errors";

/** GetQueueAttributes All on a new standard queue (AWS-validated, 2025-12-10), timestamps aside. */
const INITIAL = {
  ApproximateNumberOfMessages: "0",
  ApproximateNumberOfMessagesDelayed: "0",
  ApproximateNumberOfMessagesNotVisible: "0",
  DelaySeconds: "0",
  MaximumMessageSize: "1048576",
  MessageRetentionPeriod: "345600",
  ReceiveMessageWaitTimeSeconds: "0",
  SqsManagedSseEnabled: "true",
  VisibilityTimeout: "30",
};

describe.each(protocols)("queue attributes over $name", ({ name: protocol, sdk }) => {
  const sqs = client(sdk);
  const create = async (QueueName = uniqueName("attrs"), Attributes?: Record<string, string>) =>
    (await sqs.send(new sdk.CreateQueueCommand({ QueueName, Attributes }))).QueueUrl!;
  const get = async (QueueUrl: string, names?: string[]) =>
    (await sqs.send(new sdk.GetQueueAttributesCommand({ QueueUrl, AttributeNames: names as never }))).Attributes as
      Record<string, string> | undefined;
  const set = (QueueUrl: string, Attributes: Record<string, string>) =>
    sqs.send(new sdk.SetQueueAttributesCommand({ QueueUrl, Attributes }));

  describe("GetQueueAttributes", () => {
    it("returns no attributes when none are named", async () => {
      const url = await create();
      expect(await get(url)).toBeUndefined();
      expect(await get(url, [])).toBeUndefined();
    });

    // test_set_queue_attributes_default_values: get-queue-attributes-initial-values
    it("returns AWS's defaults for All, timestamps in seconds", async () => {
      const name = uniqueName("defaults");
      const before = Math.floor(Date.now() / 1000);
      const url = await create(name);
      const attrs = (await get(url, ["All"]))!;
      const { CreatedTimestamp, LastModifiedTimestamp, QueueArn, ...rest } = attrs;
      expect(rest).toEqual(INITIAL);
      expect(QueueArn).toBe(`arn:aws:sqs:us-east-1:000000000000:${name}`);
      for (const stamp of [CreatedTimestamp, LastModifiedTimestamp]) {
        expect(stamp).toMatch(/^\d{10}$/);
        expect(Number(stamp)).toBeGreaterThanOrEqual(before - 5);
        expect(Number(stamp)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 5);
      }
      expect(LastModifiedTimestamp).toBe(CreatedTimestamp);
    });

    it("returns only the attributes named", async () => {
      const url = await create();
      expect(await get(url, ["VisibilityTimeout"])).toEqual({ VisibilityTimeout: "30" });
      const three = (await get(url, ["QueueArn", "CreatedTimestamp", "VisibilityTimeout"]))!;
      expect(Object.keys(three).sort()).toEqual(["CreatedTimestamp", "QueueArn", "VisibilityTimeout"]);
      // Attributes the queue doesn't have (no policy, no KMS) are simply absent.
      expect(await get(url, ["Policy", "RedrivePolicy", "KmsMasterKeyId", "DelaySeconds"])).toEqual({ DelaySeconds: "0" });
    });

    it("counts visible, in-flight and delayed messages", async () => {
      const url = await create();
      for (const body of ["a", "b", "c"]) await sqs.send(new sdk.SendMessageCommand({ QueueUrl: url, MessageBody: body }));
      await sqs.send(new sdk.SendMessageCommand({ QueueUrl: url, MessageBody: "later", DelaySeconds: 60 }));
      await sqs.send(
        new sdk.SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: "1", MessageBody: "later-too", DelaySeconds: 120 }] }),
      );
      const received = await sqs.send(
        new sdk.ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 2, VisibilityTimeout: 60 }),
      );
      expect(received.Messages).toHaveLength(2);
      expect(
        await get(url, [
          "ApproximateNumberOfMessages",
          "ApproximateNumberOfMessagesNotVisible",
          "ApproximateNumberOfMessagesDelayed",
        ]),
      ).toEqual({
        ApproximateNumberOfMessages: "1",
        ApproximateNumberOfMessagesNotVisible: "2",
        ApproximateNumberOfMessagesDelayed: "2",
      });

      // Deleting an in-flight message and releasing the other one moves the counts.
      const [first, second] = received.Messages!;
      await sqs.send(new sdk.DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first!.ReceiptHandle }));
      await sqs.send(
        new sdk.ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: second!.ReceiptHandle, VisibilityTimeout: 0 }),
      );
      expect(await get(url, ["All"])).toMatchObject({
        ApproximateNumberOfMessages: "2",
        ApproximateNumberOfMessagesNotVisible: "0",
        ApproximateNumberOfMessagesDelayed: "2",
      });
    });

    it("rejects an unknown attribute name", async () => {
      const url = await create();
      const err = await wireError(sqs, new sdk.GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["Foobar" as never] }));
      expect(err).toMatchObject({
        status: 400,
        code: "InvalidAttributeName",
        message: "Unknown Attribute Foobar.",
        fault: "Sender",
      });
      if (protocol === "json") expect(err.type).toBe("com.amazonaws.sqs#InvalidAttributeName");
    });
  });

  describe("SetQueueAttributes", () => {
    it("sets every writable standard-queue attribute, at the edges of its range", async () => {
      const url = await create();
      const low = {
        DelaySeconds: "0",
        MaximumMessageSize: "1024",
        MessageRetentionPeriod: "60",
        ReceiveMessageWaitTimeSeconds: "0",
        VisibilityTimeout: "0",
      };
      await set(url, low);
      expect(await get(url, ["All"])).toMatchObject(low);
      const high = {
        DelaySeconds: "900",
        MaximumMessageSize: "1048576",
        MessageRetentionPeriod: "1209600",
        ReceiveMessageWaitTimeSeconds: "20",
        VisibilityTimeout: "43200",
      };
      await set(url, high);
      expect(await get(url, ["All"])).toMatchObject(high);
      await set(url, { KmsMasterKeyId: "alias/aws/sqs", KmsDataKeyReusePeriodSeconds: "60", SqsManagedSseEnabled: "false" });
      expect(await get(url, ["KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled"])).toEqual({
        KmsMasterKeyId: "alias/aws/sqs",
        KmsDataKeyReusePeriodSeconds: "60",
        SqsManagedSseEnabled: "false",
      });
      await set(url, { KmsDataKeyReusePeriodSeconds: "86400" });
      expect((await get(url, ["KmsDataKeyReusePeriodSeconds"]))?.KmsDataKeyReusePeriodSeconds).toBe("86400");
    });

    it("changes how the queue treats new messages", async () => {
      const url = await create();
      await set(url, { DelaySeconds: "60", MaximumMessageSize: "1024" });
      await sqs.send(new sdk.SendMessageCommand({ QueueUrl: url, MessageBody: "a".repeat(1024) }));
      expect(await get(url, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed"])).toEqual({
        ApproximateNumberOfMessages: "0",
        ApproximateNumberOfMessagesDelayed: "1",
      });
      const err = await wireError(sqs, new sdk.SendMessageCommand({ QueueUrl: url, MessageBody: "a".repeat(1025) }));
      expect(err).toMatchObject({
        status: 400,
        code: "InvalidParameterValue",
        message: "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.",
      });
      await set(url, { DelaySeconds: "0", VisibilityTimeout: "0" });
      await sqs.send(new sdk.SendMessageCommand({ QueueUrl: url, MessageBody: "now" }));
      // VisibilityTimeout 0: a received message is visible again at once.
      expect((await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl: url }))).Messages?.[0]?.Body).toBe("now");
      expect((await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl: url }))).Messages?.[0]?.Body).toBe("now");
    });

    it.each([
      ["DelaySeconds", "-1"],
      ["DelaySeconds", "901"],
      ["MaximumMessageSize", "1023"],
      ["MaximumMessageSize", "1048577"],
      ["MessageRetentionPeriod", "59"],
      ["MessageRetentionPeriod", "1209601"],
      ["ReceiveMessageWaitTimeSeconds", "-1"],
      ["ReceiveMessageWaitTimeSeconds", "21"],
      ["VisibilityTimeout", "-1"],
      ["VisibilityTimeout", "43201"],
      ["KmsDataKeyReusePeriodSeconds", "59"],
      ["KmsDataKeyReusePeriodSeconds", "86401"],
      ["VisibilityTimeout", "abc"],
      ["DelaySeconds", "1.5"],
      ["SqsManagedSseEnabled", "yes"],
    ])("rejects %s=%s", async (attribute, value) => {
      const url = await create();
      const err = await wireError(sqs, new sdk.SetQueueAttributesCommand({ QueueUrl: url, Attributes: { [attribute]: value } }));
      expect(err).toMatchObject({
        status: 400,
        code: "InvalidAttributeValue",
        message: `Invalid value for the parameter ${attribute}.`,
      });
      if (protocol === "json") expect(err.type).toBe("com.amazonaws.sqs#InvalidAttributeValue");
      // Nothing was changed.
      expect((await get(url, ["All"]))?.[attribute]).toBe(
        attribute === "KmsDataKeyReusePeriodSeconds" ? undefined : (INITIAL as Record<string, string>)[attribute],
      );
    });

    it("changes nothing when one attribute of several is invalid", async () => {
      const url = await create();
      const err = await wireError(
        sqs,
        new sdk.SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: "10", DelaySeconds: "901" } }),
      );
      expect(err).toMatchObject({
        status: 400,
        code: "InvalidAttributeValue",
        message: "Invalid value for the parameter DelaySeconds.",
      });
      expect(await get(url, ["VisibilityTimeout", "DelaySeconds"])).toEqual({ VisibilityTimeout: "30", DelaySeconds: "0" });
    });

    it("applies the same range checks in CreateQueue", async () => {
      const err = await wireError(
        sqs,
        new sdk.CreateQueueCommand({ QueueName: uniqueName("bad"), Attributes: { DelaySeconds: "901" } }),
      );
      expect(err).toMatchObject({
        status: 400,
        code: "InvalidAttributeValue",
        message: "Invalid value for the parameter DelaySeconds.",
      });
    });

    it("updates LastModifiedTimestamp but not CreatedTimestamp", async () => {
      const url = await create();
      const before = (await get(url, ["CreatedTimestamp", "LastModifiedTimestamp"]))!;
      await sleep(1100);
      await set(url, { VisibilityTimeout: "45" });
      const after = (await get(url, ["CreatedTimestamp", "LastModifiedTimestamp"]))!;
      expect(after.CreatedTimestamp).toBe(before.CreatedTimestamp);
      expect(Number(after.LastModifiedTimestamp)).toBeGreaterThan(Number(before.LastModifiedTimestamp));
    });

    // test_set_queue_attributes_default_values (AWS-validated)
    it("switches to KMS SSE and back to defaults as AWS does", async () => {
      const url = await create();
      const stamps = ["CreatedTimestamp", "LastModifiedTimestamp", "QueueArn"];
      const all = async () => Object.fromEntries(Object.entries((await get(url, ["All"]))!).filter(([k]) => !stamps.includes(k)));
      expect(await all()).toEqual(INITIAL);

      await set(url, { KmsMasterKeyId: "testKeyId", KmsDataKeyReusePeriodSeconds: "6000", SqsManagedSseEnabled: "false" });
      expect(await all()).toEqual({
        ...INITIAL,
        KmsDataKeyReusePeriodSeconds: "6000",
        KmsMasterKeyId: "testKeyId",
        SqsManagedSseEnabled: "false",
      });

      await set(url, { KmsMasterKeyId: "", KmsDataKeyReusePeriodSeconds: "300", SqsManagedSseEnabled: "false" });
      expect(await all()).toEqual({ ...INITIAL, SqsManagedSseEnabled: "false" });
    });

    it("refuses KMS SSE and SQS SSE together", async () => {
      const url = await create();
      const message =
        "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.";
      const err = await wireError(
        sqs,
        new sdk.SetQueueAttributesCommand({
          QueueUrl: url,
          Attributes: { KmsMasterKeyId: "testKeyId", SqsManagedSseEnabled: "true" },
        }),
      );
      expect(err).toMatchObject({ status: 400, code: "InvalidAttributeName", message });
      const atCreate = await wireError(
        sqs,
        new sdk.CreateQueueCommand({
          QueueName: uniqueName("sse"),
          Attributes: { KmsMasterKeyId: "testKeyId", SqsManagedSseEnabled: "true" },
        }),
      );
      expect(atCreate).toMatchObject({ status: 400, code: "InvalidAttributeName", message });
    });

    it("stores a Policy, returns it, and removes it when set to an empty string", async () => {
      const url = await create();
      const policy = {
        Version: "2012-10-17",
        Id: "my-policy",
        Statement: [
          {
            Sid: "allow-topic",
            Effect: "Allow",
            Principal: { Service: "sns.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: "arn:aws:sqs:us-east-1:000000000000:x",
            Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:us-east-1:000000000000:topic" } },
          },
        ],
      };
      await set(url, { Policy: JSON.stringify(policy) });
      const stored = (await get(url, ["Policy"]))?.Policy;
      expect(JSON.parse(stored!)).toEqual(policy);
      await set(url, { Policy: "" });
      expect(await get(url, ["Policy"])).toBeUndefined();
    });

    it("rejects a Policy that is not a JSON document", async () => {
      const url = await create();
      const err = await wireError(sqs, new sdk.SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: "{not json" } }));
      expect(err).toMatchObject({
        status: 400,
        code: "InvalidAttributeValue",
        message: "Invalid value for the parameter Policy.",
      });
    });

    it("rejects FifoQueue and other FIFO-only attributes on a standard queue", async () => {
      const url = await create();
      for (const [Attributes, message] of [
        [{ FifoQueue: "true" }, "Unknown Attribute FifoQueue."],
        [{ FifoQueue: "false" }, "Unknown Attribute FifoQueue."],
        [{ ContentBasedDeduplication: "false" }, "Unknown Attribute ContentBasedDeduplication."],
      ] as const) {
        const err = await wireError(sqs, new sdk.SetQueueAttributesCommand({ QueueUrl: url, Attributes }));
        expect(err).toMatchObject({ status: 400, code: "InvalidAttributeName", message });
      }
    });

    it("rejects unknown and read-only attribute names", async () => {
      const url = await create();
      const unknown = await wireError(
        sqs,
        new sdk.SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Foobar: "1" } as Record<string, string> }),
      );
      expect(unknown).toMatchObject({ status: 400, code: "InvalidAttributeName", message: "Unknown Attribute Foobar." });
      // AWS's text for read-only names isn't recorded; the code is InvalidAttributeName either way.
      for (const name of ["QueueArn", "ApproximateNumberOfMessages", "CreatedTimestamp"]) {
        const err = await wireError(sqs, new sdk.SetQueueAttributesCommand({ QueueUrl: url, Attributes: { [name]: "1" } }));
        expect(err).toMatchObject({ status: 400, code: "InvalidAttributeName" });
      }
    });
  });
});
