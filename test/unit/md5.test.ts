/**
 * MD5OfMessageBody / MD5OfMessageAttributes / MD5OfMessageSystemAttributes against digests recorded
 * from real AWS (../shared/aws-recordings/sqs/test_sqs.snapshot.json, ../shared/reference/sqs.md §3.7).
 */
import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import { md5Hex, md5OfAttributes, type AttributeValue } from "../../src/domain/sqs/md5";

const str = (value: string, type = "String"): AttributeValue => ({ DataType: type, StringValue: value });
const bin = (value: Uint8Array, type = "Binary"): AttributeValue => ({ DataType: type, BinaryValue: value });

// test_receive_message_message_attribute_names_filters: one message, received with different filters.
const general = str("Kenobi");
const hello = str("There");
const helpMe = str("Me");

describe("md5OfAttributes (AWS-recorded digests)", () => {
  it.each<[string, Record<string, AttributeValue>, string]>([
    [
      "General, Hello, Help.Me (send response and 'All')",
      { General: general, Hello: hello, "Help.Me": helpMe },
      "4c360f3fdafd970e05fae2f149d997f5",
    ],
    ["General, Hello (only_existing)", { General: general, Hello: hello }, "fca026605781cb4126a1e9044df24232"],
    ["Hello (existing_and_non_existing)", { Hello: hello }, "a311262e065454b75da111d535b8dacd"],
    ["Hello, Help.Me (prefix_filter Hel.*)", { Hello: hello, "Help.Me": helpMe }, "83fee93c1bcd8b9a5a923ffacdc636c7"],
    ["Foo=Bar (test_receive_message_attribute_names_filters)", { Foo: str("Bar") }, "ae7155c6026991b6d54b11589678bf9c"],
    [
      "MyAttribute=foobar (test_dead_letter_queue_message_attributes)",
      { MyAttribute: str("foobar") },
      "adb59cd4678ea5a855436b949cd07ab6",
    ],
    [
      "binary attr1 (test_send_message_with_binary_attributes)",
      { attr1: bin(Buffer.from("traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01", "latin1")) },
      "8cbe4db156db8a94db8b801b7addb984",
    ],
    [
      "system attribute AWSTraceHeader (test_system_attributes_have_no_effect_on_attr_md5)",
      { AWSTraceHeader: str("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1") },
      "5ae4d5d7636402d80f4eb6d213245a88",
    ],
  ])("%s", (_, attributes, digest) => {
    expect(md5OfAttributes(attributes)).toBe(digest);
  });

  it("sorts by name, so insertion order does not matter", () => {
    expect(md5OfAttributes({ "Help.Me": helpMe, Hello: hello, General: general })).toBe("4c360f3fdafd970e05fae2f149d997f5");
  });

  it("is absent when there are no attributes (AWS omits MD5OfMessageAttributes)", () => {
    expect(md5OfAttributes(undefined)).toBeUndefined();
    expect(md5OfAttributes({})).toBeUndefined();
  });
});

describe("md5OfAttributes (the documented encoding)", () => {
  /** The developer guide's algorithm spelled out byte by byte, to pin down the cases AWS recordings lack. */
  function reference(attributes: Record<string, AttributeValue>): string {
    const parts: Buffer[] = [];
    const withLength = (bytes: Buffer) => {
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      parts.push(length, bytes);
    };
    for (const name of Object.keys(attributes).sort()) {
      const value = attributes[name]!;
      withLength(Buffer.from(name, "utf8"));
      withLength(Buffer.from(value.DataType, "utf8"));
      if (value.BinaryValue) {
        parts.push(Buffer.from([2]));
        withLength(Buffer.from(value.BinaryValue));
      } else {
        parts.push(Buffer.from([1]));
        withLength(Buffer.from(value.StringValue!, "utf8"));
      }
    }
    return md5Hex(Buffer.concat(parts));
  }

  it.each<[string, Record<string, AttributeValue>]>([
    ["Number with a custom type suffix", { price: str("12.50", "Number.float") }],
    ["String with a custom type suffix", { kind: str("x", "String.json") }],
    ["multi-byte UTF-8 names and values", { Grüße: str("日本語 🎉") }],
    ["binary bytes that are not UTF-8", { raw: bin(Uint8Array.of(0xff, 0x00, 0xfe, 0x80)) }],
    ["mixed types", { b: bin(Uint8Array.of(1, 2, 3)), a: str("1", "Number"), c: str("c") }],
    ["code-unit order of names (upper case before lower case)", { a: str("1"), B: str("2"), _: str("3") }],
  ])("%s", (_, attributes) => {
    expect(md5OfAttributes(attributes)).toBe(reference(attributes));
  });

  it("distinguishes a Number from a String with the same text (the type is hashed)", () => {
    expect(md5OfAttributes({ n: str("1", "Number") })).not.toBe(md5OfAttributes({ n: str("1") }));
  });

  it("distinguishes a Binary from a String with the same bytes (transport byte 2 vs 1)", () => {
    const asString = md5OfAttributes({ v: { DataType: "String", StringValue: "abc" } });
    const asBinary = md5OfAttributes({ v: { DataType: "String", BinaryValue: Buffer.from("abc") } });
    expect(asString).not.toBe(asBinary);
  });
});

describe("md5Hex (MD5OfMessageBody, AWS-recorded)", () => {
  it.each([
    ["message", "78e731027d8fd50ed642340b7c9a63b3"],
    ["msg", "6e2baaf3b97dbeef01c0043275f9a0e7"],
    ["test", "098f6bcd4621d373cade4e832627b4f6"],
    ["message-1", "3d6b824fd8c1520e9a047d21fee6fb1f"],
    ["message-2", "95ef155b66299d14edf7ed57c468c13b"],
    ["a", "0cc175b9c0f1b6a831c399e269772661"],
  ])("%j → %s", (body, digest) => {
    expect(md5Hex(body)).toBe(digest);
  });

  it("hashes strings as UTF-8 and bytes as they are", () => {
    expect(md5Hex("é")).toBe(md5Hex(Uint8Array.of(0xc3, 0xa9)));
    expect(md5Hex("")).toBe("d41d8cd98f00b204e9800998ecf8427e");
  });
});
