/**
 * Queue lifecycle over both SQS protocols: CreateQueue (idempotence, name rules, FIFO-only
 * attributes, the 60 s re-create rule), queue URLs and accounts, GetQueueUrl, DeleteQueue.
 * Expected texts: ../shared/aws-recordings/sqs/test_sqs.snapshot.json, ../shared/reference/sqs.md §3,
 * /work/notes/sqs-error-texts.md.
 */
import { describe, expect, it } from "vitest";
import { client, endpoint, protocols, uniqueName } from "./clients";
import { noSuchQueueMessage, wireError } from "./wire-errors";

const DEFAULT_ACCOUNT = "000000000000";

describe.each(protocols)("queue lifecycle over $name", ({ name: protocol, sdk }) => {
  const sqs = client(sdk);
  const create = async (QueueName: string, Attributes?: Record<string, string>, tags?: Record<string, string>) =>
    (await sqs.send(new sdk.CreateQueueCommand({ QueueName, Attributes, tags }))).QueueUrl!;
  const attributes = async (QueueUrl: string, names: string[] = ["All"]) =>
    (await sqs.send(new sdk.GetQueueAttributesCommand({ QueueUrl, AttributeNames: names as never }))).Attributes;

  describe("CreateQueue", () => {
    it("returns <endpoint>/<account>/<name>, the same URL GetQueueUrl returns", async () => {
      const name = uniqueName("url");
      const url = await create(name);
      expect(url).toBe(`${endpoint()}/${DEFAULT_ACCOUNT}/${name}`);
      const { QueueUrl } = await sqs.send(new sdk.GetQueueUrlCommand({ QueueName: name }));
      expect(QueueUrl).toBe(url);
      expect((await attributes(url, ["QueueArn"]))?.QueueArn).toBe(`arn:aws:sqs:us-east-1:${DEFAULT_ACCOUNT}:${name}`);
    });

    it("applies attributes and tags given at creation", async () => {
      const name = uniqueName("with-attrs");
      const policy = {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sqs:SendMessage", Resource: "*" }],
      };
      const url = await create(
        name,
        {
          DelaySeconds: "5",
          MaximumMessageSize: "2048",
          MessageRetentionPeriod: "3600",
          ReceiveMessageWaitTimeSeconds: "2",
          VisibilityTimeout: "60",
          Policy: JSON.stringify(policy),
        },
        { team: "alpha", empty: "" },
      );
      const attrs = await attributes(url);
      expect(attrs).toMatchObject({
        DelaySeconds: "5",
        MaximumMessageSize: "2048",
        MessageRetentionPeriod: "3600",
        ReceiveMessageWaitTimeSeconds: "2",
        VisibilityTimeout: "60",
      });
      expect(JSON.parse(attrs!.Policy!)).toEqual(policy);
      const { Tags } = await sqs.send(new sdk.ListQueueTagsCommand({ QueueUrl: url }));
      expect(Tags).toEqual({ team: "alpha", empty: "" });
    });

    // test_create_queue_with_different_attributes_raises_exception (AWS-validated)
    it("is idempotent for the same attributes and names the first differing attribute otherwise", async () => {
      const name = uniqueName("idem");
      const url = await create(name, { ReceiveMessageWaitTimeSeconds: "1", DelaySeconds: "1" });
      expect(await create(name)).toBe(url);
      expect(await create(name, { DelaySeconds: "1" })).toBe(url);
      const err = await wireError(
        sqs,
        new sdk.CreateQueueCommand({ QueueName: name, Attributes: { ReceiveMessageWaitTimeSeconds: "1", DelaySeconds: "2" } }),
      );
      expect(err).toMatchObject({
        status: 400,
        code: "QueueAlreadyExists",
        message: "A queue already exists with the same name and a different value for attribute DelaySeconds",
        fault: "Sender",
      });
      if (protocol === "json") expect(err.type).toBe("com.amazonaws.sqs#QueueNameExists");

      // The comparison is against the queue's current attributes.
      await sqs.send(new sdk.SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DelaySeconds: "2" } }));
      expect(await create(name, { ReceiveMessageWaitTimeSeconds: "1", DelaySeconds: "2" })).toBe(url);
      const again = await wireError(
        sqs,
        new sdk.CreateQueueCommand({ QueueName: name, Attributes: { ReceiveMessageWaitTimeSeconds: "1", DelaySeconds: "1" } }),
      );
      expect(again).toMatchObject({
        status: 400,
        code: "QueueAlreadyExists",
        message: "A queue already exists with the same name and a different value for attribute DelaySeconds",
      });
    });

    // test_create_queue_with_default_arguments_works_with_modified_attributes (AWS-validated)
    it("compares with attributes modified after a default creation", async () => {
      const name = uniqueName("modified");
      const url = await create(name);
      await sqs.send(
        new sdk.SetQueueAttributesCommand({
          QueueUrl: url,
          Attributes: { VisibilityTimeout: "2", ReceiveMessageWaitTimeSeconds: "2" },
        }),
      );
      const err = await wireError(
        sqs,
        new sdk.CreateQueueCommand({
          QueueName: name,
          Attributes: { VisibilityTimeout: "1", ReceiveMessageWaitTimeSeconds: "1" },
        }),
      );
      expect(err.code).toBe("QueueAlreadyExists");
      expect(err.message).toMatch(
        /^A queue already exists with the same name and a different value for attribute (VisibilityTimeout|ReceiveMessageWaitTimeSeconds)$/,
      );
      expect(await create(name, { VisibilityTimeout: "2", ReceiveMessageWaitTimeSeconds: "2" })).toBe(url);
      expect(await create(name)).toBe(url);
      // Explicit defaults differ from the modified values too.
      expect(
        (await wireError(sqs, new sdk.CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: "30" } }))).message,
      ).toBe("A queue already exists with the same name and a different value for attribute VisibilityTimeout");
    });

    // test_create_queue_after_internal_attributes_changes_works (AWS-validated)
    it("ignores message counters when comparing", async () => {
      const name = uniqueName("counters");
      const url = await create(name);
      await sqs.send(new sdk.SendMessageCommand({ QueueUrl: url, MessageBody: "foobar-1", DelaySeconds: 1 }));
      await sqs.send(new sdk.SendMessageCommand({ QueueUrl: url, MessageBody: "foobar-2" }));
      expect(await create(name)).toBe(url);
    });

    it("accepts names of 1 to 80 alphanumerics, hyphens and underscores", async () => {
      const long = `${uniqueName("n")}_`.padEnd(80, "x");
      expect(long).toHaveLength(80);
      expect(await create(long)).toBe(`${endpoint()}/${DEFAULT_ACCOUNT}/${long}`);
    });

    it.each([
      ["a slash", "bad/name"],
      ["a dot", "in.fo"],
      ["a space", "bad name"],
      ["81 characters", "x".repeat(81)],
      ["a .fifo suffix without FifoQueue", "standard.fifo"],
    ])("rejects a name with %s", async (_, QueueName) => {
      const err = await wireError(sqs, new sdk.CreateQueueCommand({ QueueName }));
      expect(err).toMatchObject({
        status: 400,
        code: "InvalidParameterValue",
        message: "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
      });
      if (protocol === "json") expect(err.type).toBe("com.amazon.coral.service#InvalidParameterValueException");
    });

    it("rejects a FIFO queue whose name lacks the .fifo suffix", async () => {
      const err = await wireError(
        sqs,
        new sdk.CreateQueueCommand({ QueueName: uniqueName("nosuffix"), Attributes: { FifoQueue: "true" } }),
      );
      expect(err).toMatchObject({
        status: 400,
        code: "InvalidParameterValue",
        message:
          "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.",
      });
    });

    // test_create_standard_queue_with_fifo_attribute_raises_error (AWS-validated)
    it.each([
      [{ FifoQueue: "false" }, "Unknown Attribute FifoQueue."],
      [{ ContentBasedDeduplication: "true" }, "Unknown Attribute ContentBasedDeduplication."],
      [{ DeduplicationScope: "queue" }, "You can specify the DeduplicationScope only when FifoQueue is set to true."],
      [{ FifoThroughputLimit: "perQueue" }, "You can specify the FifoThroughputLimit only when FifoQueue is set to true."],
    ])("rejects FIFO-only attribute %o on a standard queue", async (Attributes, message) => {
      const err = await wireError(sqs, new sdk.CreateQueueCommand({ QueueName: uniqueName("std"), Attributes }));
      expect(err).toMatchObject({ status: 400, code: "InvalidAttributeName", message, fault: "Sender" });
      if (protocol === "json") expect(err.type).toBe("com.amazonaws.sqs#InvalidAttributeName");
    });

    it("rejects re-creating a queue within 60 seconds of deleting it", async () => {
      const name = uniqueName("recent");
      const url = await create(name);
      await sqs.send(new sdk.DeleteQueueCommand({ QueueUrl: url }));
      const err = await wireError(sqs, new sdk.CreateQueueCommand({ QueueName: name }));
      expect(err).toMatchObject({
        name: "QueueDeletedRecently",
        status: 400,
        code: "AWS.SimpleQueueService.QueueDeletedRecently",
        message: "You must wait 60 seconds after deleting a queue before you can create another with the same name.",
      });
      if (protocol === "json") expect(err.type).toBe("com.amazonaws.sqs#QueueDeletedRecently");
    });
  });

  describe("accounts", () => {
    const inAccount = (account: string) => client(sdk, { accessKeyId: account });

    it("uses a 12-digit access key id as the account: the same name in two accounts is two queues", async () => {
      const a = inAccount("111111111111");
      const b = inAccount("222222222222");
      const name = uniqueName("multi");
      const urlA = (await a.send(new sdk.CreateQueueCommand({ QueueName: name }))).QueueUrl!;
      const urlB = (await b.send(new sdk.CreateQueueCommand({ QueueName: name, Attributes: { DelaySeconds: "7" } }))).QueueUrl!;
      expect(urlA).toBe(`${endpoint()}/111111111111/${name}`);
      expect(urlB).toBe(`${endpoint()}/222222222222/${name}`);

      await a.send(new sdk.SendMessageCommand({ QueueUrl: urlA, MessageBody: "only in A" }));
      const attrsA = (await a.send(new sdk.GetQueueAttributesCommand({ QueueUrl: urlA, AttributeNames: ["All"] }))).Attributes!;
      const attrsB = (await b.send(new sdk.GetQueueAttributesCommand({ QueueUrl: urlB, AttributeNames: ["All"] }))).Attributes!;
      expect(attrsA).toMatchObject({
        ApproximateNumberOfMessages: "1",
        DelaySeconds: "0",
        QueueArn: `arn:aws:sqs:us-east-1:111111111111:${name}`,
      });
      expect(attrsB).toMatchObject({
        ApproximateNumberOfMessages: "0",
        DelaySeconds: "7",
        QueueArn: `arn:aws:sqs:us-east-1:222222222222:${name}`,
      });

      const listed = await b.send(new sdk.ListQueuesCommand({ QueueNamePrefix: name }));
      expect(listed.QueueUrls).toEqual([urlB]);
    });

    it("finds another account's queue with GetQueueUrl QueueOwnerAWSAccountId", async () => {
      const owner = inAccount("333333333333");
      const name = uniqueName("owned");
      const url = (await owner.send(new sdk.CreateQueueCommand({ QueueName: name }))).QueueUrl!;
      const { QueueUrl } = await sqs.send(
        new sdk.GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: "333333333333" }),
      );
      expect(QueueUrl).toBe(url);
      const err = await wireError(sqs, new sdk.GetQueueUrlCommand({ QueueName: name }));
      expect(err).toMatchObject({
        status: 400,
        code: "AWS.SimpleQueueService.NonExistentQueue",
        message: noSuchQueueMessage(protocol),
      });
    });
  });

  describe("GetQueueUrl", () => {
    it("answers QueueDoesNotExist for an unknown name", async () => {
      const err = await wireError(sqs, new sdk.GetQueueUrlCommand({ QueueName: uniqueName("missing") }));
      expect(err).toMatchObject({
        name: "QueueDoesNotExist",
        status: 400,
        code: "AWS.SimpleQueueService.NonExistentQueue",
        message: noSuchQueueMessage(protocol),
      });
      if (protocol === "json") expect(err.type).toBe("com.amazonaws.sqs#QueueDoesNotExist");
    });
  });

  describe("DeleteQueue", () => {
    it("makes every action on the queue answer QueueDoesNotExist", async () => {
      const name = uniqueName("deleted");
      const QueueUrl = await create(name);
      await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "x" }));
      const { Messages } = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl }));
      const ReceiptHandle = Messages![0]!.ReceiptHandle!;
      await sqs.send(new sdk.DeleteQueueCommand({ QueueUrl }));

      const commands: [string, unknown][] = [
        ["GetQueueUrl", new sdk.GetQueueUrlCommand({ QueueName: name })],
        ["GetQueueAttributes", new sdk.GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] })],
        ["SetQueueAttributes", new sdk.SetQueueAttributesCommand({ QueueUrl, Attributes: { DelaySeconds: "1" } })],
        ["SendMessage", new sdk.SendMessageCommand({ QueueUrl, MessageBody: "x" })],
        ["SendMessageBatch", new sdk.SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: "1", MessageBody: "x" }] })],
        ["ReceiveMessage", new sdk.ReceiveMessageCommand({ QueueUrl })],
        ["DeleteMessage", new sdk.DeleteMessageCommand({ QueueUrl, ReceiptHandle })],
        ["DeleteMessageBatch", new sdk.DeleteMessageBatchCommand({ QueueUrl, Entries: [{ Id: "1", ReceiptHandle }] })],
        ["ChangeMessageVisibility", new sdk.ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 5 })],
        [
          "ChangeMessageVisibilityBatch",
          new sdk.ChangeMessageVisibilityBatchCommand({ QueueUrl, Entries: [{ Id: "1", ReceiptHandle, VisibilityTimeout: 5 }] }),
        ],
        ["PurgeQueue", new sdk.PurgeQueueCommand({ QueueUrl })],
        ["DeleteQueue", new sdk.DeleteQueueCommand({ QueueUrl })],
        ["TagQueue", new sdk.TagQueueCommand({ QueueUrl, Tags: { a: "b" } })],
        ["UntagQueue", new sdk.UntagQueueCommand({ QueueUrl, TagKeys: ["a"] })],
        ["ListQueueTags", new sdk.ListQueueTagsCommand({ QueueUrl })],
        [
          "AddPermission",
          new sdk.AddPermissionCommand({ QueueUrl, Label: "l", AWSAccountIds: ["111111111111"], Actions: ["SendMessage"] }),
        ],
        ["RemovePermission", new sdk.RemovePermissionCommand({ QueueUrl, Label: "l" })],
        ["ListDeadLetterSourceQueues", new sdk.ListDeadLetterSourceQueuesCommand({ QueueUrl })],
      ];
      for (const [action, command] of commands) {
        const err = await wireError(sqs, command);
        expect({ action, ...err }).toMatchObject({
          action,
          status: 400,
          code: "AWS.SimpleQueueService.NonExistentQueue",
          message: noSuchQueueMessage(protocol),
          fault: "Sender",
        });
        if (protocol === "json")
          expect({ action, name: err.name, type: err.type }).toEqual({
            action,
            name: "QueueDoesNotExist",
            type: "com.amazonaws.sqs#QueueDoesNotExist",
          });
      }
      const listed = await sqs.send(new sdk.ListQueuesCommand({ QueueNamePrefix: name }));
      expect(listed.QueueUrls).toBeUndefined();
    });
  });
});
