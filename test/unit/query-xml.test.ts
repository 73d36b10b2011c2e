/**
 * Query-protocol XML responses with the real SQS shapes: resultWrapper, flattened lists and maps with
 * their query names, base64 binaries, and SQS's escaping (`"` as &quot;, CR as &#xD;).
 */
import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import { encodeXmlResponse } from "../../src/protocol/query";
import { sqsModel } from "../../src/services/sqs/shapes/model";

const NS = "http://queue.amazonaws.com/doc/2012-11-05/";
const QUEUE_URL = "http://localhost:4566/000000000000/q";

describe("XML output", () => {
  const xml = (operation: string, output: Record<string, unknown>) =>
    encodeXmlResponse(operation, sqsModel.operations[operation]!, output, "req-1", NS);
  const envelope = (operation: string, inner: string) =>
    `<?xml version="1.0"?><${operation}Response xmlns="${NS}">${inner}<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></${operation}Response>`;

  it("wraps the result in the operation's resultWrapper", () => {
    expect(xml("CreateQueue", { QueueUrl: QUEUE_URL })).toBe(
      envelope("CreateQueue", `<CreateQueueResult><QueueUrl>${QUEUE_URL}</QueueUrl></CreateQueueResult>`),
    );
  });

  it("answers operations without output with ResponseMetadata only", () => {
    expect(xml("DeleteMessage", {})).toBe(envelope("DeleteMessage", ""));
  });

  it("writes flattened lists as repeated elements (ListQueues)", () => {
    expect(xml("ListQueues", { QueueUrls: ["u1", "u2"] })).toBe(
      envelope("ListQueues", "<ListQueuesResult><QueueUrl>u1</QueueUrl><QueueUrl>u2</QueueUrl></ListQueuesResult>"),
    );
    expect(xml("ListQueues", {})).toBe(envelope("ListQueues", "<ListQueuesResult></ListQueuesResult>"));
  });

  it("writes flattened maps as Attribute/Name/Value and Tag/Key/Value", () => {
    expect(xml("GetQueueAttributes", { Attributes: { DelaySeconds: "0", VisibilityTimeout: "30" } })).toBe(
      envelope(
        "GetQueueAttributes",
        "<GetQueueAttributesResult><Attribute><Name>DelaySeconds</Name><Value>0</Value></Attribute>" +
          "<Attribute><Name>VisibilityTimeout</Name><Value>30</Value></Attribute></GetQueueAttributesResult>",
      ),
    );
    expect(xml("ListQueueTags", { Tags: { team: "core" } })).toBe(
      envelope("ListQueueTags", "<ListQueueTagsResult><Tag><Key>team</Key><Value>core</Value></Tag></ListQueueTagsResult>"),
    );
  });

  it("writes ReceiveMessage messages with system attributes, message attributes and base64 binaries", () => {
    const out = xml("ReceiveMessage", {
      Messages: [
        {
          MessageId: "m1",
          ReceiptHandle: "rh",
          MD5OfBody: "6e2baaf3b97dbeef01c0043275f9a0e7",
          Body: "msg",
          Attributes: { SenderId: "000000000000" },
          MD5OfMessageAttributes: "x",
          MessageAttributes: {
            s: { DataType: "String", StringValue: "v" },
            b: { DataType: "Binary", BinaryValue: Uint8Array.of(0, 1, 255) },
          },
        },
      ],
    });
    expect(out).toBe(
      envelope(
        "ReceiveMessage",
        "<ReceiveMessageResult><Message><MessageId>m1</MessageId><ReceiptHandle>rh</ReceiptHandle>" +
          "<MD5OfBody>6e2baaf3b97dbeef01c0043275f9a0e7</MD5OfBody><Body>msg</Body>" +
          "<Attribute><Name>SenderId</Name><Value>000000000000</Value></Attribute>" +
          "<MD5OfMessageAttributes>x</MD5OfMessageAttributes>" +
          "<MessageAttribute><Name>s</Name><Value><StringValue>v</StringValue><DataType>String</DataType></Value></MessageAttribute>" +
          `<MessageAttribute><Name>b</Name><Value><BinaryValue>${Buffer.from([0, 1, 255]).toString("base64")}</BinaryValue>` +
          "<DataType>Binary</DataType></Value></MessageAttribute></Message></ReceiveMessageResult>",
      ),
    );
    expect(xml("ReceiveMessage", { Messages: [] })).toBe(
      envelope("ReceiveMessage", "<ReceiveMessageResult></ReceiveMessageResult>"),
    );
  });

  it("writes batch results with their entry element names and booleans as text", () => {
    expect(
      xml("SendMessageBatch", {
        Successful: [{ Id: "a", MessageId: "m", MD5OfMessageBody: "d" }],
        Failed: [{ Id: "b", SenderFault: true, Code: "InvalidMessageContents", Message: "bad" }],
      }),
    ).toBe(
      envelope(
        "SendMessageBatch",
        "<SendMessageBatchResult><SendMessageBatchResultEntry><Id>a</Id><MessageId>m</MessageId><MD5OfMessageBody>d</MD5OfMessageBody></SendMessageBatchResultEntry>" +
          "<BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault><Code>InvalidMessageContents</Code><Message>bad</Message></BatchResultErrorEntry></SendMessageBatchResult>",
      ),
    );
  });

  it("escapes & < > \" and carriage returns (as &#xD;) in text, leaves ' \\n \\t alone", () => {
    const out = xml("ReceiveMessage", { Messages: [{ MessageId: "m", Body: "a & b < c > d \" e ' f\r\n\tg" }] });
    expect(out).toContain("<Body>a &amp; b &lt; c &gt; d &quot; e ' f&#xD;\n\tg</Body>");
  });

  it("escapes map keys and values too", () => {
    expect(xml("ListQueueTags", { Tags: { "a&b": "<v>" } })).toContain("<Tag><Key>a&amp;b</Key><Value>&lt;v&gt;</Value></Tag>");
  });
});
