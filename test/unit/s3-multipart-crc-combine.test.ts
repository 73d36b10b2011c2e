/**
 * combineCrcs against the CRC of the concatenated bytes computed directly (src/domain/s3/checksums.ts),
 * for the three CRCs S3 combines into FULL_OBJECT multipart checksums.
 */
import { describe, expect, it } from "vitest";
import { createHasher } from "../../src/domain/s3/checksums";
import { combineCrcs, type CombinableCrc } from "../../src/domain/s3/crc-combine";

const crcOf = (algorithm: CombinableCrc, bytes: Uint8Array) => {
  const h = createHasher(algorithm);
  h.update(bytes);
  return h.digest();
};

const bytesOf = (size: number, seed: number) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed * 7) & 0xff);

describe("combineCrcs", () => {
  for (const algorithm of ["CRC32", "CRC32C", "CRC64NVME"] as const) {
    it(`gives the ${algorithm} of the concatenation`, () => {
      const pieces = [bytesOf(5 * 1024 + 3, 1), bytesOf(1, 2), bytesOf(0, 3), bytesOf(70_001, 4)];
      const whole = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of pieces) {
        whole.set(p, at);
        at += p.length;
      }
      const combined = combineCrcs(
        algorithm,
        pieces.map((p) => ({ crc: crcOf(algorithm, p), size: p.length })),
      );
      expect(Buffer.from(combined).toString("hex")).toBe(Buffer.from(crcOf(algorithm, whole)).toString("hex"));
    });
  }

  it("of one piece is that piece's CRC, of none the CRC of no bytes", () => {
    const crc = crcOf("CRC64NVME", bytesOf(10, 9));
    expect(combineCrcs("CRC64NVME", [{ crc, size: 10 }])).toEqual(crc);
    expect(combineCrcs("CRC32", [])).toEqual(crcOf("CRC32", new Uint8Array()));
  });
});
