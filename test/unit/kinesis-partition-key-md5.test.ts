import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { partitionKeyMd5 } from "../../src/domain/kinesis/partition-key-md5";

const reference = (key: string): bigint => BigInt(`0x${createHash("md5").update(key, "utf8").digest("hex")}`);

describe("partition key MD5", () => {
  it("matches RFC 1321's test suite", () => {
    expect(partitionKeyMd5("")).toBe(0xd41d8cd98f00b204e9800998ecf8427en);
    expect(partitionKeyMd5("a")).toBe(0x0cc175b9c0f1b6a831c399e269772661n);
    expect(partitionKeyMd5("abc")).toBe(0x900150983cd24fb0d6963f7d28e17f72n);
    expect(partitionKeyMd5("message digest")).toBe(0xf96b697d7cb7938d525a2f31aaf161d0n);
    expect(partitionKeyMd5("12345678901234567890123456789012345678901234567890123456789012345678901234567890")).toBe(
      0x57edf4a22be3c955ac49da2e2107b67an,
    );
  });

  it("pads at every block boundary (55, 56, 63, 64 and 65 bytes, and several blocks)", () => {
    for (const n of [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 256])
      expect(partitionKeyMd5("x".repeat(n))).toBe(reference("x".repeat(n)));
  });

  it("hashes the UTF-8 bytes of non-ASCII keys, also at the 256-character limit", () => {
    for (const key of ["ü", "unicöd€ 统一码 💣", "é".repeat(256), "😀".repeat(128), "a\u0000b", "\u07ff\u0800\uffff"])
      expect(partitionKeyMd5(key)).toBe(reference(key));
  });

  it("gives the same answer whatever was hashed before (the scratch buffer is reused)", () => {
    const long = "k".repeat(1000);
    expect(partitionKeyMd5(long)).toBe(reference(long));
    expect(partitionKeyMd5("short")).toBe(reference("short"));
    for (let i = 0; i < 200; i++) expect(partitionKeyMd5(`pk-${i}`)).toBe(reference(`pk-${i}`));
  });
});
