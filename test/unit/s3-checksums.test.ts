/**
 * The checksums S3 uses, against known values (CRC catalogue check values for "123456789", Node's
 * crypto for the hashes), fed in uneven pieces to prove they are incremental.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BodyDigests, createHasher, fromBase64, toBase64, type ChecksumAlgorithm } from "../../src/domain/s3/checksums";

const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const text = new TextEncoder().encode("123456789");

describe("S3 checksums", () => {
  it.each([
    ["CRC32", "cbf43926"],
    ["CRC32C", "e3069283"],
    ["CRC64NVME", "ae8b14860a799888"],
    ["SHA1", createHash("sha1").update("123456789").digest("hex")],
    ["SHA256", createHash("sha256").update("123456789").digest("hex")],
  ] as [ChecksumAlgorithm, string][])("%s of 123456789 is %s", (algorithm, expected) => {
    const h = createHasher(algorithm);
    h.update(text);
    expect(hexOf(h.digest())).toBe(expected);
  });

  it("computes the same value however the body is split", () => {
    const body = new Uint8Array(100_003).map((_, i) => (i * 131) & 0xff);
    for (const algorithm of ["CRC32", "CRC32C", "CRC64NVME", "SHA256", "MD5"] as const) {
      const whole = createHasher(algorithm);
      whole.update(body);
      const pieces = createHasher(algorithm);
      for (let i = 0; i < body.length; i += 7919) pieces.update(body.subarray(i, i + 7919));
      expect(hexOf(pieces.digest())).toBe(hexOf(whole.digest()));
    }
    const md5 = createHasher("MD5");
    md5.update(body);
    expect(hexOf(md5.digest())).toBe(createHash("md5").update(body).digest("hex"));
  });

  it("reports MD5, size and the asked checksums in one pass", () => {
    const digests = new BodyDigests(["CRC32"], true);
    digests.update(new TextEncoder().encode("hello"));
    const done = digests.finish();
    expect(hexOf(done.md5!)).toBe(createHash("md5").update("hello").digest("hex"));
    expect(done.checksums.CRC32).toBe("NhCmhg==");
    expect(done.sha256Hex).toBe(createHash("sha256").update("hello").digest("hex"));
    expect(digests.size).toBe(5);
  });

  it("decodes strict base64 only", () => {
    expect(fromBase64("NhCmhg==")).toEqual(new Uint8Array([0x36, 0x10, 0xa6, 0x86]));
    expect(fromBase64("not base64")).toBeUndefined();
    expect(fromBase64("abc")).toBeUndefined();
    expect(toBase64(new Uint8Array([0x36, 0x10, 0xa6, 0x86]))).toBe("NhCmhg==");
  });

  it("hashes 64 MiB fast enough to stream gigabytes", () => {
    const buf = new Uint8Array(1 << 20).fill(7);
    const times: Record<string, number> = {};
    for (const a of ["MD5", "CRC32", "SHA256", "CRC32C", "CRC64NVME"] as const) {
      const h = createHasher(a);
      const t = performance.now();
      for (let i = 0; i < 64; i++) h.update(buf);
      h.digest();
      times[a] = Math.round(performance.now() - t);
    }
    console.log("ms per 64 MiB", times);
  });
});
