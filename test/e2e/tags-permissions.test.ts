/**
 * TagQueue / UntagQueue / ListQueueTags and AddPermission / RemovePermission over both SQS protocols.
 * Expected values: recordings test_tag_untag_queue and test_sqs_permission_lifecycle,
 * ../shared/reference/sqs.md §3.15, /work/notes/sqs-error-texts.md §11–12.
 */
import { describe, expect, it } from "vitest";
import { client, protocols, uniqueName } from "./clients";
import { wireError } from "./wire-errors";

const ACCOUNT = "000000000000";
const OTHER_ACCOUNT = "668614515564";

describe.each(protocols)("tags and permissions over $name", ({ name: protocol, sdk }) => {
  const sqs = client(sdk);
  const create = async (QueueName = uniqueName("tp")) => (await sqs.send(new sdk.CreateQueueCommand({ QueueName }))).QueueUrl!;
  const tags = async (QueueUrl: string) => (await sqs.send(new sdk.ListQueueTagsCommand({ QueueUrl }))).Tags;

  describe("tags", () => {
    // test_tag_untag_queue (AWS-validated)
    it("tags, lists and untags as recorded on AWS", async () => {
      const QueueUrl = await create();
      expect(await tags(QueueUrl)).toBeUndefined();
      await sqs.send(new sdk.TagQueueCommand({ QueueUrl, Tags: { tag1: "value1", tag2: "value2", tag3: "" } }));
      expect(await tags(QueueUrl)).toEqual({ tag1: "value1", tag2: "value2", tag3: "" });
      await sqs.send(new sdk.UntagQueueCommand({ QueueUrl, TagKeys: ["tag1", "tag3"] }));
      expect(await tags(QueueUrl)).toEqual({ tag2: "value2" });
      await sqs.send(new sdk.UntagQueueCommand({ QueueUrl, TagKeys: ["tag2"] }));
      expect(await tags(QueueUrl)).toBeUndefined();
    });

    it("overwrites values, keeps keys case-sensitive, and ignores untagging a missing key", async () => {
      const QueueUrl = await create();
      await sqs.send(new sdk.TagQueueCommand({ QueueUrl, Tags: { env: "dev", Env: "Dev" } }));
      await sqs.send(new sdk.TagQueueCommand({ QueueUrl, Tags: { env: "prod" } }));
      expect(await tags(QueueUrl)).toEqual({ env: "prod", Env: "Dev" });
      // test_untag_queue_ignores_non_existing_tag (AWS-validated)
      await sqs.send(new sdk.UntagQueueCommand({ QueueUrl, TagKeys: ["missing"] }));
      expect(await tags(QueueUrl)).toEqual({ env: "prod", Env: "Dev" });
    });

    it("accepts keys of 128 and values of 256 characters", async () => {
      const QueueUrl = await create();
      const key = "k".repeat(128);
      await sqs.send(new sdk.TagQueueCommand({ QueueUrl, Tags: { [key]: "v".repeat(256) } }));
      expect((await tags(QueueUrl))?.[key]).toHaveLength(256);
    });

    it.each([
      ["empty", ""],
      ["129-character", "k".repeat(129)],
    ])("rejects an %s tag key", async (_, key) => {
      const QueueUrl = await create();
      const err = await wireError(sqs, new sdk.TagQueueCommand({ QueueUrl, Tags: { [key]: "v" } }));
      expect(err).toMatchObject({
        status: 400,
        code: "InvalidParameterValue",
        message: "Tag keys must be between 1 and 128 characters in length.",
      });
      if (protocol === "json") expect(err.type).toBe("com.amazon.coral.service#InvalidParameterValueException");
      expect(await tags(QueueUrl)).toBeUndefined();
    });

    it("refuses more than 50 tags on a queue", async () => {
      const name = uniqueName("many-tags");
      const QueueUrl = await create(name);
      const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`key-${i}`, `${i}`]));
      await sqs.send(new sdk.TagQueueCommand({ QueueUrl, Tags: fifty }));
      expect(Object.keys((await tags(QueueUrl))!)).toHaveLength(50);
      // Overwriting an existing key doesn't add one.
      await sqs.send(new sdk.TagQueueCommand({ QueueUrl, Tags: { "key-0": "again" } }));
      const err = await wireError(sqs, new sdk.TagQueueCommand({ QueueUrl, Tags: { "key-50": "one too many" } }));
      expect(err).toMatchObject({
        status: 400,
        code: "InvalidParameterValue",
        message: `Too many tags added for queue ${name}.`,
      });
      expect(Object.keys((await tags(QueueUrl))!)).toHaveLength(50);
    });
  });

  describe("permissions", () => {
    const policyOf = async (QueueUrl: string) =>
      (await sqs.send(new sdk.GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["Policy"] }))).Attributes?.Policy;
    const addPermission = (QueueUrl: string, Label: string, AWSAccountIds: string[], Actions = ["ReceiveMessage"]) =>
      sqs.send(new sdk.AddPermissionCommand({ QueueUrl, Label, AWSAccountIds, Actions }));
    const statement = (arn: string, Sid: string, principal: string | string[]) => ({
      Sid,
      Effect: "Allow",
      Principal: { AWS: principal },
      Action: "SQS:ReceiveMessage",
      Resource: arn,
    });
    /** The policy document AddPermission writes, with AWS's key order. */
    const expectPolicy = (raw: string | undefined, arn: string, statements: object[]) => {
      const parsed = JSON.parse(raw!) as { Statement: object[] };
      expect(parsed).toEqual({ Version: "2008-10-17", Id: `${arn}/SQSDefaultPolicy`, Statement: statements });
      expect(Object.keys(parsed)).toEqual(["Version", "Id", "Statement"]);
      for (const s of parsed.Statement) expect(Object.keys(s)).toEqual(["Sid", "Effect", "Principal", "Action", "Resource"]);
    };

    // test_sqs_permission_lifecycle (AWS-validated)
    it("writes, extends and removes the Policy document as recorded on AWS", async () => {
      const name = uniqueName("perm");
      const QueueUrl = await create(name);
      const arn = `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;
      const root = (account: string) => `arn:aws:iam::${account}:root`;

      await addPermission(QueueUrl, "crossaccountpermission", [OTHER_ACCOUNT, ACCOUNT]);
      expectPolicy(await policyOf(QueueUrl), arn, [
        statement(arn, "crossaccountpermission", [root(OTHER_ACCOUNT), root(ACCOUNT)]),
      ]);

      await sqs.send(new sdk.RemovePermissionCommand({ QueueUrl, Label: "crossaccountpermission" }));
      expect(await policyOf(QueueUrl)).toBeUndefined();

      await addPermission(QueueUrl, "crossaccountpermission", [ACCOUNT]);
      expectPolicy(await policyOf(QueueUrl), arn, [statement(arn, "crossaccountpermission", root(ACCOUNT))]);

      const duplicate = await wireError(
        sqs,
        new sdk.AddPermissionCommand({
          QueueUrl,
          Label: "crossaccountpermission",
          AWSAccountIds: [OTHER_ACCOUNT],
          Actions: ["ReceiveMessage"],
        }),
      );
      expect(duplicate).toMatchObject({
        status: 400,
        code: "InvalidParameterValue",
        message: "Value crossaccountpermission for parameter Label is invalid. Reason: Already exists.",
        fault: "Sender",
      });
      if (protocol === "json") expect(duplicate.type).toBe("com.amazon.coral.service#InvalidParameterValueException");

      await addPermission(QueueUrl, "crossaccountpermission2", [ACCOUNT]);
      expectPolicy(await policyOf(QueueUrl), arn, [
        statement(arn, "crossaccountpermission", root(ACCOUNT)),
        statement(arn, "crossaccountpermission2", root(ACCOUNT)),
      ]);

      await sqs.send(new sdk.RemovePermissionCommand({ QueueUrl, Label: "crossaccountpermission" }));
      expectPolicy(await policyOf(QueueUrl), arn, [statement(arn, "crossaccountpermission2", root(ACCOUNT))]);

      await sqs.send(new sdk.RemovePermissionCommand({ QueueUrl, Label: "crossaccountpermission2" }));
      expect(await policyOf(QueueUrl)).toBeUndefined();

      const missing = await wireError(sqs, new sdk.RemovePermissionCommand({ QueueUrl, Label: "crossaccountpermission2" }));
      expect(missing).toMatchObject({
        status: 400,
        code: "InvalidParameterValue",
        message: "Value crossaccountpermission2 for parameter Label is invalid. Reason: can't find label.",
      });
    });

    it("writes one SQS:<action> per granted action, as a list when there are several", async () => {
      const name = uniqueName("perm-actions");
      const QueueUrl = await create(name);
      await addPermission(QueueUrl, "send-and-delete", [OTHER_ACCOUNT], ["SendMessage", "DeleteMessage"]);
      const policy = JSON.parse((await policyOf(QueueUrl))!) as { Statement: { Action: unknown; Principal: unknown }[] };
      expect(policy.Statement[0]!.Action).toEqual(["SQS:SendMessage", "SQS:DeleteMessage"]);
      expect(policy.Statement[0]!.Principal).toEqual({ AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` });
    });

    it("rejects removing a label from a queue without a policy", async () => {
      const QueueUrl = await create();
      const err = await wireError(sqs, new sdk.RemovePermissionCommand({ QueueUrl, Label: "nothing" }));
      expect(err).toMatchObject({
        status: 400,
        code: "InvalidParameterValue",
        message: "Value nothing for parameter Label is invalid. Reason: can't find label.",
      });
    });
  });
});
