/**
 * Visibility timeouts and receipt handles end to end, over both SQS protocols: in-flight messages,
 * ChangeMessageVisibility (and its 12-hour cap counted from the receive), DeleteMessage edge cases.
 * Short timeouts (1–2 s) keep this quick; timing assertions are generous for a busy machine.
 * @see ../shared/reference/sqs.md §3.2
 */
import { describe, expect, it } from "vitest";
import { awsError, client, protocols, uniqueName } from "./clients";
import { sleep } from "./helpers";

/**
 * The error with the text AWS sent: the 3.445.0 query client reports "UnknownError" as `message` for
 * modeled errors whose shape has no message member (ReceiptHandleIsInvalid), the text is in `Error.Message`.
 */
async function failure(fn: () => Promise<unknown>) {
  const error = await awsError(async () => {
    try {
      await fn();
    } catch (e) {
      const err = e as { message: string; Error?: { Message?: string } };
      if (err.Error?.Message) err.message = err.Error.Message;
      throw err;
    }
  });
  return error;
}

describe.each(protocols)("visibility over $name", ({ name, sdk }) => {
  const sqs = client(sdk);
  const createQueue = async (attributes?: Record<string, string>) =>
    (await sqs.send(new sdk.CreateQueueCommand({ QueueName: uniqueName(`vis-${name}`), Attributes: attributes }))).QueueUrl!;
  const sendOne = async (QueueUrl: string, MessageBody = "body") =>
    sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody }));
  const receiveOne = async (QueueUrl: string, extra: { VisibilityTimeout?: number; WaitTimeSeconds?: number } = {}) =>
    (await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, AttributeNames: ["ApproximateReceiveCount" as never], ...extra })))
      .Messages?.[0];

  it("hides a received message for the queue's VisibilityTimeout, then delivers it again", async () => {
    const QueueUrl = await createQueue({ VisibilityTimeout: "1" });
    await sendOne(QueueUrl, "foobar");
    const first = await receiveOne(QueueUrl);
    const receivedAt = Date.now();
    expect(first?.Attributes?.ApproximateReceiveCount).toBe("1");
    expect(await receiveOne(QueueUrl)).toBeUndefined();
    const second = await receiveOne(QueueUrl, { WaitTimeSeconds: 5 });
    const elapsed = Date.now() - receivedAt;
    expect(second?.MessageId).toBe(first!.MessageId);
    expect(second?.Attributes?.ApproximateReceiveCount).toBe("2");
    expect(second?.ReceiptHandle).not.toBe(first!.ReceiptHandle);
    expect(elapsed).toBeGreaterThanOrEqual(800);
    expect(elapsed).toBeLessThan(4000);
  });

  it("uses the VisibilityTimeout of the receive over the queue's", async () => {
    const QueueUrl = await createQueue(); // default 30 s
    await sendOne(QueueUrl);
    const first = await receiveOne(QueueUrl, { VisibilityTimeout: 1 });
    expect(await receiveOne(QueueUrl)).toBeUndefined();
    const second = await receiveOne(QueueUrl, { WaitTimeSeconds: 5 });
    expect(second?.MessageId).toBe(first!.MessageId);
    // The second receive used the queue's 30 s again.
    expect(await receiveOne(QueueUrl, { WaitTimeSeconds: 2 })).toBeUndefined();
  });

  it("makes a message visible at once with ChangeMessageVisibility 0, without saving the change", async () => {
    const QueueUrl = await createQueue();
    await sendOne(QueueUrl);
    const first = await receiveOne(QueueUrl);
    expect(await receiveOne(QueueUrl)).toBeUndefined();
    await sqs.send(
      new sdk.ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first!.ReceiptHandle, VisibilityTimeout: 0 }),
    );
    const second = await receiveOne(QueueUrl);
    expect(second?.MessageId).toBe(first!.MessageId);
    expect(second?.Attributes?.ApproximateReceiveCount).toBe("2");
    // Not permanent: this receive used the queue's default (30 s), so the message is hidden again.
    expect(await receiveOne(QueueUrl)).toBeUndefined();
  });

  it("extends the visibility from the time of the change", async () => {
    const QueueUrl = await createQueue({ VisibilityTimeout: "1" });
    await sendOne(QueueUrl);
    const first = await receiveOne(QueueUrl);
    await sqs.send(
      new sdk.ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first!.ReceiptHandle, VisibilityTimeout: 3 }),
    );
    await sleep(1500);
    expect(await receiveOne(QueueUrl)).toBeUndefined();
    const again = await receiveOne(QueueUrl, { WaitTimeSeconds: 5 });
    expect(again?.MessageId).toBe(first!.MessageId);
  });

  it("caps the total visibility at 12 hours counted from the receive", async () => {
    const QueueUrl = await createQueue();
    await sendOne(QueueUrl);
    const { ReceiptHandle } = (await receiveOne(QueueUrl))!;
    await sleep(20);
    const error = await failure(() =>
      sqs.send(new sdk.ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 43200 })),
    );
    expect(error).toMatchObject({
      status: 400,
      message:
        "Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]",
    });
    expect(error.code ?? error.name).toBe("InvalidParameterValue");
    await sqs.send(new sdk.ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 43195 }));
    // A later extension still counts from the receive, not from the previous change.
    await sqs.send(new sdk.ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 43190 }));
  });

  it.each([-1, 43201])("rejects ChangeMessageVisibility with VisibilityTimeout %i", async (timeout) => {
    const QueueUrl = await createQueue();
    await sendOne(QueueUrl);
    const { ReceiptHandle } = (await receiveOne(QueueUrl))!;
    const error = await failure(() =>
      sqs.send(new sdk.ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: timeout })),
    );
    expect(error).toMatchObject({
      status: 400,
      message: `Value ${timeout} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200.`,
    });
    expect(error.code ?? error.name).toBe("InvalidParameterValue");
  });

  it("rejects ChangeMessageVisibility of a deleted message", async () => {
    const QueueUrl = await createQueue();
    await sendOne(QueueUrl);
    const { ReceiptHandle } = (await receiveOne(QueueUrl))!;
    await sqs.send(new sdk.DeleteMessageCommand({ QueueUrl, ReceiptHandle }));
    const error = await failure(() =>
      sqs.send(new sdk.ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 10 })),
    );
    expect(error).toMatchObject({
      status: 400,
      message: `Value ${ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
    });
    expect(error.code ?? error.name).toBe("InvalidParameterValue");
  });

  it("accepts ChangeMessageVisibility after the visibility expired (standard queue)", async () => {
    const QueueUrl = await createQueue({ VisibilityTimeout: "1" });
    await sendOne(QueueUrl);
    const { ReceiptHandle } = (await receiveOne(QueueUrl))!;
    await sleep(1500);
    const result = await sqs.send(new sdk.ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 10 }));
    expect(result.$metadata.httpStatusCode).toBe(200);
  });

  it("deletes a message twice without complaint", async () => {
    const QueueUrl = await createQueue({ VisibilityTimeout: "0" });
    await sendOne(QueueUrl);
    const { ReceiptHandle } = (await receiveOne(QueueUrl))!;
    const first = await sqs.send(new sdk.DeleteMessageCommand({ QueueUrl, ReceiptHandle }));
    const second = await sqs.send(new sdk.DeleteMessageCommand({ QueueUrl, ReceiptHandle }));
    expect([first.$metadata.httpStatusCode, second.$metadata.httpStatusCode]).toEqual([200, 200]);
    expect(await receiveOne(QueueUrl)).toBeUndefined();
  });

  it("deletes with a handle whose visibility expired, if the message was not received again", async () => {
    const QueueUrl = await createQueue({ VisibilityTimeout: "1" });
    await sendOne(QueueUrl);
    const { ReceiptHandle } = (await receiveOne(QueueUrl))!;
    await sleep(1500);
    await sqs.send(new sdk.DeleteMessageCommand({ QueueUrl, ReceiptHandle }));
    expect(await receiveOne(QueueUrl, { WaitTimeSeconds: 1 })).toBeUndefined();
  });

  it("answers 200 to DeleteMessage with an outdated handle", async () => {
    const QueueUrl = await createQueue({ VisibilityTimeout: "0" });
    await sendOne(QueueUrl);
    const old = (await receiveOne(QueueUrl))!;
    const current = (await receiveOne(QueueUrl))!;
    expect(current.ReceiptHandle).not.toBe(old.ReceiptHandle);
    const result = await sqs.send(new sdk.DeleteMessageCommand({ QueueUrl, ReceiptHandle: old.ReceiptHandle }));
    expect(result.$metadata.httpStatusCode).toBe(200);
    await sqs.send(new sdk.DeleteMessageCommand({ QueueUrl, ReceiptHandle: current.ReceiptHandle }));
    expect(await receiveOne(QueueUrl)).toBeUndefined();
  });

  it("rejects a garbage receipt handle with ReceiptHandleIsInvalid (404)", async () => {
    const QueueUrl = await createQueue();
    const deleted = await failure(() => sqs.send(new sdk.DeleteMessageCommand({ QueueUrl, ReceiptHandle: "garbage" })));
    expect(deleted).toMatchObject({
      name: "ReceiptHandleIsInvalid",
      status: 404,
      message: 'The input receipt handle "garbage" is not a valid receipt handle.',
    });
    const changed = await failure(() =>
      sqs.send(new sdk.ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: "INVALID", VisibilityTimeout: 60 })),
    );
    expect(changed).toMatchObject({ name: "ReceiptHandleIsInvalid", status: 404 });
  });

  it("rejects a missing receipt handle with MissingParameter", async () => {
    const QueueUrl = await createQueue();
    const error = await failure(() => sqs.send(new sdk.DeleteMessageCommand({ QueueUrl, ReceiptHandle: "" })));
    expect(error).toMatchObject({ status: 400, message: "The request must contain the parameter ReceiptHandle." });
    expect(error.code ?? error.name).toBe("MissingParameter");
  });
});
