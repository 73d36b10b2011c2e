/**
 * SendMessageBatch, DeleteMessageBatch and ChangeMessageVisibilityBatch end to end, over both SQS
 * protocols: request-level rules (1–10 entries, valid and distinct ids, total size) fail the whole
 * call; a failing entry fails alone, with its own code, and the others go through.
 * @see ../shared/reference/sqs.md §3.13
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { client, protocols, uniqueName } from "./clients";
import { sleep } from "./helpers";

/**
 * The error as AWS sent it. The 3.445.0 query client neither sets `Code` on exceptions nor a `message`
 * for modeled errors whose shape lacks one ("UnknownError"); both are in its `Error` member.
 */
async function failure(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (e) {
    const err = e as {
      name: string;
      message: string;
      Code?: string;
      Error?: { Code?: string; Message?: string };
      $metadata?: { httpStatusCode?: number };
    };
    return {
      code: err.Code ?? err.Error?.Code,
      message: err.Error?.Message ?? err.message,
      status: err.$metadata?.httpStatusCode,
    };
  }
  throw new Error("expected an AWS error, but the call succeeded");
}

const md5 = (text: string) => createHash("md5").update(text, "utf8").digest("hex");

const INVALID_ID =
  "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.";

describe.each(protocols)("batch actions over $name", ({ name, sdk }) => {
  const sqs = client(sdk);
  const createQueue = async (attributes?: Record<string, string>) =>
    (await sqs.send(new sdk.CreateQueueCommand({ QueueName: uniqueName(`batch-${name}`), Attributes: attributes }))).QueueUrl!;

  /** Sends `count` messages and receives them all; returns their receipt handles. */
  async function inFlight(QueueUrl: string, count: number): Promise<string[]> {
    await sqs.send(
      new sdk.SendMessageBatchCommand({
        QueueUrl,
        Entries: Array.from({ length: count }, (_, i) => ({ Id: `m${i}`, MessageBody: `m${i}` })),
      }),
    );
    const handles: string[] = [];
    for (let i = 0; i < 5 && handles.length < count; i++) {
      const { Messages = [] } = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      handles.push(...Messages.map((m) => m.ReceiptHandle!));
    }
    expect(handles).toHaveLength(count);
    return handles;
  }

  const expectBatchError = async (call: () => Promise<unknown>, code: string, message: string) => {
    expect(await failure(call)).toEqual({ status: 400, code, message });
  };

  describe("request-level rules, for each batch action", () => {
    const actions = [
      [
        "SendMessageBatch",
        (QueueUrl: string, ids: string[]) =>
          new sdk.SendMessageBatchCommand({ QueueUrl, Entries: ids.map((Id) => ({ Id, MessageBody: "x" })) }),
      ],
      [
        "DeleteMessageBatch",
        (QueueUrl: string, ids: string[]) =>
          new sdk.DeleteMessageBatchCommand({ QueueUrl, Entries: ids.map((Id) => ({ Id, ReceiptHandle: "garbage" })) }),
      ],
      [
        "ChangeMessageVisibilityBatch",
        (QueueUrl: string, ids: string[]) =>
          new sdk.ChangeMessageVisibilityBatchCommand({
            QueueUrl,
            Entries: ids.map((Id) => ({ Id, ReceiptHandle: "garbage", VisibilityTimeout: 1 })),
          }),
      ],
    ] as const;

    it.each(actions)("%s: rejects more than 10 entries", async (_action, command) => {
      const QueueUrl = await createQueue();
      const ids = (n: number) => Array.from({ length: n }, (_, i) => `id${i}`);
      await expectBatchError(
        () => sqs.send(command(QueueUrl, ids(20)) as never),
        "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
        "Maximum number of entries per request are 10. You have sent 20.",
      );
      await expectBatchError(
        () => sqs.send(command(QueueUrl, ids(11)) as never),
        "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
        "Maximum number of entries per request are 10. You have sent 11.",
      );
    });

    it.each(actions)("%s: rejects invalid entry ids", async (_action, command) => {
      const QueueUrl = await createQueue();
      for (const id of ["", "testLongId".repeat(10), "invalid:id", "a".repeat(81), "space id"]) {
        await expectBatchError(
          () => sqs.send(command(QueueUrl, ["ok", id]) as never),
          "AWS.SimpleQueueService.InvalidBatchEntryId",
          INVALID_ID,
        );
      }
    });

    it.each(actions)("%s: rejects repeated ids", async (_action, command) => {
      const QueueUrl = await createQueue();
      await expectBatchError(
        () => sqs.send(command(QueueUrl, ["idA", "idB", "idA"]) as never),
        "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
        "Id idA repeated.",
      );
    });

    it.each(actions)("%s: rejects an empty batch", async (action, command) => {
      const QueueUrl = await createQueue();
      const error = await failure(() => sqs.send(command(QueueUrl, []) as never));
      expect(error.status).toBe(400);
      expect(error.code).toBe("AWS.SimpleQueueService.EmptyBatchRequest");
      if (action !== "ChangeMessageVisibilityBatch") {
        expect(error.message).toBe(`There should be at least one ${action}RequestEntry in the request.`);
      }
    });
  });

  it("SendMessageBatch: sends every entry and reports each by Id with its digests", async () => {
    const QueueUrl = await createQueue();
    const Entries = [
      { Id: "plain", MessageBody: "message-0" },
      { Id: "with_attributes", MessageBody: "message-1", MessageAttributes: { Foo: { DataType: "String", StringValue: "Bar" } } },
      { Id: "unicode-3", MessageBody: "ünïcödé 😀 \r\n <&>" },
    ];
    const result = await sqs.send(new sdk.SendMessageBatchCommand({ QueueUrl, Entries }));
    expect(result.Failed ?? []).toEqual([]);
    expect(result.Successful!.map((s) => s.Id).sort()).toEqual(["plain", "unicode-3", "with_attributes"]);
    const byId = Object.fromEntries(result.Successful!.map((s) => [s.Id, s]));
    for (const entry of Entries) expect(byId[entry.Id]!.MD5OfMessageBody).toBe(md5(entry.MessageBody));
    expect(byId.with_attributes!.MD5OfMessageAttributes).toBe("ae7155c6026991b6d54b11589678bf9c");
    expect(byId.plain!.MD5OfMessageAttributes).toBeUndefined();
    expect(new Set(result.Successful!.map((s) => s.MessageId)).size).toBe(3);

    const { Messages = [] } = await sqs.send(
      new sdk.ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"] }),
    );
    const received = Object.fromEntries(Messages.map((m) => [m.MessageId, m]));
    for (const entry of Entries) expect(received[byId[entry.Id]!.MessageId!]?.Body).toBe(entry.MessageBody);
  });

  it("SendMessageBatch: leaves Failed out when nothing failed (recorded from AWS)", async () => {
    const QueueUrl = await createQueue();
    const result = await sqs.send(new sdk.SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: "1", MessageBody: "a" }] }));
    expect(result.Successful).toHaveLength(1);
    expect(result.Failed).toBeUndefined();
  });

  it("SendMessageBatch: an entry with invalid characters fails alone with InvalidMessageContents", async () => {
    const QueueUrl = await createQueue();
    const Entries = Array.from({ length: 9 }, (_, i) => ({ Id: String(i), MessageBody: String(i) }));
    Entries.push({ Id: "9", MessageBody: "\u0001" });
    const result = await sqs.send(new sdk.SendMessageBatchCommand({ QueueUrl, Entries }));
    expect(result.Failed).toEqual([
      {
        Id: "9",
        SenderFault: true,
        Code: "InvalidMessageContents",
        Message:
          "Invalid binary character '#x1' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].",
      },
    ]);
    expect(result.Successful!.map((s) => s.Id).sort()).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8"]);
    const bodies: string[] = [];
    for (let i = 0; i < 5 && bodies.length < 9; i++) {
      const { Messages = [] } = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      bodies.push(...Messages.map((m) => m.Body!));
    }
    expect(bodies.sort()).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8"]);
  });

  it("SendMessageBatch: an oversized entry fails alone (recorded from AWS)", async () => {
    const QueueUrl = await createQueue({ MaximumMessageSize: "1024" });
    const result = await sqs.send(
      new sdk.SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: "too-big", MessageBody: "a".repeat(1025) },
          { Id: "fits", MessageBody: "b".repeat(1024) },
        ],
      }),
    );
    expect(result.Failed).toEqual([
      {
        Id: "too-big",
        SenderFault: true,
        Code: "InvalidParameterValue",
        Message: "One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.",
      },
    ]);
    expect(result.Successful).toEqual([expect.objectContaining({ Id: "fits", MD5OfMessageBody: md5("b".repeat(1024)) })]);
  });

  it("SendMessageBatch: an entry with an empty body fails alone with EmptyValue", async () => {
    const QueueUrl = await createQueue();
    const result = await sqs.send(
      new sdk.SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: "1", MessageBody: "Valid message" },
          { Id: "2", MessageBody: "" },
        ],
      }),
    );
    expect(result.Successful!.map((s) => s.Id)).toEqual(["1"]);
    expect(result.Failed).toHaveLength(1);
    expect(result.Failed![0]).toMatchObject({ Id: "2", Code: "EmptyValue", SenderFault: true });
  });

  it("SendMessageBatch: entries with a bad DelaySeconds or MessageGroupId fail alone", async () => {
    const QueueUrl = await createQueue();
    const result = await sqs.send(
      new sdk.SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: "delay", MessageBody: "x", DelaySeconds: 901 },
          { Id: "ok", MessageBody: "y" },
          { Id: "group", MessageBody: "z", MessageGroupId: "group 123" },
        ],
      }),
    );
    expect(result.Successful!.map((s) => s.Id)).toEqual(["ok"]);
    expect(result.Failed).toEqual([
      {
        Id: "delay",
        SenderFault: true,
        Code: "InvalidParameterValue",
        Message: "Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.",
      },
      {
        Id: "group",
        SenderFault: true,
        Code: "InvalidParameterValue",
        Message:
          "Value group 123 for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.",
      },
    ]);
  });

  it("SendMessageBatch: delays each entry by its own DelaySeconds", async () => {
    const QueueUrl = await createQueue();
    await sqs.send(
      new sdk.SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: "now", MessageBody: "now" },
          { Id: "later", MessageBody: "later", DelaySeconds: 1 },
        ],
      }),
    );
    const first = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(first.Messages?.map((m) => m.Body)).toEqual(["now"]);
    const second = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 4 }));
    expect(second.Messages?.map((m) => m.Body)).toEqual(["later"]);
  });

  it("SendMessageBatch: rejects a batch over 1 MiB in total with BatchRequestTooLong (recorded from AWS)", async () => {
    const QueueUrl = await createQueue();
    const MessageAttributes = { k: { DataType: "String", StringValue: "x" } };
    const error = await failure(() =>
      sqs.send(
        new sdk.SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: "1", MessageBody: "a".repeat(1_048_576 - 8), MessageAttributes },
            { Id: "2", MessageBody: "a" },
          ],
        }),
      ),
    );
    expect(error).toEqual({
      status: 400,
      code: "AWS.SimpleQueueService.BatchRequestTooLong",
      message: "Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.",
    });
    expect((await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
  });

  it("DeleteMessageBatch: deletes every entry and reports each by Id", async () => {
    const QueueUrl = await createQueue({ VisibilityTimeout: "1" });
    const handles = await inFlight(QueueUrl, 3);
    const result = await sqs.send(
      new sdk.DeleteMessageBatchCommand({
        QueueUrl,
        Entries: handles.map((ReceiptHandle, i) => ({ Id: `d${i}`, ReceiptHandle })),
      }),
    );
    expect(result.Successful!.map((s) => s.Id).sort()).toEqual(["d0", "d1", "d2"]);
    expect(result.Failed ?? []).toEqual([]);
    expect((await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2 }))).Messages).toBeUndefined();
    // Deleting again succeeds, as DeleteMessage does.
    const again = await sqs.send(
      new sdk.DeleteMessageBatchCommand({
        QueueUrl,
        Entries: handles.map((ReceiptHandle, i) => ({ Id: `d${i}`, ReceiptHandle })),
      }),
    );
    expect(again.Successful).toHaveLength(3);
  });

  it("DeleteMessageBatch: an invalid receipt handle fails alone", async () => {
    const QueueUrl = await createQueue();
    const [handle] = await inFlight(QueueUrl, 1);
    const result = await sqs.send(
      new sdk.DeleteMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: "bad", ReceiptHandle: "garbage" },
          { Id: "good", ReceiptHandle: handle },
        ],
      }),
    );
    expect(result.$metadata.httpStatusCode).toBe(200);
    expect(result.Successful).toEqual([{ Id: "good" }]);
    expect(result.Failed).toEqual([
      {
        Id: "bad",
        SenderFault: true,
        Code: "ReceiptHandleIsInvalid",
        Message: 'The input receipt handle "garbage" is not a valid receipt handle.',
      },
    ]);
  });

  it("ChangeMessageVisibilityBatch: changes each entry and reports each by Id", async () => {
    const QueueUrl = await createQueue();
    const [a, b] = await inFlight(QueueUrl, 2);
    const result = await sqs.send(
      new sdk.ChangeMessageVisibilityBatchCommand({
        QueueUrl,
        Entries: [
          { Id: "release", ReceiptHandle: a, VisibilityTimeout: 0 },
          { Id: "keep", ReceiptHandle: b, VisibilityTimeout: 60 },
        ],
      }),
    );
    expect(result.Successful!.map((s) => s.Id).sort()).toEqual(["keep", "release"]);
    expect(result.Failed ?? []).toEqual([]);
    const { Messages = [] } = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(Messages).toHaveLength(1);
  });

  it("ChangeMessageVisibilityBatch: entries for deleted messages, bad handles or timeouts fail alone", async () => {
    const QueueUrl = await createQueue();
    const [deleted, live, capped] = await inFlight(QueueUrl, 3);
    await sqs.send(new sdk.DeleteMessageCommand({ QueueUrl, ReceiptHandle: deleted }));
    await sleep(20);
    const result = await sqs.send(
      new sdk.ChangeMessageVisibilityBatchCommand({
        QueueUrl,
        Entries: [
          { Id: "deleted", ReceiptHandle: deleted, VisibilityTimeout: 10 },
          { Id: "live", ReceiptHandle: live, VisibilityTimeout: 10 },
          { Id: "garbage", ReceiptHandle: "garbage", VisibilityTimeout: 10 },
          { Id: "capped", ReceiptHandle: capped, VisibilityTimeout: 43200 },
          { Id: "range", ReceiptHandle: live, VisibilityTimeout: 43201 },
        ],
      }),
    );
    expect(result.Successful).toEqual([{ Id: "live" }]);
    expect(result.Failed).toEqual([
      {
        Id: "deleted",
        SenderFault: true,
        Code: "InvalidParameterValue",
        Message: `Value ${deleted} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
      },
      {
        Id: "garbage",
        SenderFault: true,
        Code: "ReceiptHandleIsInvalid",
        Message: 'The input receipt handle "garbage" is not a valid receipt handle.',
      },
      {
        Id: "capped",
        SenderFault: true,
        Code: "InvalidParameterValue",
        Message:
          "Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]",
      },
      {
        Id: "range",
        SenderFault: true,
        Code: "InvalidParameterValue",
        Message: "Value 43201 for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200.",
      },
    ]);
  });
});
