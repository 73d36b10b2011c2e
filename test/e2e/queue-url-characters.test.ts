/**
 * A QueueUrl with a control character (0x00–0x1F, 0x7F) or a space around or inside the queue name
 * names no queue: queue names allow none of those characters. WHATWG URL parsing strips leading and
 * trailing C0 controls and spaces and every tab and newline, so such a URL once resolved to the real
 * queue and DeleteQueue or PurgeQueue acted on it (issue 9). Every action that takes a QueueUrl,
 * over both protocols, must answer exactly as for a queue that does not exist and touch nothing:
 * the queue's messages (one visible, one in flight whose receipt handle the requests carry),
 * attributes, policy and tags stay as they were.
 */
import * as sdk from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { sqsModel } from "../../src/services/sqs/shapes/model";
import { client, uniqueName } from "./clients";
import { expectError, form, jsonCall, queryCall, type RawResponse } from "./raw";
import { noSuchQueueMessage } from "./wire-errors";

const sqs = () => client(sdk);

let queueUrl: string;
let handle: string;
let before: { attributes: Record<string, string>; tags: Record<string, string> };

const snapshot = async () => {
  const { Attributes } = await sqs().send(new sdk.GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["All"] }));
  const { Tags } = await sqs().send(new sdk.ListQueueTagsCommand({ QueueUrl: queueUrl }));
  return { attributes: Attributes ?? {}, tags: Tags ?? {} };
};

beforeAll(async () => {
  queueUrl = (
    await sqs().send(
      new sdk.CreateQueueCommand({
        QueueName: uniqueName("url-chars"),
        Attributes: { VisibilityTimeout: "45", MaximumMessageSize: "2048" },
        tags: { keep: "me" },
      }),
    )
  ).QueueUrl!;
  await sqs().send(
    new sdk.AddPermissionCommand({
      QueueUrl: queueUrl,
      Label: "keep",
      AWSAccountIds: ["111111111111"],
      Actions: ["SendMessage"],
    }),
  );
  await sqs().send(new sdk.SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "in flight" }));
  const { Messages } = await sqs().send(new sdk.ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 3600 }));
  handle = Messages![0]!.ReceiptHandle!;
  await sqs().send(new sdk.SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "visible" }));
  before = await snapshot();
  expect(before.attributes).toMatchObject({ ApproximateNumberOfMessages: "1", ApproximateNumberOfMessagesNotVisible: "1" });
  expect(before.attributes.Policy).toContain('"Sid":"keep"');
});

const CHARACTERS = [...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)), "\x7f", " "];

/** The queue's URL with `c` inside the queue name, after it, and before the whole URL. */
function badUrls(c: string): string[] {
  const cut = queueUrl.lastIndexOf("/") + 4;
  return [`${queueUrl.slice(0, cut)}${c}${queueUrl.slice(cut)}`, `${queueUrl}${c}`, `${c}${queueUrl}`];
}

/** Each action's other parameters: valid, and such that acting on the real queue would show. */
const JSON_PARAMETERS: Record<string, () => Record<string, unknown>> = {
  AddPermission: () => ({ Label: "added", AWSAccountIds: ["222222222222"], Actions: ["ReceiveMessage"] }),
  ChangeMessageVisibility: () => ({ ReceiptHandle: handle, VisibilityTimeout: 0 }),
  ChangeMessageVisibilityBatch: () => ({ Entries: [{ Id: "a", ReceiptHandle: handle, VisibilityTimeout: 0 }] }),
  DeleteMessage: () => ({ ReceiptHandle: handle }),
  DeleteMessageBatch: () => ({ Entries: [{ Id: "a", ReceiptHandle: handle }] }),
  DeleteQueue: () => ({}),
  GetQueueAttributes: () => ({ AttributeNames: ["All"] }),
  ListDeadLetterSourceQueues: () => ({}),
  ListQueueTags: () => ({}),
  PurgeQueue: () => ({}),
  ReceiveMessage: () => ({ MaxNumberOfMessages: 10, VisibilityTimeout: 3600 }),
  RemovePermission: () => ({ Label: "keep" }),
  SendMessage: () => ({ MessageBody: "sent" }),
  SendMessageBatch: () => ({ Entries: [{ Id: "a", MessageBody: "sent" }] }),
  SetQueueAttributes: () => ({ Attributes: { VisibilityTimeout: "99" } }),
  TagQueue: () => ({ Tags: { added: "tag" } }),
  UntagQueue: () => ({ TagKeys: ["keep"] }),
};

/** The same parameters as query-protocol form fields. */
const QUERY_PARAMETERS: Record<string, () => Record<string, string>> = {
  AddPermission: () => ({ Label: "added", "AWSAccountId.1": "222222222222", "ActionName.1": "ReceiveMessage" }),
  ChangeMessageVisibility: () => ({ ReceiptHandle: handle, VisibilityTimeout: "0" }),
  ChangeMessageVisibilityBatch: () => ({
    "ChangeMessageVisibilityBatchRequestEntry.1.Id": "a",
    "ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle": handle,
    "ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout": "0",
  }),
  DeleteMessage: () => ({ ReceiptHandle: handle }),
  DeleteMessageBatch: () => ({
    "DeleteMessageBatchRequestEntry.1.Id": "a",
    "DeleteMessageBatchRequestEntry.1.ReceiptHandle": handle,
  }),
  DeleteQueue: () => ({}),
  GetQueueAttributes: () => ({ "AttributeName.1": "All" }),
  ListDeadLetterSourceQueues: () => ({}),
  ListQueueTags: () => ({}),
  PurgeQueue: () => ({}),
  ReceiveMessage: () => ({ MaxNumberOfMessages: "10", VisibilityTimeout: "3600" }),
  RemovePermission: () => ({ Label: "keep" }),
  SendMessage: () => ({ MessageBody: "sent" }),
  SendMessageBatch: () => ({ "SendMessageBatchRequestEntry.1.Id": "a", "SendMessageBatchRequestEntry.1.MessageBody": "sent" }),
  SetQueueAttributes: () => ({ "Attribute.1.Name": "VisibilityTimeout", "Attribute.1.Value": "99" }),
  TagQueue: () => ({ "Tag.1.Key": "added", "Tag.1.Value": "tag" }),
  UntagQueue: () => ({ "TagKey.1": "keep" }),
};

const send = (protocol: "json" | "query", action: string, url: string): Promise<RawResponse> =>
  protocol === "json"
    ? jsonCall(action, { QueueUrl: url, ...JSON_PARAMETERS[action]!() })
    : queryCall(form({ Action: action, QueueUrl: url, ...QUERY_PARAMETERS[action]!() }));

const label = (c: string) => `0x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;

it("covers every action that takes a QueueUrl", () => {
  const actions = Object.entries(sqsModel.operations).filter(([, op]) => "QueueUrl" in op.input.members);
  expect(Object.keys(JSON_PARAMETERS)).toEqual(actions.map(([name]) => name).sort());
  expect(Object.keys(QUERY_PARAMETERS)).toEqual(Object.keys(JSON_PARAMETERS));
});

describe.each(["json", "query"] as const)("%s: a QueueUrl with a control character or a space names no queue", (protocol) => {
  it.each(Object.keys(JSON_PARAMETERS))("%s answers NonExistentQueue and touches nothing", async (action) => {
    const urls = CHARACTERS.flatMap((c) =>
      badUrls(c).map((url, i) => ({ url, where: `${label(c)} ${["inside", "after", "before"][i]}` })),
    );
    // A few at a time: the machine is shared, and the snapshot afterwards sees whatever any of them did.
    for (let i = 0; i < urls.length; i += 6) {
      await Promise.all(
        urls.slice(i, i + 6).map(async ({ url, where }) => {
          const response = await send(protocol, action, url);
          expect({ where, status: response.status, text: response.text }).toMatchObject({ where, status: 400 });
          expectError(protocol, response, {
            status: 400,
            code: "AWS.SimpleQueueService.NonExistentQueue",
            type: "com.amazonaws.sqs#QueueDoesNotExist",
            message: noSuchQueueMessage(protocol),
          });
        }),
      );
    }
    expect(await snapshot()).toEqual(before);
  });
});

it("the queue's messages are the ones it had", async () => {
  const { Messages } = await sqs().send(new sdk.ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
  expect(Messages?.map((m) => m.Body)).toEqual(["visible"]);
});
