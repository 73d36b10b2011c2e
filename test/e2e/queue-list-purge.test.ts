/**
 * ListQueues (prefix, paging) and PurgeQueue over both SQS protocols.
 * Expected texts: ../shared/reference/sqs.md §3.1 and §3.14, /work/notes/sqs-error-texts.md §10,
 * recording test_successive_purge_calls_fail.
 */
import { describe, expect, it } from "vitest";
import { client, protocols, uniqueName } from "./clients";
import { wireError } from "./wire-errors";

describe.each(protocols)("ListQueues and PurgeQueue over $name", ({ name: protocol, sdk }) => {
  const sqs = client(sdk);
  const create = async (QueueName: string, Attributes?: Record<string, string>) =>
    (await sqs.send(new sdk.CreateQueueCommand({ QueueName, Attributes }))).QueueUrl!;
  const counts = async (QueueUrl: string) =>
    (
      await sqs.send(
        new sdk.GetQueueAttributesCommand({
          QueueUrl,
          AttributeNames: [
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
          ],
        }),
      )
    ).Attributes;

  describe("ListQueues", () => {
    it("filters by a case-sensitive name prefix", async () => {
      const base = uniqueName("list");
      const a = [await create(`${base}-a-1`), await create(`${base}-a-2`)];
      const b = await create(`${base}-b-1`);
      const upper = await create(`${base}-A-3`);
      const listA = await sqs.send(new sdk.ListQueuesCommand({ QueueNamePrefix: `${base}-a` }));
      expect([...listA.QueueUrls!].sort()).toEqual([...a].sort());
      expect(listA.NextToken).toBeUndefined();
      const all = await sqs.send(new sdk.ListQueuesCommand({ QueueNamePrefix: base }));
      expect([...all.QueueUrls!].sort()).toEqual([...a, b, upper].sort());
      const none = await sqs.send(new sdk.ListQueuesCommand({ QueueNamePrefix: `${base}-zzz` }));
      expect(none.QueueUrls).toBeUndefined();
      const unfiltered = await sqs.send(new sdk.ListQueuesCommand({}));
      expect(unfiltered.QueueUrls).toEqual(expect.arrayContaining([...a, b, upper]));
      expect(unfiltered.NextToken).toBeUndefined();
    });

    it("pages with MaxResults and NextToken", async () => {
      const base = uniqueName("page");
      const urls: string[] = [];
      for (let i = 0; i < 5; i++) urls.push(await create(`${base}-${i}`));

      const seen: string[] = [];
      const pageSizes: number[] = [];
      let NextToken: string | undefined;
      let pages = 0;
      do {
        const page = await sqs.send(new sdk.ListQueuesCommand({ QueueNamePrefix: base, MaxResults: 2, NextToken }));
        pageSizes.push(page.QueueUrls?.length ?? 0);
        seen.push(...(page.QueueUrls ?? []));
        NextToken = page.NextToken;
        expect(++pages).toBeLessThanOrEqual(3);
      } while (NextToken);
      expect(pageSizes).toEqual([2, 2, 1]);
      expect([...seen].sort()).toEqual([...urls].sort());

      // Without MaxResults everything comes back at once, with no NextToken.
      const whole = await sqs.send(new sdk.ListQueuesCommand({ QueueNamePrefix: base }));
      expect(whole.QueueUrls).toHaveLength(5);
      expect(whole.NextToken).toBeUndefined();
    });

    it("rejects a NextToken it did not issue", async () => {
      const err = await wireError(sqs, new sdk.ListQueuesCommand({ MaxResults: 2, NextToken: "not-a-token" }));
      expect(err).toMatchObject({ status: 400, code: "InvalidParameterValue", message: "Invalid NextToken value." });
    });

    it.each([0, 1001])("rejects MaxResults %i", async (MaxResults) => {
      const err = await wireError(sqs, new sdk.ListQueuesCommand({ MaxResults }));
      expect(err).toMatchObject({ status: 400, code: "InvalidParameterValue" });
    });
  });

  describe("PurgeQueue", () => {
    it("removes visible, in-flight and delayed messages", async () => {
      const QueueUrl = await create(uniqueName("purge"));
      await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "visible-1" }));
      await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "visible-2" }));
      await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "delayed", DelaySeconds: 60 }));
      const received = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 60 }));
      expect(received.Messages).toHaveLength(1);
      expect(await counts(QueueUrl)).toEqual({
        ApproximateNumberOfMessages: "1",
        ApproximateNumberOfMessagesNotVisible: "1",
        ApproximateNumberOfMessagesDelayed: "1",
      });

      await sqs.send(new sdk.PurgeQueueCommand({ QueueUrl }));
      expect(await counts(QueueUrl)).toEqual({
        ApproximateNumberOfMessages: "0",
        ApproximateNumberOfMessagesNotVisible: "0",
        ApproximateNumberOfMessagesDelayed: "0",
      });
      const after = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      expect(after.Messages).toBeUndefined();

      // The queue itself is untouched and accepts new messages.
      await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "new" }));
      const fresh = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl }));
      expect(fresh.Messages?.[0]?.Body).toBe("new");
    });

    // test_successive_purge_calls_fail (AWS-validated)
    it("allows one purge every 60 seconds", async () => {
      const name = uniqueName("purge-twice");
      const QueueUrl = await create(name);
      await sqs.send(new sdk.PurgeQueueCommand({ QueueUrl }));
      const err = await wireError(sqs, new sdk.PurgeQueueCommand({ QueueUrl }));
      expect(err).toMatchObject({
        name: "PurgeQueueInProgress",
        status: 403,
        code: "AWS.SimpleQueueService.PurgeQueueInProgress",
        message: `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`,
        fault: "Sender",
      });
      if (protocol === "json") expect(err.type).toBe("com.amazonaws.sqs#PurgeQueueInProgress");
    });
  });
});
