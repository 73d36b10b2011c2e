/**
 * SendMessage rules (src/services/sqs/message-validation.ts): body characters, message attributes,
 * system attributes, ids, delay and size, with AWS's codes and texts (../shared/reference/sqs.md §3.6–3.7,
 * /work/notes/sqs-error-texts.md §1, §8, §19, and the recordings).
 */
import { describe, expect, it } from "vitest";
import type { AttributeValue } from "../../src/domain/sqs/md5";
import {
  messageSize,
  validateBody,
  validateDelaySeconds,
  validateMessageAttributes,
  validateMessageId,
  validateSystemAttributes,
} from "../../src/domain/sqs/message-validation";

const ALLOWED = "#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]";
const invalidContents = (char: string) => ({
  code: "InvalidMessageContents",
  type: "com.amazonaws.sqs#InvalidMessageContents",
  message: `Invalid binary character '${char}' was found in the message body, the set of allowed characters is ${ALLOWED}.`,
});
const invalidParameterValue = (message: string) => ({
  code: "InvalidParameterValue",
  type: "com.amazon.coral.service#InvalidParameterValueException",
  message,
});
const str = (StringValue: string, DataType = "String"): AttributeValue => ({ DataType, StringValue });

describe("message body characters", () => {
  it.each([
    ["tab, LF, CR and printable ASCII", "a\tb\nc\rd ~"],
    ["the edges of the BMP ranges", "\u0020\uD7FF\uE000\uFFFD"],
    ["astral characters (surrogate pairs)", "😀 \u{10000} \u{10FFFF}"],
    ["XML-special characters", `<a href="x">&amp;</a>`],
  ])("accepts %s", (_, body) => {
    expect(validateBody(body)).toBeUndefined();
  });

  it.each([
    ["U+0001", "a\u0001b", "#x1"],
    ["U+0007 (nitro-plugins#437)", "\u0007", "#x7"],
    ["U+0000", "\u0000", "#x0"],
    ["U+001F", "x\u001F", "#x1F"],
    ["U+FFFE", "\uFFFE", "#xFFFE"],
    ["U+FFFF (aistudio#1525)", "ok\uFFFF", "#xFFFF"],
    ["a lone high surrogate", "a\uD800b", "#xD800"],
    ["a lone low surrogate", "\uDC00", "#xDC00"],
    ["a reversed surrogate pair", "\uDE00\uD83D", "#xDE00"],
    ["the first of several offenders", "ok\u0002\u0001\uFFFF", "#x2"],
  ])("rejects %s as InvalidMessageContents naming it", (_, body, char) => {
    expect(validateBody(body)).toEqual(invalidContents(char));
  });

  it("rejects an empty or missing body as MissingParameter (test_send_empty_message)", () => {
    const missing = { code: "MissingParameter", message: "The request must contain the parameter MessageBody." };
    expect(validateBody("")).toMatchObject(missing);
    expect(validateBody(undefined)).toMatchObject(missing);
  });
});

describe("message attributes", () => {
  it.each<[string, Record<string, AttributeValue>]>([
    [
      "String, Number and Binary",
      { s: str("v"), n: str("-1.5e3", "Number"), b: { DataType: "Binary", BinaryValue: Uint8Array.of(0) } },
    ],
    [
      "custom type suffixes",
      { a: str("x", "String.json"), b: str("1", "Number.int"), c: { DataType: "Binary.gif", BinaryValue: Uint8Array.of(1) } },
    ],
    ["names with periods, hyphens, underscores", { "Help.Me": str("x"), "a-b_c.d": str("y") }],
    ["names with umlauts (accepted by AWS, LocalStack constants.py)", { Grüße: str("x") }],
    ["exactly 10 attributes", Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, str("v")]))],
    ["a 256-byte name", { ["n".repeat(256)]: str("v") }],
  ])("accepts %s", (_, attributes) => {
    expect(validateMessageAttributes(attributes)).toBeUndefined();
  });

  it("accepts no attributes", () => {
    expect(validateMessageAttributes(undefined)).toBeUndefined();
    expect(validateMessageAttributes({})).toBeUndefined();
  });

  it.each<[string, Record<string, AttributeValue>, string]>([
    [
      "an empty String value (recorded)",
      { ErrorDetails: str("") },
      "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.",
    ],
    [
      "an unsupported type (Ballerina, real AWS)",
      { invalidAttribute: str("x", "InvalidType") },
      "The type of message (user) attribute 'invalidAttribute' is invalid. You must use only the following supported type prefixes: Binary, Number, String.",
    ],
    [
      "11 attributes",
      Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, str("v")])),
      "Number of message attributes [11] exceeds the allowed maximum [10].",
    ],
    [
      "a Number that is not a number",
      { Hello: str("abc", "Number") },
      "Can't cast the value of message (user) attribute 'Hello' to a number.",
    ],
    ["an empty name", { "": str("v") }, "The request must contain non-empty message (user) attribute names."],
    ["a 257-byte name", { ["n".repeat(257)]: str("v") }, "Message (user) attribute name must be shorter than 256 bytes."],
    [
      "a 257-byte type",
      { t: str("v", `String.${"x".repeat(250)}`) },
      "Message (user) attribute type must be shorter than 256 bytes.",
    ],
    ...(["AWS.trace", "aws.x", "Amazon.x", "AMAZON.x"].map((name) => [
      `the reserved prefix in ${name}`,
      { [name]: str("v") },
      "You can't use message attribute names beginning with 'AWS.' or 'Amazon'. These strings are reserved for internal use.",
    ]) as [string, Record<string, AttributeValue>, string][]),
    [
      "StringListValues",
      { l: { DataType: "String", StringValue: "v", StringListValues: ["a"] } as AttributeValue },
      "Message attribute list values in SendMessage operation are not supported.",
    ],
  ])("rejects %s with AWS's text", (_, attributes, message) => {
    expect(validateMessageAttributes(attributes)).toEqual(invalidParameterValue(message));
  });

  it.each<[string, Record<string, AttributeValue>]>([
    ["a name starting with a period", { ".a": str("v") }],
    ["a name ending with a period", { "a.": str("v") }],
    ["a name with two consecutive periods", { "a..b": str("v") }],
    ["a name with a space", { "a b": str("v") }],
    ["a name with a slash", { "a/b": str("v") }],
    ["an empty Binary value", { b: { DataType: "Binary", BinaryValue: new Uint8Array() } }],
    ["a String attribute with a binary value", { b: { DataType: "String", BinaryValue: Uint8Array.of(1) } }],
    ["a String value with a forbidden character", { s: str("a\u0001") }],
    ["no value at all", { s: { DataType: "String" } }],
    ["a missing DataType", { s: { DataType: "", StringValue: "v" } }],
  ])("rejects %s as InvalidParameterValue", (_, attributes) => {
    expect(validateMessageAttributes(attributes)).toMatchObject({ code: "InvalidParameterValue" });
  });

  describe("Number values: up to 38 significant digits, magnitude 10^-128 to 10^126", () => {
    it.each([
      "0",
      "-0",
      "1",
      "+7",
      "-1.5",
      ".5",
      "5.",
      "1e3",
      "1E-3",
      "12345678901234567890123456789012345678",
      "0.00000000000000000000000000000000000001",
      "1e126",
      "-1e126",
      "1e-128",
      "000123",
    ])("accepts %s", (value) => {
      expect(validateMessageAttributes({ n: str(value, "Number") })).toBeUndefined();
    });

    it.each([
      "",
      "abc",
      "1.2.3",
      "1e",
      "--1",
      "0x10",
      "Infinity",
      "NaN",
      "123456789012345678901234567890123456789",
      "1e127",
      "1e-129",
    ])("rejects %j", (value) => {
      expect(validateMessageAttributes({ n: str(value, "Number") })).toMatchObject({ code: "InvalidParameterValue" });
    });
  });
});

describe("message system attributes", () => {
  it("accepts AWSTraceHeader as a String", () => {
    expect(
      validateSystemAttributes({ AWSTraceHeader: str("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1") }),
    ).toBeUndefined();
    expect(validateSystemAttributes(undefined)).toBeUndefined();
  });

  it("rejects any other name", () => {
    expect(validateSystemAttributes({ Hello: str("x") })).toEqual(
      invalidParameterValue("Message system attribute name 'Hello' is invalid."),
    );
  });

  it("rejects a non-String AWSTraceHeader", () => {
    expect(validateSystemAttributes({ AWSTraceHeader: str("1", "Number") })).toMatchObject({ code: "InvalidParameterValue" });
  });
});

describe("MessageGroupId / MessageDeduplicationId (recorded texts)", () => {
  const reason = (p: string) => `${p} can only include alphanumeric and punctuation characters. 1 to 128 in length.`;

  it.each(["MessageGroupId", "MessageDeduplicationId"])("%s: 1–128 printable ASCII characters", (parameter) => {
    for (const ok of ["g", "a".repeat(128), "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", "Group-1.A_b"]) {
      expect(validateMessageId(parameter, ok)).toBeUndefined();
    }
    expect(validateMessageId(parameter, undefined)).toBeUndefined();
    for (const bad of ["group 123", "", "a".repeat(129), "grüße", "tab\t"]) {
      expect(validateMessageId(parameter, bad)).toEqual(
        invalidParameterValue(`Value ${bad} for parameter ${parameter} is invalid. Reason: ${reason(parameter)}`),
      );
    }
  });
});

describe("DelaySeconds (Ballerina, real AWS)", () => {
  it.each([0, 900, undefined])("accepts %s", (value) => {
    expect(validateDelaySeconds(value)).toBeUndefined();
  });

  it.each([-1, 901, 1000])("rejects %s", (value) => {
    expect(validateDelaySeconds(value)).toEqual(
      invalidParameterValue(
        `Value ${value} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`,
      ),
    );
  });
});

describe("message size (body + attribute names, types and values, in bytes)", () => {
  it("counts UTF-8 bytes of the body and of each attribute's name, type and value", () => {
    expect(messageSize("abc", undefined)).toBe(3);
    expect(messageSize("é😀", undefined)).toBe(2 + 4);
    expect(messageSize("abc", { n: str("v") })).toBe(3 + 1 + 6 + 1);
    expect(messageSize("", { ü: str("€", "Number") })).toBe(2 + 6 + 3);
  });

  it("counts binary values by their raw length", () => {
    expect(messageSize("x", { b: { DataType: "Binary", BinaryValue: new Uint8Array(10) } })).toBe(1 + 1 + 6 + 10);
  });
});
