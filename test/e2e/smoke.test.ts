import { describe, expect, it } from "vitest";
import { client, protocols, uniqueName } from "./clients";

describe.each(protocols)("SQS over $name", ({ sdk }) => {
  it("creates a queue, sends, receives and deletes a message", async () => {
    const sqs = client(sdk);
    const { QueueUrl } = await sqs.send(new sdk.CreateQueueCommand({ QueueName: uniqueName("smoke") }));
    const sent = await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "hello" }));
    expect(sent.MD5OfMessageBody).toBe("5d41402abc4b2a76b9719d911017c592");
    const { Messages } = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl }));
    expect(Messages?.[0]?.Body).toBe("hello");
    await sqs.send(new sdk.DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle }));
    const again = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl }));
    expect(again.Messages).toBeUndefined();
  });
});
