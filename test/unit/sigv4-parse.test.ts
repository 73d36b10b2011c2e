/** SigV4 Authorization parsing, X-Amz-Date parsing, access key → account, and the constant-time compare. */
import { describe, expect, it } from "vitest";
import { accountForAccessKey, constantTimeEqual, parseAmzDate, parseAuth } from "../../src/protocol/sigv4";

const SUITE_NOW = Date.UTC(2015, 7, 30, 12, 36, 0); // 20150830T123600Z

describe("parseAuth", () => {
  const url = new URL("https://sqs.us-east-1.amazonaws.com/");
  const header = (value: string) => parseAuth(new Headers({ authorization: value }), url);

  it("reports an unsigned request as none", () => {
    expect(parseAuth(new Headers(), url)).toEqual({ kind: "none" });
  });

  it.each([
    ["another scheme", "AWS AKIDEXAMPLE:signature"],
    ["no credential", "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abc"],
    [
      "a short credential scope",
      "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/aws4_request, SignedHeaders=host, Signature=abc",
    ],
    [
      "a bad scope terminator",
      "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/sqs/aws5_request, SignedHeaders=host, Signature=abc",
    ],
    ["no SignedHeaders", "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/sqs/aws4_request, Signature=abc"],
    ["no Signature", "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/sqs/aws4_request, SignedHeaders=host"],
  ])("reports %s as malformed", (_, value) => {
    expect(header(value).kind).toBe("malformed");
  });

  it("accepts the fields without spaces after the commas", () => {
    const parsed = header(
      "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/sqs/aws4_request,SignedHeaders=host;x-amz-date,Signature=abc",
    );
    expect(parsed).toEqual({
      kind: "signed",
      auth: {
        accessKeyId: "AKID",
        date: "20150830",
        region: "us-east-1",
        service: "sqs",
        signedHeaders: ["host", "x-amz-date"],
        signature: "abc",
        location: "header",
      },
    });
  });

  it("maps 12-digit access keys to their account and any other key to 000000000000", () => {
    expect(accountForAccessKey("111122223333")).toBe("111122223333");
    expect(accountForAccessKey("AKIDEXAMPLE")).toBe("000000000000");
    expect(accountForAccessKey("1111222233334")).toBe("000000000000");
  });

  it("parses only well-formed X-Amz-Date values", () => {
    expect(parseAmzDate("20150830T123600Z")?.getTime()).toBe(SUITE_NOW);
    for (const bad of [null, "", "2015-08-30T12:36:00Z", "20150830T123600", "20150830T1236Z"]) {
      expect(parseAmzDate(bad)).toBeUndefined();
    }
  });
});

describe("constantTimeEqual", () => {
  const signature = "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea";

  it("is true only for identical strings", () => {
    expect(constantTimeEqual(signature, signature)).toBe(true);
    expect(constantTimeEqual("", "")).toBe(true);
    expect(constantTimeEqual(`d${signature.slice(1)}`, signature)).toBe(false);
    expect(constantTimeEqual(`${signature.slice(0, -1)}b`, signature)).toBe(false);
    expect(constantTimeEqual(signature.slice(0, -1), signature)).toBe(false);
    expect(constantTimeEqual(signature, `${signature}0`)).toBe(false);
    expect(constantTimeEqual("", signature)).toBe(false);
  });

  it("has no early exit: one return, after a loop over the longer input", () => {
    // Timing measurements are too noisy on shared CI machines to assert; guard the shape instead.
    const source = constantTimeEqual.toString();
    expect(source.match(/return/g)).toHaveLength(1);
    expect(source).toMatch(/Math\.max\(/);
  });
});
