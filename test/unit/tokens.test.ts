/**
 * Opaque tokens: what a client gets back must decode to exactly what was encoded, and anything a
 * client made up, cut short or edited must be recognised as invalid (never half-decoded).
 */
import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import { decodeReceiptHandle, decodeToken, encodeReceiptHandle, encodeToken, type ReceiptHandle } from "../../src/domain/tokens";

const handle: ReceiptHandle = { queue: "000000000000/us-east-1/orders.fifo#3f2a", seq: 123456, receipt: 7 };

describe("receipt handles", () => {
  it.each<ReceiptHandle>([
    handle,
    { queue: "q", seq: 0, receipt: 0 },
    { queue: "ünïcødé/队列", seq: Number.MAX_SAFE_INTEGER, receipt: 1 },
  ])("round-trip %j", (h) => {
    const token = encodeReceiptHandle(h);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeReceiptHandle(token)).toEqual(h);
  });

  it("differ from one receive to the next", () => {
    expect(encodeReceiptHandle(handle)).not.toBe(encodeReceiptHandle({ ...handle, receipt: 8 }));
  });

  it.each([
    ["empty", ""],
    ["AWS's recorded garbage example", "garbage"],
    ["whitespace", "   "],
    ["characters outside base64url", "abc+def/ghi="],
    ["an SQS-looking handle", "AQEBzWwaftRI0KuVm4tP+/7q1rGgNqicHq"],
    ["far too long", "A".repeat(5000)],
  ])("reject %s", (_, token) => {
    expect(decodeReceiptHandle(token)).toBeUndefined();
  });

  it("reject every truncation", () => {
    const token = encodeReceiptHandle(handle);
    for (let length = 0; length < token.length; length++) {
      expect(decodeReceiptHandle(token.slice(0, length)), `length ${length}`).toBeUndefined();
    }
  });

  it("reject every single-character edit", () => {
    const token = encodeReceiptHandle(handle);
    for (let i = 0; i < token.length; i++) {
      for (const c of ["A", "z", "0", "_"]) {
        if (token[i] === c) continue;
        const edited = token.slice(0, i) + c + token.slice(i + 1);
        // The last base64url character may carry unused bits: an edit there can decode to the same bytes.
        if (Buffer.from(edited, "base64url").equals(Buffer.from(token, "base64url"))) continue;
        expect(decodeReceiptHandle(edited), `position ${i} -> ${c}`).toBeUndefined();
      }
    }
  });

  it("reject appended data", () => {
    const token = encodeReceiptHandle(handle);
    expect(decodeReceiptHandle(`${token}AAAA`)).toBeUndefined();
    expect(decodeReceiptHandle(token + token)).toBeUndefined();
  });

  it("reject a re-encoded payload with a changed message (checksum no longer matches)", () => {
    const text = Buffer.from(encodeReceiptHandle(handle), "base64url").toString("utf8");
    const forged = Buffer.from(text.replace("123456", "123457"), "utf8").toString("base64url");
    expect(decodeReceiptHandle(forged)).toBeUndefined();
  });

  it("reject well-formed tokens of another kind or with the wrong payload shape", () => {
    expect(decodeReceiptHandle(encodeToken("N", [handle.queue, handle.seq, handle.receipt]))).toBeUndefined();
    expect(decodeReceiptHandle(encodeToken("R", [handle.queue, handle.seq]))).toBeUndefined();
    expect(decodeReceiptHandle(encodeToken("R", [handle.queue, "1", 2]))).toBeUndefined();
    expect(decodeReceiptHandle(encodeToken("R", [handle.queue, 1.5, 2]))).toBeUndefined();
    expect(decodeReceiptHandle(encodeToken("R", [42, 1, 2]))).toBeUndefined();
    expect(decodeReceiptHandle(encodeToken("R", { queue: "q", seq: 1, receipt: 2 }))).toBeUndefined();
  });
});

describe("generic tokens", () => {
  it("round-trip any JSON payload for their own kind only", () => {
    const payload = { prefix: "orders", after: "orders-17", n: 3, nested: [true, null] };
    const token = encodeToken("N", payload);
    expect(decodeToken("N", token)).toEqual(payload);
    expect(decodeToken("R", token)).toBeUndefined();
  });
});
