/**
 * RedrivePolicy and RedriveAllowPolicy as queue attributes (validation, storage, enforcement of the
 * dead-letter queue's allow policy) over both SQS protocols. Moving messages is tested elsewhere.
 * Expected texts: /work/notes/sqs-error-texts.md §6–7, ../shared/reference/sqs.md §3.10.
 */
import { describe, expect, it } from "vitest";
import { client, protocols, uniqueName } from "./clients";
import { wireError } from "./wire-errors";

describe.each(protocols)("redrive attributes over $name", ({ name: protocol, sdk }) => {
  const sqs = client(sdk);
  const create = async (QueueName = uniqueName("rd"), Attributes?: Record<string, string>) =>
    (await sqs.send(new sdk.CreateQueueCommand({ QueueName, Attributes }))).QueueUrl!;
  const arnOf = async (QueueUrl: string) =>
    (await sqs.send(new sdk.GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
  const get = async (QueueUrl: string, name: string) =>
    (
      (await sqs.send(new sdk.GetQueueAttributesCommand({ QueueUrl, AttributeNames: [name as never] }))).Attributes as
        Record<string, string> | undefined
    )?.[name];
  const setError = (QueueUrl: string, Attributes: Record<string, string>) =>
    wireError(sqs, new sdk.SetQueueAttributesCommand({ QueueUrl, Attributes }));
  const redriveInvalid = (raw: string, reason: string) => ({
    status: 400,
    code: "InvalidParameterValue",
    message: `Value ${raw} for parameter RedrivePolicy is invalid. Reason: ${reason}`,
  });

  describe("RedrivePolicy", () => {
    it("is stored and returned, at creation and by SetQueueAttributes, and removed by an empty string", async () => {
      const dlqArn = await arnOf(await create(uniqueName("dlq")));
      const policy = { deadLetterTargetArn: dlqArn, maxReceiveCount: 3 };
      const source = await create(uniqueName("src"), { RedrivePolicy: JSON.stringify(policy) });
      expect(JSON.parse((await get(source, "RedrivePolicy"))!)).toEqual(policy);

      const other = await create();
      await sqs.send(
        new sdk.SetQueueAttributesCommand({
          QueueUrl: other,
          Attributes: { RedrivePolicy: JSON.stringify({ ...policy, maxReceiveCount: 1000 }) },
        }),
      );
      expect(JSON.parse((await get(other, "RedrivePolicy"))!)).toEqual({ ...policy, maxReceiveCount: 1000 });

      // test_set_empty_redrive_policy (AWS-validated)
      await sqs.send(new sdk.SetQueueAttributesCommand({ QueueUrl: other, Attributes: { RedrivePolicy: "" } }));
      expect(await get(other, "RedrivePolicy")).toBeUndefined();
    });

    // test_invalid_dead_letter_arn_rejected_before_lookup (AWS-validated)
    it("rejects an invalid dead-letter ARN before looking it up", async () => {
      const url = await create();
      const raw = '{"deadLetterTargetArn": "dummy", "maxReceiveCount": 42}';
      const err = await setError(url, { RedrivePolicy: raw });
      expect(err).toMatchObject(redriveInvalid(raw, "Invalid value for deadLetterTargetArn."));
      if (protocol === "json") expect(err.type).toBe("com.amazon.coral.service#InvalidParameterValueException");
      const atCreate = await wireError(
        sqs,
        new sdk.CreateQueueCommand({ QueueName: uniqueName("rd"), Attributes: { RedrivePolicy: raw } }),
      );
      expect(atCreate).toMatchObject(redriveInvalid(raw, "Invalid value for deadLetterTargetArn."));
    });

    it("requires maxReceiveCount and deadLetterTargetArn", async () => {
      const url = await create();
      const dlqArn = await arnOf(await create(uniqueName("dlq")));
      expect(await setError(url, { RedrivePolicy: "{}" })).toMatchObject(
        redriveInvalid("{}", "Redrive policy does not contain mandatory attribute: maxReceiveCount."),
      );
      const noCount = JSON.stringify({ deadLetterTargetArn: dlqArn });
      expect(await setError(url, { RedrivePolicy: noCount })).toMatchObject(
        redriveInvalid(noCount, "Redrive policy does not contain mandatory attribute: maxReceiveCount."),
      );
      const noTarget = JSON.stringify({ maxReceiveCount: 5 });
      expect(await setError(url, { RedrivePolicy: noTarget })).toMatchObject(
        redriveInvalid(noTarget, "Redrive policy does not contain mandatory attribute: deadLetterTargetArn."),
      );
    });

    it.each([0, 1001])("rejects maxReceiveCount %i", async (count) => {
      const url = await create();
      const raw = JSON.stringify({ deadLetterTargetArn: await arnOf(await create(uniqueName("dlq"))), maxReceiveCount: count });
      expect(await setError(url, { RedrivePolicy: raw })).toMatchObject(
        redriveInvalid(raw, `Invalid value for maxReceiveCount: ${count}, valid values are from 1 to 1000 both inclusive.`),
      );
    });

    it("requires the dead-letter queue to exist", async () => {
      const url = await create();
      const raw = JSON.stringify({
        deadLetterTargetArn: `arn:aws:sqs:us-east-1:000000000000:${uniqueName("nowhere")}`,
        maxReceiveCount: 2,
      });
      expect(await setError(url, { RedrivePolicy: raw })).toMatchObject(
        redriveInvalid(raw, "Dead letter target does not exist."),
      );
      expect(await get(url, "RedrivePolicy")).toBeUndefined();
    });
  });

  describe("RedriveAllowPolicy", () => {
    it("is stored and returned", async () => {
      const url = await create();
      const sourceArn = `arn:aws:sqs:us-east-1:000000000000:${uniqueName("s")}`;
      for (const policy of [
        { redrivePermission: "denyAll" },
        { redrivePermission: "byQueue", sourceQueueArns: [sourceArn] },
        { redrivePermission: "allowAll" },
      ]) {
        await sqs.send(
          new sdk.SetQueueAttributesCommand({ QueueUrl: url, Attributes: { RedriveAllowPolicy: JSON.stringify(policy) } }),
        );
        expect(JSON.parse((await get(url, "RedriveAllowPolicy"))!)).toEqual(policy);
      }
    });

    it("denyAll stops every queue from using this one as its dead-letter queue", async () => {
      const dlq = await create(uniqueName("deny"), { RedriveAllowPolicy: JSON.stringify({ redrivePermission: "denyAll" }) });
      const raw = JSON.stringify({ deadLetterTargetArn: await arnOf(dlq), maxReceiveCount: 2 });
      const source = await create();
      const err = await setError(source, { RedrivePolicy: raw });
      // AWS's reason text for this case isn't recorded; the prefix and code are AWS's RedrivePolicy wording.
      expect(err).toMatchObject({ status: 400, code: "InvalidParameterValue" });
      expect(err.message.startsWith(`Value ${raw} for parameter RedrivePolicy is invalid. Reason: `)).toBe(true);
      expect(await get(source, "RedrivePolicy")).toBeUndefined();
      const atCreate = await wireError(
        sqs,
        new sdk.CreateQueueCommand({ QueueName: uniqueName("src"), Attributes: { RedrivePolicy: raw } }),
      );
      expect(atCreate).toMatchObject({ status: 400, code: "InvalidParameterValue" });
    });

    it("byQueue admits only the listed source queues", async () => {
      const allowed = await create(uniqueName("allowed"));
      const other = await create(uniqueName("other"));
      const dlq = await create(uniqueName("byqueue"), {
        RedriveAllowPolicy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [await arnOf(allowed)] }),
      });
      const raw = JSON.stringify({ deadLetterTargetArn: await arnOf(dlq), maxReceiveCount: 2 });
      await sqs.send(new sdk.SetQueueAttributesCommand({ QueueUrl: allowed, Attributes: { RedrivePolicy: raw } }));
      expect(JSON.parse((await get(allowed, "RedrivePolicy"))!)).toEqual(JSON.parse(raw));
      const err = await setError(other, { RedrivePolicy: raw });
      expect(err).toMatchObject({ status: 400, code: "InvalidParameterValue" });
      expect(err.message.startsWith(`Value ${raw} for parameter RedrivePolicy is invalid. Reason: `)).toBe(true);

      // allowAll opens it to everyone again.
      await sqs.send(
        new sdk.SetQueueAttributesCommand({
          QueueUrl: dlq,
          Attributes: { RedriveAllowPolicy: JSON.stringify({ redrivePermission: "allowAll" }) },
        }),
      );
      await sqs.send(new sdk.SetQueueAttributesCommand({ QueueUrl: other, Attributes: { RedrivePolicy: raw } }));
    });

    it("rejects malformed allow policies", async () => {
      const url = await create();
      const unsupported =
        "Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can't create the redrive allow policy, as it’s in an unsupported format.";
      for (const raw of [
        "not json",
        "[]",
        "{}",
        '{"redrivePermission":"sometimes"}',
        '{"redrivePermission":"allowAll","extra":1}',
      ]) {
        expect(await setError(url, { RedriveAllowPolicy: raw })).toMatchObject({
          status: 400,
          code: "InvalidParameterValue",
          message: unsupported,
        });
      }
      const reason = (raw: string, text: string) => ({
        status: 400,
        code: "InvalidParameterValue",
        message: `Value ${raw} for parameter RedriveAllowPolicy is invalid. Reason: Amazon SQS can't create the redrive allow policy. ${text}`,
      });
      const byQueueEmpty = '{"redrivePermission":"byQueue"}';
      expect(await setError(url, { RedriveAllowPolicy: byQueueEmpty })).toMatchObject(
        reason(
          byQueueEmpty,
          "When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.",
        ),
      );
      const eleven = JSON.stringify({
        redrivePermission: "byQueue",
        sourceQueueArns: Array.from({ length: 11 }, (_, i) => `arn:aws:sqs:us-east-1:000000000000:q${i}`),
      });
      expect(await setError(url, { RedriveAllowPolicy: eleven })).toMatchObject(
        reason(eleven, "The maximum number of source queue ARNs you can specify is 10."),
      );
      const allowAllWithArns = JSON.stringify({
        redrivePermission: "allowAll",
        sourceQueueArns: ["arn:aws:sqs:us-east-1:000000000000:q"],
      });
      expect(await setError(url, { RedriveAllowPolicy: allowAllWithArns })).toMatchObject(
        reason(allowAllWithArns, "To specify one or more source queue ARNs, you must set redrivePermission to byQueue."),
      );
      expect(await get(url, "RedriveAllowPolicy")).toBeUndefined();
    });
  });
});
