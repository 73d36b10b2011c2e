/**
 * Client mistakes no SDK would make, sent as raw HTTP (checks shared by both protocols): each gets AWS's error for its wire
 * protocol (status, code, `__type` / `<ErrorResponse>`, `x-amzn-query-error`, request id), never a 500
 * or a stack trace, and leaves stored data as it was. Texts: ../shared/reference/sqs.md §2, §3.16,
 * notes/sqs-error-texts.md §14–16, and LocalStack's AWS-validated TestSqsQueryApi.
 */
import * as sdk from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { uniqueName } from "./clients";
import { guardedQueue, missing, sqs, type GuardedQueue } from "./bad-input-fixture";
import { expectError, expectNoInternals, form, jsonCall, queryCall, type RawResponse } from "./raw";

let guarded: GuardedQueue;
let queueUrl: string;
const attributes = (url?: string) => guarded.attributes(url);
const expectUntouched = () => guarded.expectUntouched();

beforeAll(async () => {
  guarded = await guardedQueue();
  queueUrl = guarded.url;
});

describe.each(["json", "query"] as const)("%s: shared checks", (protocol) => {
  const call = (operation: string, input: Record<string, string>): Promise<RawResponse> =>
    protocol === "json" ? jsonCall(operation, input) : queryCall(form({ Action: operation, ...input }));

  it("missing QueueUrl → MissingParameter", async () => {
    expectError(protocol, await call("SendMessage", { MessageBody: "x" }), missing("QueueUrl"));
    expectError(protocol, await call("GetQueueAttributes", {}), missing("QueueUrl"));
  });

  it("missing MessageBody / ReceiptHandle → MissingParameter", async () => {
    expectError(protocol, await call("SendMessage", { QueueUrl: queueUrl }), missing("MessageBody"));
    expectError(protocol, await call("DeleteMessage", { QueueUrl: queueUrl }), missing("ReceiptHandle"));
    await expectUntouched();
  });

  it("missing QueueName → MissingParameter, no queue created", async () => {
    expectError(protocol, await call("CreateQueue", {}), missing("QueueName"));
  });

  it.each(["garbage", "AQEB" + "x".repeat(300), 'a"<b>&c', "MTE~abc"])(
    "garbage receipt handle %s → ReceiptHandleIsInvalid 404",
    async (handle) => {
      const res = await call("DeleteMessage", { QueueUrl: queueUrl, ReceiptHandle: handle });
      expectError(protocol, res, {
        status: 404,
        code: "ReceiptHandleIsInvalid",
        type: "com.amazonaws.sqs#ReceiptHandleIsInvalid",
        message: `The input receipt handle "${handle}" is not a valid receipt handle.`,
      });
      await expectUntouched();
    },
  );

  it("a garbage handle fails alone in DeleteMessageBatch", async () => {
    const url = (await sqs().send(new sdk.CreateQueueCommand({ QueueName: uniqueName("bad-batch") }))).QueueUrl!;
    await sqs().send(new sdk.SendMessageCommand({ QueueUrl: url, MessageBody: "a" }));
    const { Messages } = await sqs().send(new sdk.ReceiveMessageCommand({ QueueUrl: url }));
    const good = Messages![0]!.ReceiptHandle!;
    const entries =
      protocol === "json"
        ? jsonCall("DeleteMessageBatch", {
            QueueUrl: url,
            Entries: [
              { Id: "bad", ReceiptHandle: "garbage" },
              { Id: "good", ReceiptHandle: good },
            ],
          } as unknown as Record<string, string>)
        : queryCall(
            form({
              Action: "DeleteMessageBatch",
              QueueUrl: url,
              "DeleteMessageBatchRequestEntry.1.Id": "bad",
              "DeleteMessageBatchRequestEntry.1.ReceiptHandle": "garbage",
              "DeleteMessageBatchRequestEntry.2.Id": "good",
              "DeleteMessageBatchRequestEntry.2.ReceiptHandle": good,
            }),
          );
    const res = await entries;
    expect(res.status, res.text).toBe(200);
    if (protocol === "json") {
      const body = JSON.parse(res.text) as {
        Successful: { Id: string }[];
        Failed: { Id: string; Code: string; SenderFault: boolean }[];
      };
      expect(body.Successful.map((s) => s.Id)).toEqual(["good"]);
      expect(body.Failed).toHaveLength(1);
      expect(body.Failed[0]).toMatchObject({ Id: "bad", Code: "ReceiptHandleIsInvalid", SenderFault: true });
    } else {
      expect(res.text).toMatch(/<DeleteMessageBatchResultEntry><Id>good<\/Id><\/DeleteMessageBatchResultEntry>/);
      expect(res.text).toMatch(/<BatchResultErrorEntry>.*<Id>bad<\/Id>.*<\/BatchResultErrorEntry>/);
      expect(res.text).toMatch(/<Code>ReceiptHandleIsInvalid<\/Code>/);
      expect(res.text).toMatch(/<SenderFault>true<\/SenderFault>/);
    }
    expect((await attributes(url)).ApproximateNumberOfMessagesNotVisible).toBe("0");
  });

  it("a forbidden character in a message body → InvalidMessageContents, nothing sent", async () => {
    const res = await call("SendMessage", { QueueUrl: queueUrl, MessageBody: "a\u0001b" });
    expectError(protocol, res, {
      status: 400,
      code: "InvalidMessageContents",
      type: "com.amazonaws.sqs#InvalidMessageContents",
      message:
        "Invalid binary character '#x1' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].",
    });
    await expectUntouched();
  });

  it("a non-numeric queue attribute → InvalidAttributeValue, attributes unchanged", async () => {
    const input =
      protocol === "json"
        ? ({ QueueUrl: queueUrl, Attributes: { VisibilityTimeout: "abc" } } as unknown as Record<string, string>)
        : { QueueUrl: queueUrl, "Attribute.1.Name": "VisibilityTimeout", "Attribute.1.Value": "abc" };
    const res = await call("SetQueueAttributes", input);
    expectError(protocol, res, {
      status: 400,
      code: "InvalidAttributeValue",
      type: "com.amazonaws.sqs#InvalidAttributeValue",
      message: "Invalid value for the parameter VisibilityTimeout.",
    });
    await expectUntouched();
  });

  it("an oversized body (> 16 MiB) → 413", async () => {
    const huge = "x".repeat(16 * 1024 * 1024 + 10);
    const res =
      protocol === "json"
        ? await jsonCall("SendMessage", { QueueUrl: queueUrl, MessageBody: huge })
        : await queryCall(form({ Action: "SendMessage", QueueUrl: queueUrl, MessageBody: huge }));
    // AWS's own front answers this in plain text, not in the protocol's error shape; the service
    // answers in its protocol, with the code of src/protocol/dispatch.ts.
    expectError(protocol, res, { status: 413, code: "RequestEntityTooLarge" });
    await expectUntouched();
  });

  it("an oversized body without Content-Length (chunked) → 413", async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(0x78);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 17) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const headers: Record<string, string> =
      protocol === "json"
        ? { "content-type": "application/x-amz-json-1.0", "x-amz-target": "AmazonSQS.SendMessage" }
        : { "content-type": "application/x-www-form-urlencoded" };
    const response = await fetch(`${new URL(queueUrl).origin}/`, {
      method: "POST",
      headers,
      body: stream,
      duplex: "half",
    } as RequestInit);
    const res = { status: response.status, headers: response.headers, text: await response.text() };
    expect(res.status, res.text.slice(0, 300)).toBe(413);
    expectNoInternals(res.text);
    expect(res.headers.get("x-amzn-requestid")).toBeTruthy();
    await expectUntouched();
  });
});
