/**
 * Message attributes end to end, over both SQS protocols: every data type (custom suffixes, Binary),
 * MD5OfMessageAttributes / MD5OfMessageSystemAttributes (checked against digests recorded from AWS
 * and against an independent implementation of the documented algorithm), the MessageAttributeNames
 * filters of ReceiveMessage, and attribute validation errors.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { awsError, client, protocols, uniqueName } from "./clients";

type Attribute = { DataType: string; StringValue?: string; BinaryValue?: Uint8Array };

/** The documented digest, written independently of src/: sorted names, length-prefixed fields. */
function referenceMd5(attributes: Record<string, Attribute>): string {
  const hash = createHash("md5");
  const field = (bytes: Uint8Array) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name]!;
    field(Buffer.from(name, "utf8"));
    field(Buffer.from(value.DataType, "utf8"));
    if (value.BinaryValue) {
      hash.update(Buffer.from([2]));
      field(value.BinaryValue);
    } else {
      hash.update(Buffer.from([1]));
      field(Buffer.from(value.StringValue!, "utf8"));
    }
  }
  return hash.digest("hex");
}

const bytes = (text: string) => new Uint8Array(Buffer.from(text, "binary"));

/** Attributes as the SDKs hand them back (Binary as Uint8Array), for comparison. */
const normalize = (attributes: Record<string, Attribute> | undefined) =>
  Object.fromEntries(
    Object.entries(attributes ?? {}).map(([k, v]) => [
      k,
      v.BinaryValue
        ? { DataType: v.DataType, BinaryValue: Buffer.from(v.BinaryValue).toString("hex") }
        : { DataType: v.DataType, StringValue: v.StringValue },
    ]),
  );

const FILTER_ATTRIBUTES = {
  "Help.Me": { DataType: "String", StringValue: "Me" },
  Hello: { DataType: "String", StringValue: "There" },
  General: { DataType: "String", StringValue: "Kenobi" },
};

describe.each(protocols)("message attributes over $name", ({ name, sdk }) => {
  const sqs = client(sdk);
  const createQueue = async (attributes?: Record<string, string>) =>
    (await sqs.send(new sdk.CreateQueueCommand({ QueueName: uniqueName(`attrs-${name}`), Attributes: attributes }))).QueueUrl!;

  it("matches the digests AWS recorded", async () => {
    const QueueUrl = await createQueue({ VisibilityTimeout: "0" });
    const binary = {
      attr1: { DataType: "Binary", BinaryValue: bytes("traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01") },
    };
    const cases: [Record<string, Attribute>, string][] = [
      [binary, "8cbe4db156db8a94db8b801b7addb984"],
      [FILTER_ATTRIBUTES, "4c360f3fdafd970e05fae2f149d997f5"],
      [{ Foo: { DataType: "String", StringValue: "Bar" } }, "ae7155c6026991b6d54b11589678bf9c"],
    ];
    for (const [MessageAttributes, digest] of cases) {
      expect(referenceMd5(MessageAttributes)).toBe(digest);
      const sent = await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "test", MessageAttributes }));
      expect(sent.MD5OfMessageAttributes).toBe(digest);
      expect(sent.MD5OfMessageBody).toBe("098f6bcd4621d373cade4e832627b4f6");
      const { Messages } = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ["All"] }));
      const message = Messages![0]!;
      await sqs.send(new sdk.DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
      expect(message.MD5OfMessageAttributes).toBe(digest);
      expect(normalize(message.MessageAttributes as Record<string, Attribute>)).toEqual(normalize(MessageAttributes));
    }
  });

  it("round-trips every data type, custom type suffixes and non-ASCII values", async () => {
    const QueueUrl = await createQueue();
    const MessageAttributes: Record<string, Attribute> = {
      text: { DataType: "String", StringValue: "héllo wörld 😀 <&> \"q\" 'a'\r\n" },
      count: { DataType: "Number", StringValue: "1614717034367" },
      price: { DataType: "Number.float", StringValue: "-3.14" },
      custom: { DataType: "String.x", StringValue: "custom string" },
      blob: { DataType: "Binary", BinaryValue: new Uint8Array([0, 1, 2, 0xfe, 0xff, 0x80, 10, 13]) },
      image: { DataType: "Binary.gif", BinaryValue: bytes("GIF89a\x00\x01") },
      "dotted.name-with_chars": { DataType: "Number.int", StringValue: "42" },
    };
    const digest = referenceMd5(MessageAttributes);
    const sent = await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "typed", MessageAttributes }));
    expect(sent.MD5OfMessageAttributes).toBe(digest);
    const { Messages } = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ["All"] }));
    expect(Messages![0]!.MD5OfMessageAttributes).toBe(digest);
    expect(normalize(Messages![0]!.MessageAttributes as Record<string, Attribute>)).toEqual(normalize(MessageAttributes));
  });

  it("returns no message attributes unless asked", async () => {
    const QueueUrl = await createQueue();
    await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "msg", MessageAttributes: FILTER_ATTRIBUTES }));
    const { Messages } = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl }));
    expect(Messages![0]!.MessageAttributes).toBeUndefined();
    expect(Messages![0]!.MD5OfMessageAttributes).toBeUndefined();
  });

  it("filters by MessageAttributeNames with the digest of what is returned (recorded from AWS)", async () => {
    const QueueUrl = await createQueue({ VisibilityTimeout: "0" });
    const sent = await sqs.send(
      new sdk.SendMessageCommand({ QueueUrl, MessageBody: "msg", MessageAttributes: FILTER_ATTRIBUTES }),
    );
    expect(sent).toMatchObject({
      MD5OfMessageAttributes: "4c360f3fdafd970e05fae2f149d997f5",
      MD5OfMessageBody: "6e2baaf3b97dbeef01c0043275f9a0e7",
    });
    const receive = async (names: string[]) =>
      (await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: names }))).Messages![0]!;
    const expectations: [string[], string[], string | undefined][] = [
      [[], [], undefined],
      [["All"], ["General", "Hello", "Help.Me"], "4c360f3fdafd970e05fae2f149d997f5"],
      [["*"], ["General", "Hello", "Help.Me"], "4c360f3fdafd970e05fae2f149d997f5"],
      [[".*"], ["General", "Hello", "Help.Me"], "4c360f3fdafd970e05fae2f149d997f5"],
      [["Foo", "Help"], [], undefined],
      [["Hello", "General"], ["General", "Hello"], "fca026605781cb4126a1e9044df24232"],
      [["Foo", "Hello"], ["Hello"], "a311262e065454b75da111d535b8dacd"],
      [["Hel.*"], ["Hello", "Help.Me"], "83fee93c1bcd8b9a5a923ffacdc636c7"],
      [["AWS."], [], undefined],
      [["..foo"], [], undefined],
    ];
    for (const [names, returned, digest] of expectations) {
      const message = await receive(names);
      expect({
        names,
        returned: Object.keys(message.MessageAttributes ?? {}).sort(),
        digest: message.MD5OfMessageAttributes,
      }).toEqual({
        names,
        returned,
        digest,
      });
      expect(message.MD5OfBody).toBe("6e2baaf3b97dbeef01c0043275f9a0e7");
    }
  });

  it("digests AWSTraceHeader separately: MD5OfMessageSystemAttributes, no effect on MD5OfMessageAttributes", async () => {
    const QueueUrl = await createQueue({ VisibilityTimeout: "0" });
    const trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    const MessageSystemAttributes = { AWSTraceHeader: { DataType: "String", StringValue: trace } };
    const only = await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "traced", MessageSystemAttributes }));
    expect(only.MD5OfMessageSystemAttributes).toBe("5ae4d5d7636402d80f4eb6d213245a88");
    expect(only.MD5OfMessageAttributes).toBeUndefined();

    const MessageAttributes = { Foo: { DataType: "String", StringValue: "Bar" } };
    const both = await sqs.send(
      new sdk.SendMessageCommand({ QueueUrl, MessageBody: "traced", MessageSystemAttributes, MessageAttributes }),
    );
    expect(both.MD5OfMessageSystemAttributes).toBe("5ae4d5d7636402d80f4eb6d213245a88");
    expect(both.MD5OfMessageAttributes).toBe("ae7155c6026991b6d54b11589678bf9c");

    const { Messages } = await sqs.send(
      new sdk.ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        AttributeNames: ["AWSTraceHeader" as never],
        MessageAttributeNames: ["All"],
      }),
    );
    expect(Messages).toHaveLength(2);
    for (const message of Messages!) expect(message.Attributes).toEqual({ AWSTraceHeader: trace });
    const withAttributes = Messages!.find((m) => m.MessageAttributes)!;
    expect(withAttributes.MD5OfMessageAttributes).toBe("ae7155c6026991b6d54b11589678bf9c");
    expect(Object.keys(withAttributes.MessageAttributes!)).toEqual(["Foo"]);

    const all = await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl, AttributeNames: ["All"] }));
    expect(all.Messages![0]!.Attributes).toMatchObject({ AWSTraceHeader: trace });
  });

  it("accepts ten attributes", async () => {
    const QueueUrl = await createQueue();
    const MessageAttributes = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`a${i}`, { DataType: "String", StringValue: `v${i}` }]),
    );
    const sent = await sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "ten", MessageAttributes }));
    expect(sent.MD5OfMessageAttributes).toBe(referenceMd5(MessageAttributes));
  });

  const invalid: [string, Record<string, Attribute>, string][] = [
    [
      "an empty String value (recorded from AWS)",
      { ErrorDetails: { DataType: "String", StringValue: "" } },
      "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.",
    ],
    [
      "an unknown data type",
      { invalidAttribute: { DataType: "InvalidType", StringValue: "some value" } },
      "The type of message (user) attribute 'invalidAttribute' is invalid. You must use only the following supported type prefixes: Binary, Number, String.",
    ],
    [
      "eleven attributes",
      Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: "String", StringValue: "v" }])),
      "Number of message attributes [11] exceeds the allowed maximum [10].",
    ],
    [
      "a Number that is not a number",
      { Hello: { DataType: "Number", StringValue: "abc" } },
      "Can't cast the value of message (user) attribute 'Hello' to a number.",
    ],
    [
      "an empty name",
      { "": { DataType: "String", StringValue: "some value" } },
      "The request must contain non-empty message (user) attribute names.",
    ],
    [
      "a name with the reserved prefix AWS.",
      { "AWS.thing": { DataType: "String", StringValue: "v" } },
      "You can't use message attribute names beginning with 'AWS.' or 'Amazon'. These strings are reserved for internal use.",
    ],
    [
      "a name with the reserved prefix amazon. (any case)",
      { "aMaZoN.thing": { DataType: "String", StringValue: "v" } },
      "You can't use message attribute names beginning with 'AWS.' or 'Amazon'. These strings are reserved for internal use.",
    ],
    [
      "a name longer than 256 bytes",
      { ["n".repeat(257)]: { DataType: "String", StringValue: "v" } },
      "Message (user) attribute name must be shorter than 256 bytes.",
    ],
  ];

  it.each(invalid)("rejects %s", async (_label, MessageAttributes, message) => {
    const QueueUrl = await createQueue();
    const error = await awsError(() => sqs.send(new sdk.SendMessageCommand({ QueueUrl, MessageBody: "x", MessageAttributes })));
    expect(error).toMatchObject({ status: 400, message });
    expect(error.code ?? error.name).toBe("InvalidParameterValue");
    expect((await sqs.send(new sdk.ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
  });

  it.each(["bad name", "bad/name", ".leading", "trailing.", "double..dot"])(
    "rejects the attribute name %j",
    async (attributeName) => {
      const QueueUrl = await createQueue();
      const error = await awsError(() =>
        sqs.send(
          new sdk.SendMessageCommand({
            QueueUrl,
            MessageBody: "x",
            MessageAttributes: { [attributeName]: { DataType: "String", StringValue: "v" } },
          }),
        ),
      );
      expect(error.status).toBe(400);
      expect(error.code ?? error.name).toBe("InvalidParameterValue");
    },
  );

  it("rejects list values", async () => {
    const QueueUrl = await createQueue();
    const error = await awsError(() =>
      sqs.send(
        new sdk.SendMessageCommand({
          QueueUrl,
          MessageBody: "x",
          MessageAttributes: { list: { DataType: "String", StringListValues: ["a", "b"] } },
        }),
      ),
    );
    expect(error).toMatchObject({
      status: 400,
      message: "Message attribute list values in SendMessage operation are not supported.",
    });
  });

  it("rejects system attributes other than AWSTraceHeader", async () => {
    const QueueUrl = await createQueue();
    const error = await awsError(() =>
      sqs.send(
        new sdk.SendMessageCommand({
          QueueUrl,
          MessageBody: "x",
          MessageSystemAttributes: { Hello: { DataType: "String", StringValue: "v" } } as never,
        }),
      ),
    );
    expect(error).toMatchObject({ status: 400, message: "Message system attribute name 'Hello' is invalid." });
    expect(error.code ?? error.name).toBe("InvalidParameterValue");
  });
});
