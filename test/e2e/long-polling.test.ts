/**
 * Long polling end to end, over both SQS protocols: a waiting ReceiveMessage answers as soon as a
 * message becomes available (sent, delay elapsed, visibility released) and empty when the wait ends;
 * the queue's ReceiveMessageWaitTimeSeconds applies when the request has no WaitTimeSeconds.
 * The machine is shared: an answer expected at ~1 s is asserted at < 3 s.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html
 */
import { describe, expect, it } from "vitest";
import { awsError, client, protocols, uniqueName } from "./clients";
import { sleep } from "./helpers";

/** Runs `fn` and measures how long it took, in milliseconds. */
async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = Date.now();
  const result = await fn();
  return { result, ms: Date.now() - start };
}

describe.each(protocols)("long polling over $name", ({ name, sdk }) => {
  const sqs = client(sdk);
  const sender = client(sdk);
  const createQueue = async (attributes?: Record<string, string>) =>
    (await sqs.send(new sdk.CreateQueueCommand({ QueueName: uniqueName(`poll-${name}`), Attributes: attributes }))).QueueUrl!;

  it("answers as soon as a message arrives", async () => {
    const QueueUrl = await createQueue();
    const poll = timed(() => sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 })));
    await sleep(1000);
    await sender.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "wake up" }));
    const { result, ms } = await poll;
    expect(result.Messages?.map((m) => m.Body)).toEqual(["wake up"]);
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(3000);
  });

  it("answers at once when messages are there, without waiting to fill MaxNumberOfMessages", async () => {
    const QueueUrl = await createQueue();
    await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "foobar1" }));
    await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "foobar2" }));
    const { result, ms } = await timed(() =>
      sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 3, WaitTimeSeconds: 5 })),
    );
    expect(result.Messages?.length).toBeGreaterThanOrEqual(1);
    expect(ms).toBeLessThan(2000);
  });

  it("answers with no messages when the wait ends", async () => {
    const QueueUrl = await createQueue();
    const { result, ms } = await timed(() => sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2 })));
    expect(result.Messages).toBeUndefined();
    expect(result.$metadata.httpStatusCode).toBe(200);
    expect(ms).toBeGreaterThanOrEqual(1900);
    expect(ms).toBeLessThan(4500);
  });

  it("waits for the queue's ReceiveMessageWaitTimeSeconds when the request omits WaitTimeSeconds", async () => {
    const QueueUrl = await createQueue({ ReceiveMessageWaitTimeSeconds: "2" });
    const empty = await timed(() => sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl })));
    expect(empty.result.Messages).toBeUndefined();
    expect(empty.ms).toBeGreaterThanOrEqual(1900);
    expect(empty.ms).toBeLessThan(4500);

    const poll = timed(() => sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl })));
    await sleep(500);
    await sender.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "queue wait" }));
    const woken = await poll;
    expect(woken.result.Messages?.[0]?.Body).toBe("queue wait");
    expect(woken.ms).toBeLessThan(1900);
  });

  it("short-polls when the request says WaitTimeSeconds=0, whatever the queue's setting", async () => {
    const QueueUrl = await createQueue({ ReceiveMessageWaitTimeSeconds: "5" });
    const { result, ms } = await timed(() => sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 })));
    expect(result.Messages).toBeUndefined();
    expect(ms).toBeLessThan(2000);
  });

  it("answers when a delayed message becomes visible", async () => {
    const QueueUrl = await createQueue();
    await sender.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "delayed", DelaySeconds: 1 }));
    const { result, ms } = await timed(() => sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 })));
    expect(result.Messages?.[0]?.Body).toBe("delayed");
    expect(ms).toBeGreaterThanOrEqual(500);
    expect(ms).toBeLessThan(3000);
  });

  it("answers when a message sent with a delay during the wait becomes visible", async () => {
    const QueueUrl = await createQueue();
    const poll = timed(() => sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 6 })));
    await sleep(300);
    await sender.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "delayed later", DelaySeconds: 1 }));
    const { result, ms } = await poll;
    expect(result.Messages?.[0]?.Body).toBe("delayed later");
    expect(ms).toBeGreaterThanOrEqual(1200);
    expect(ms).toBeLessThan(3500);
  });

  it("answers when another consumer releases a message with ChangeMessageVisibility 0", async () => {
    const QueueUrl = await createQueue();
    await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "released" }));
    const held = (await sender.send(new sdk.ReceiveMessageCommand({ QueueUrl }))).Messages![0]!;
    const poll = timed(() => sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 })));
    await sleep(800);
    await sender.send(
      new sdk.ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: held.ReceiptHandle, VisibilityTimeout: 0 }),
    );
    const { result, ms } = await poll;
    expect(result.Messages?.[0]?.MessageId).toBe(held.MessageId);
    expect(ms).toBeLessThan(3000);
  });

  it("answers when a message's visibility timeout runs out", async () => {
    const QueueUrl = await createQueue({ VisibilityTimeout: "1" });
    await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "comes back" }));
    const first = (await sender.send(new sdk.ReceiveMessageCommand({ QueueUrl }))).Messages![0]!;
    const { result, ms } = await timed(() => sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 5 })));
    expect(result.Messages?.[0]?.MessageId).toBe(first.MessageId);
    expect(ms).toBeLessThan(3000);
  });

  it("gives concurrent pollers distinct messages", async () => {
    const QueueUrl = await createQueue();
    const pollers = Array.from({ length: 3 }, () => client(sdk));
    const polls = pollers.map((p) => timed(() => p.send(new sdk.ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 8 }))));
    await sleep(800);
    const sentAt = Date.now();
    await sender.send(
      new sdk.SendMessageBatchCommand({
        QueueUrl,
        Entries: ["a", "b", "c"].map((body) => ({ Id: body, MessageBody: body })),
      }),
    );
    const results = await Promise.all(polls);
    const bodies = results.flatMap((r) => r.result.Messages?.map((m) => m.Body) ?? []);
    expect(bodies.sort()).toEqual(["a", "b", "c"]);
    for (const r of results) expect(r.result.Messages).toHaveLength(1);
    expect(Date.now() - sentAt).toBeLessThan(3000);
  });

  it("does not wake for a message sent to another queue", async () => {
    const QueueUrl = await createQueue();
    const other = await createQueue();
    const poll = timed(() => sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2 })));
    await sleep(300);
    await sender.send(new sdk.SendMessageCommand({ QueueUrl: other, MessageBody: "elsewhere" }));
    const { result, ms } = await poll;
    expect(result.Messages).toBeUndefined();
    expect(ms).toBeGreaterThanOrEqual(1900);
  });

  it.each([21, -1])("rejects WaitTimeSeconds %i", async (wait) => {
    const QueueUrl = await createQueue();
    const error = await awsError(() => sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: wait })));
    expect(error).toMatchObject({
      status: 400,
      message: `Value ${wait} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`,
    });
    expect(error.code ?? error.name).toBe("InvalidParameterValue");
  });
});
