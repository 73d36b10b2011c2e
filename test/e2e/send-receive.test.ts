/**
 * SendMessage and ReceiveMessage end to end, over both SQS protocols: bodies and their digests,
 * body validation, size limits, delays, fair-queue group ids, receive parameters and system attributes.
 * Expected codes and texts come from AWS recordings (../shared/aws-recordings/sqs) and the research
 * notes (/work/notes/sqs-error-texts.md); see ../shared/reference/sqs.md §3.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { awsError, client, protocols, uniqueName } from "./clients";

/**
 * The 3.445.0 query client leaves `message` as "UnknownError" for modeled errors whose shape has no
 * message member (InvalidMessageContents): with real AWS too. The text AWS sent is in `Error.Message`.
 */
async function sentMessageText(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    const err = e as { message: string; Error?: { Message?: string } };
    return err.Error?.Message ?? err.message;
  }
  throw new Error("expected an AWS error, but the call succeeded");
}

const md5 = (text: string) => createHash("md5").update(text, "utf8").digest("hex");

const ALLOWED = "the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].";

describe.each(protocols)("SendMessage / ReceiveMessage over $name", ({ name, sdk }) => {
  const sqs = client(sdk);
  const createQueue = async (attributes?: Record<string, string>) =>
    (await sqs.send(new sdk.CreateQueueCommand({ QueueName: uniqueName(`sr-${name}`), Attributes: attributes }))).QueueUrl!;

  it("returns the MD5 of the body and the same message on receive", async () => {
    const QueueUrl = await createQueue();
    const sent = await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "message" }));
    expect(sent.MD5OfMessageBody).toBe("78e731027d8fd50ed642340b7c9a63b3");
    expect(sent.MD5OfMessageAttributes).toBeUndefined();
    expect(sent.MD5OfMessageSystemAttributes).toBeUndefined();
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const { Messages } = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl }));
    expect(Messages).toHaveLength(1);
    expect(Messages![0]).toMatchObject({ MessageId: sent.MessageId, Body: "message", MD5OfBody: sent.MD5OfMessageBody });
    expect(Messages![0]!.ReceiptHandle).toBeTruthy();
    expect(Messages![0]!.Attributes).toBeUndefined();
    expect(Messages![0]!.MessageAttributes).toBeUndefined();
  });

  it.each([
    ["unicode", "Grüße, 世界! 😀 𝄞 Ω ǅ \u00a0 \uE000 \uFFFD"],
    ["carriage returns and newlines", "line1\r\nline2\rline3\n\tend\r"],
    ["quotes and XML specials", `"&quot;&quot;\r <tag attr='1'>a & b</tag> &amp; &lt;x&gt; ]]>`],
    ["JSON look-alike", '{"a": [1, "two", null], "b": "\\u0041"}'],
  ])("round-trips a body with %s exactly", async (_label, body) => {
    const QueueUrl = await createQueue();
    const sent = await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: body }));
    expect(sent.MD5OfMessageBody).toBe(md5(body));
    const { Messages } = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl }));
    expect(Messages![0]!.Body).toBe(body);
    expect(Messages![0]!.MD5OfBody).toBe(md5(body));
  });

  it.each([
    ["\u0001", "#x1"],
    ["ok\u0007bell", "#x7"],
    ["a\uFFFFb", "#xFFFF"],
    ["\u001F and then \u0000", "#x1F"],
    ["form feed \f", "#xC"],
  ])("rejects a body containing %j with InvalidMessageContents", async (body, reported) => {
    const QueueUrl = await createQueue();
    const error = await awsError(() => sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: body })));
    expect(error).toMatchObject({ name: "InvalidMessageContents", status: 400 });
    expect(await sentMessageText(() => sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: body })))).toBe(
      `Invalid binary character '${reported}' was found in the message body, ${ALLOWED}`,
    );
    const { Messages } = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl }));
    expect(Messages).toBeUndefined();
  });

  it("rejects an empty body with MissingParameter", async () => {
    const QueueUrl = await createQueue();
    const error = await awsError(() => sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "" })));
    expect(error).toMatchObject({ status: 400, message: "The request must contain the parameter MessageBody." });
    expect(error.code ?? error.name).toBe("MissingParameter");
  });

  it("accepts a message of exactly 1 MiB (body + attributes) and rejects one byte more", async () => {
    const QueueUrl = await createQueue();
    const MessageAttributes = { k: { DataType: "String", StringValue: "x" } };
    const attributeSize = "k".length + "String".length + "x".length;
    const fits = await sqs.send(
      new sdk.SendMessageCommand({ QueueUrl, MessageBody: "a".repeat(1_048_576 - attributeSize), MessageAttributes }),
    );
    expect(fits.MessageId).toBeTruthy();
    const error = await awsError(() =>
      sqs.send(
        new sdk.SendMessageCommand({ QueueUrl, MessageBody: "a".repeat(1_048_576 - attributeSize + 1), MessageAttributes }),
      ),
    );
    expect(error).toMatchObject({
      status: 400,
      message: "One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.",
    });
    expect(error.code ?? error.name).toBe("InvalidParameterValue");
  });

  it("counts multi-byte characters in UTF-8 bytes against MaximumMessageSize", async () => {
    const QueueUrl = await createQueue({ MaximumMessageSize: "1024" });
    // 512 two-byte characters are 1024 bytes: fits; one more ASCII byte does not.
    await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "é".repeat(512) }));
    const error = await awsError(() => sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: `${"é".repeat(512)}a` })));
    expect(error.message).toBe("One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.");
  });

  it("applies a lowered MaximumMessageSize set after creation", async () => {
    const QueueUrl = await createQueue();
    await sqs.send(new sdk.SetQueueAttributesCommand({ QueueUrl, Attributes: { MaximumMessageSize: "1024" } }));
    await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "a".repeat(1024) }));
    const error = await awsError(() =>
      sqs.send(
        new sdk.SendMessageCommand({
          QueueUrl,
          MessageBody: "a".repeat(1024 - 8 + 1),
          MessageAttributes: { k: { DataType: "String", StringValue: "x" } },
        }),
      ),
    );
    expect(error).toMatchObject({
      status: 400,
      message: "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.",
    });
    expect(error.code ?? error.name).toBe("InvalidParameterValue");
  });

  it("delays a message by its DelaySeconds", async () => {
    const QueueUrl = await createQueue();
    await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "later", DelaySeconds: 1 }));
    expect((await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
    const { Messages } = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 4 }));
    expect(Messages?.[0]?.Body).toBe("later");
  });

  it("delays by the queue's DelaySeconds unless the message sets its own", async () => {
    const QueueUrl = await createQueue({ DelaySeconds: "1" });
    await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "queue-delayed" }));
    await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "immediate", DelaySeconds: 0 }));
    const first = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(first.Messages?.map((m) => m.Body)).toEqual(["immediate"]);
    const later = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 4 }));
    expect(later.Messages?.[0]?.Body).toBe("queue-delayed");
  });

  it.each([-1, 901, 1000])("rejects DelaySeconds %i", async (delay) => {
    const QueueUrl = await createQueue();
    const error = await awsError(() => sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "x", DelaySeconds: delay })));
    expect(error).toMatchObject({
      status: 400,
      message: `Value ${delay} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`,
    });
    expect(error.code ?? error.name).toBe("InvalidParameterValue");
  });

  it("accepts MessageGroupId on a standard queue (fair queues) and returns it as a system attribute", async () => {
    const QueueUrl = await createQueue();
    const sent = await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "message", MessageGroupId: "test" }));
    expect(sent.MD5OfMessageBody).toBe("78e731027d8fd50ed642340b7c9a63b3");
    expect(sent.SequenceNumber).toBeUndefined();
    const { Messages } = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, AttributeNames: ["All"] }));
    const attributes = Messages![0]!.Attributes!;
    expect(Object.keys(attributes).sort()).toEqual([
      "ApproximateFirstReceiveTimestamp",
      "ApproximateReceiveCount",
      "MessageGroupId",
      "SenderId",
      "SentTimestamp",
    ]);
    expect(attributes.MessageGroupId).toBe("test");
  });

  it.each([
    ["empty", ""],
    ["too long", "a".repeat(129)],
    ["with spaces", "group 123"],
    ["non-ASCII", "grüppe"],
  ])("rejects a MessageGroupId that is %s", async (_label, groupId) => {
    const QueueUrl = await createQueue();
    const error = await awsError(() =>
      sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "x", MessageGroupId: groupId })),
    );
    expect(error).toMatchObject({
      status: 400,
      message: `Value ${groupId} for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    });
    expect(error.code ?? error.name).toBe("InvalidParameterValue");
  });

  it("accepts a MessageGroupId of 128 punctuation and alphanumeric characters", async () => {
    const QueueUrl = await createQueue();
    const groupId = `!"#$%&'()*+,-./:;<=>?@[\\]^_\`{|}~${"x".repeat(128 - 32)}`;
    expect(groupId).toHaveLength(128);
    await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "x", MessageGroupId: groupId }));
    const { Messages } = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, AttributeNames: ["MessageGroupId" as never] }));
    expect(Messages![0]!.Attributes).toEqual({ MessageGroupId: groupId });
  });

  it.each([0, 11, -5])("rejects MaxNumberOfMessages %i", async (max) => {
    const QueueUrl = await createQueue();
    const error = await awsError(() => sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: max })));
    expect(error).toMatchObject({
      status: 400,
      message: `Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
    });
    expect(error.code ?? error.name).toBe("InvalidParameterValue");
  });

  it("returns at most MaxNumberOfMessages messages, each once", async () => {
    const QueueUrl = await createQueue();
    const bodies = Array.from({ length: 12 }, (_, i) => `m${i}`);
    for (const MessageBody of bodies) await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody }));
    const single = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl }));
    expect(single.Messages).toHaveLength(1);
    const seen = [single.Messages![0]!.Body!];
    for (let i = 0; i < 5 && seen.length < bodies.length; i++) {
      const { Messages = [] } = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      expect(Messages.length).toBeLessThanOrEqual(10);
      seen.push(...Messages.map((m) => m.Body!));
    }
    expect(seen.sort()).toEqual([...bodies].sort());
  });

  it("returns nothing from an empty queue, short or long polling", async () => {
    const QueueUrl = await createQueue();
    const short = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl }));
    expect(short.Messages).toBeUndefined();
    const long = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    expect(long.Messages).toBeUndefined();
  });

  it("gives every receive a new receipt handle and counts receives", async () => {
    const QueueUrl = await createQueue();
    await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "again" }));
    const receive = async () =>
      (
        await sqs.send(
          new sdk.ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0, AttributeNames: ["ApproximateReceiveCount" as never] }),
        )
      ).Messages![0]!;
    const first = await receive();
    const second = await receive();
    expect(second.MessageId).toBe(first.MessageId);
    expect(second.ReceiptHandle).not.toBe(first.ReceiptHandle);
    expect(first.Attributes).toEqual({ ApproximateReceiveCount: "1" });
    expect(second.Attributes).toEqual({ ApproximateReceiveCount: "2" });
  });

  it("returns all system attributes for AttributeNames=All, timestamps in epoch milliseconds", async () => {
    const QueueUrl = await createQueue();
    const before = Date.now();
    await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "msg" }));
    const { Messages } = await sqs.send(
      new sdk.ReceiveMessageCommand({ QueueUrl, AttributeNames: ["All"], VisibilityTimeout: 0 }),
    );
    const after = Date.now();
    const attributes = Messages![0]!.Attributes!;
    expect(Object.keys(attributes).sort()).toEqual([
      "ApproximateFirstReceiveTimestamp",
      "ApproximateReceiveCount",
      "SenderId",
      "SentTimestamp",
    ]);
    expect(attributes.ApproximateReceiveCount).toBe("1");
    expect(attributes.SenderId).toMatch(/^\S+$/);
    for (const key of ["SentTimestamp", "ApproximateFirstReceiveTimestamp"] as const) {
      expect(attributes[key]).toMatch(/^\d{13}$/);
      expect(Number(attributes[key])).toBeGreaterThanOrEqual(before - 1000);
      expect(Number(attributes[key])).toBeLessThanOrEqual(after + 1000);
    }
    expect(Number(attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(Number(attributes.SentTimestamp));

    // The first receive time stays; the count goes up.
    const again = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, AttributeNames: ["All"] }));
    expect(again.Messages![0]!.Attributes).toMatchObject({
      ApproximateReceiveCount: "2",
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp,
      SentTimestamp: attributes.SentTimestamp,
      SenderId: attributes.SenderId,
    });
  });

  it("returns only the system attributes asked for", async () => {
    const QueueUrl = await createQueue({ VisibilityTimeout: "0" });
    await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "msg" }));
    const attributesFor = async (names: string[]) =>
      (await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, AttributeNames: names as never }))).Messages![0]!.Attributes;
    expect(Object.keys((await attributesFor(["SenderId"]))!)).toEqual(["SenderId"]);
    // SequenceNumber exists only on FIFO queues: silently left out (recorded from AWS).
    expect(Object.keys((await attributesFor(["SenderId", "SequenceNumber"]))!)).toEqual(["SenderId"]);
    expect(Object.keys((await attributesFor(["SentTimestamp", "ApproximateReceiveCount"]))!).sort()).toEqual([
      "ApproximateReceiveCount",
      "SentTimestamp",
    ]);
    expect(await attributesFor([])).toBeUndefined();
  });

  if (name === "json") {
    it("honours MessageSystemAttributeNames, alone and together with AttributeNames", async () => {
      const QueueUrl = await createQueue({ VisibilityTimeout: "0" });
      await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "msg" }));
      const receive = async (input: { AttributeNames?: string[]; MessageSystemAttributeNames?: string[] }) =>
        (await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, ...(input as object) }))).Messages![0]!.Attributes;
      expect(Object.keys((await receive({ MessageSystemAttributeNames: ["All"] }))!).sort()).toEqual([
        "ApproximateFirstReceiveTimestamp",
        "ApproximateReceiveCount",
        "SenderId",
        "SentTimestamp",
      ]);
      expect(Object.keys((await receive({ MessageSystemAttributeNames: ["SenderId"] }))!)).toEqual(["SenderId"]);
      const both = await receive({ AttributeNames: ["SenderId"], MessageSystemAttributeNames: ["All"] });
      expect(Object.keys(both!).sort()).toEqual([
        "ApproximateFirstReceiveTimestamp",
        "ApproximateReceiveCount",
        "SenderId",
        "SentTimestamp",
      ]);
    });
  }
});
