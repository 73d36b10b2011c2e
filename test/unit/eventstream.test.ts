/**
 * `application/vnd.amazon.eventstream` frames: AWS's published test vectors (aws-c-event-stream /
 * aws-sdk-go-v2 `testdata/encoded/positive`), and both directions cross-checked against the codec
 * the AWS SDK itself decodes SubscribeToShard responses with.
 */
import { EventStreamCodec } from "@smithy/core/event-streams";
import { describe, expect, it } from "vitest";
import {
  crc32,
  decodeMessage,
  encodeMessage,
  eventMessage,
  EventStreamError,
  exceptionMessage,
  headerString,
  MessageSplitter,
  readMessages,
} from "../../src/protocol/eventstream";

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
const text = (s: string) => new TextEncoder().encode(s);
const utf8 = (b: Uint8Array) => new TextDecoder().decode(b);

const FOO_BAR = "{'foo':'bar'}";
const VECTORS = {
  empty_message: "000000100000000005c248eb7d98c8ff",
  payload_no_headers: "0000001d00000000fd528c5a7b27666f6f273a27626172277dc3653936",
  payload_one_str_header:
    "0000003d0000002007fd83960c636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e7b27666f6f273a27626172277d8d9c08b1",
  int32_header: "0000002d0000001041c424b80a6576656e742d74797065040000a00c7b27666f6f273a27626172277d36f480a0",
};

const sdkCodec = new EventStreamCodec(
  (b) => new TextDecoder().decode(b),
  (s) => new TextEncoder().encode(s),
);

describe("crc32", () => {
  it("matches the standard check value", () => {
    expect(crc32(text("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it("continues across pieces", () => {
    const all = text("hello, event stream");
    expect(crc32(all.subarray(7), crc32(all.subarray(0, 7)))).toBe(crc32(all));
  });
});

describe("encoding", () => {
  it("reproduces the AWS test vectors", () => {
    expect(encodeMessage({}, new Uint8Array())).toEqual(hex(VECTORS.empty_message));
    expect(encodeMessage({}, text(FOO_BAR))).toEqual(hex(VECTORS.payload_no_headers));
    expect(encodeMessage({ "content-type": "application/json" }, text(FOO_BAR))).toEqual(hex(VECTORS.payload_one_str_header));
  });

  it("gives the same bytes as the SDK's codec", () => {
    const headers = { ":event-type": "SubscribeToShardEvent", ":content-type": "application/json", ":message-type": "event" };
    const body = text('{"Records":[],"ContinuationSequenceNumber":"1","MillisBehindLatest":0}');
    const sdkHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, { type: "string" as const, value: v }]));
    expect(eventMessage("SubscribeToShardEvent", body)).toEqual(sdkCodec.encode({ headers: sdkHeaders, body }));
  });

  it("encodes non-ASCII header values and large payloads", () => {
    const body = new Uint8Array(300_000).map((_, i) => i & 0xff);
    const message = encodeMessage({ ":event-type": "Ereignis-ü" }, body);
    const decoded = sdkCodec.decode(message);
    expect(decoded.headers[":event-type"]).toEqual({ type: "string", value: "Ereignis-ü" });
    expect(decoded.body).toEqual(body);
  });

  it("refuses header names over 255 bytes", () => {
    expect(() => encodeMessage({ ["x".repeat(256)]: "v" }, new Uint8Array())).toThrow(RangeError);
  });
});

describe("decoding", () => {
  it("reads the AWS test vectors", () => {
    expect(decodeMessage(hex(VECTORS.empty_message))).toEqual({ headers: {}, body: new Uint8Array() });
    const one = decodeMessage(hex(VECTORS.payload_one_str_header));
    expect(one.headers).toEqual({ "content-type": { type: "string", value: "application/json" } });
    expect(utf8(one.body)).toBe(FOO_BAR);
    expect(decodeMessage(hex(VECTORS.int32_header)).headers).toEqual({ "event-type": { type: "integer", value: 0xa00c } });
  });

  it("reads every header type the SDK can write", () => {
    const bytes = sdkCodec.encode({
      headers: {
        t: { type: "boolean", value: true },
        f: { type: "boolean", value: false },
        b: { type: "byte", value: -3 },
        s: { type: "short", value: 1234 },
        i: { type: "integer", value: -70000 },
        bin: { type: "binary", value: Uint8Array.from([1, 2, 3]) },
        str: { type: "string", value: "ok" },
        ts: { type: "timestamp", value: new Date(1_700_000_000_123) },
        id: { type: "uuid", value: "01234567-89ab-cdef-0123-456789abcdef" },
      },
      body: new Uint8Array(),
    });
    expect(decodeMessage(bytes).headers).toEqual({
      t: { type: "boolean", value: true },
      f: { type: "boolean", value: false },
      b: { type: "byte", value: -3 },
      s: { type: "short", value: 1234 },
      i: { type: "integer", value: -70000 },
      bin: { type: "binary", value: Uint8Array.from([1, 2, 3]) },
      str: { type: "string", value: "ok" },
      ts: { type: "timestamp", value: new Date(1_700_000_000_123) },
      id: { type: "uuid", value: "01234567-89ab-cdef-0123-456789abcdef" },
    });
  });

  it.each([
    ["a corrupted length", (b: Uint8Array) => (b[3] = b[3]! + 1), /length/],
    ["a corrupted prelude", (b: Uint8Array) => (b[7] = 1), /prelude CRC/],
    ["a corrupted header", (b: Uint8Array) => (b[15] = 0x41), /message CRC/],
    ["a corrupted payload", (b: Uint8Array) => (b[b.length - 6] = 0x41), /message CRC/],
  ])("rejects %s", (_name, corrupt, error) => {
    const bytes = hex(VECTORS.payload_one_str_header);
    corrupt(bytes);
    expect(() => decodeMessage(bytes)).toThrow(error);
  });

  it("rejects a message shorter than its frame", () => {
    expect(() => decodeMessage(new Uint8Array(8))).toThrow(EventStreamError);
  });
});

describe("event and exception messages", () => {
  it("carry the headers the SDK's unmarshaller dispatches on", () => {
    const event = decodeMessage(eventMessage("initial-response", text("{}")));
    expect(headerString(event, ":message-type")).toBe("event");
    expect(headerString(event, ":event-type")).toBe("initial-response");
    expect(headerString(event, ":content-type")).toBe("application/json");

    const failure = decodeMessage(exceptionMessage("ResourceInUseException", text('{"message":"taken over"}')));
    expect(headerString(failure, ":message-type")).toBe("exception");
    expect(headerString(failure, ":exception-type")).toBe("ResourceInUseException");
    expect(JSON.parse(utf8(failure.body))).toEqual({ message: "taken over" });
  });
});

describe("splitting a byte stream", () => {
  const frames = [
    eventMessage("initial-response", text("{}")),
    eventMessage("SubscribeToShardEvent", text('{"Records":[]}')),
    exceptionMessage("InternalFailureException", text('{"message":"x"}')),
  ];
  const all = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  frames.reduce((at, f) => (all.set(f, at), at + f.length), 0);

  it.each([1, 3, 7, 64, all.length])("finds every message in chunks of %i bytes", (size) => {
    const splitter = new MessageSplitter();
    const seen: string[] = [];
    for (let at = 0; at < all.length; at += size)
      for (const m of splitter.push(all.subarray(at, at + size)))
        seen.push(headerString(m, ":event-type") ?? headerString(m, ":exception-type")!);
    expect(seen).toEqual(["initial-response", "SubscribeToShardEvent", "InternalFailureException"]);
    expect(splitter.pending).toBe(0);
  });

  it("reads a streamed body and notices one cut short", async () => {
    const stream = (bytes: Uint8Array) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.length; at += 10) controller.enqueue(bytes.slice(at, at + 10));
          controller.close();
        },
      });
    const messages = [];
    for await (const m of readMessages(stream(all))) messages.push(m);
    expect(messages).toHaveLength(3);

    await expect(async () => {
      for await (const _ of readMessages(stream(all.subarray(0, all.length - 2)))) void _;
    }).rejects.toThrow(/ended inside a message/);
  });
});
