/**
 * The checksum of a completed upload from its parts' checksums, against AWS's answers in
 * test_s3.snapshot.json (TestS3MultipartUploadChecksum): two parts of 5 MiB + 1 byte of "a" and a
 * last part of ten "a"s (test_complete_multipart_parts_checksum_composite / _full_object).
 */
import { describe, expect, it } from "vitest";
import { uploadChecksumOf } from "../../src/domain/s3/multipart-checksum";

const SIZES = [5 * 1024 * 1024 + 1, 5 * 1024 * 1024 + 1, 10];
const parts = (algorithm: string, values: string[]) => values.map((v, i) => ({ size: SIZES[i]!, checksums: { [algorithm]: v } }));

describe("uploadChecksumOf", () => {
  it("is the COMPOSITE CRC32 AWS answered", () => {
    const crc32 = parts("CRC32", ["NRU+Sw==", "NRU+Sw==", "TBHN8A=="]);
    expect(uploadChecksumOf({ algorithm: "CRC32", type: "COMPOSITE" }, crc32)).toEqual({
      checksums: { CRC32: "5FRUiw==-3" },
      checksumType: "COMPOSITE",
    });
  });

  it("is the FULL_OBJECT CRC32 AWS answered: the CRC of the whole object, combined from the parts'", () => {
    const crc32 = parts("CRC32", ["NRU+Sw==", "NRU+Sw==", "TBHN8A=="]);
    expect(uploadChecksumOf({ algorithm: "CRC32", type: "FULL_OBJECT" }, crc32)).toEqual({
      checksums: { CRC32: "qSEQSA==" },
      checksumType: "FULL_OBJECT",
    });
  });

  it("of one part is that part's CRC (FULL_OBJECT CRC32C and S3's default CRC64NVME, recorded)", () => {
    const one = (algorithm: string, value: string) => [{ size: 3, checksums: { [algorithm]: value } }];
    expect(uploadChecksumOf({ algorithm: "CRC32C", type: "FULL_OBJECT" }, one("CRC32C", "Nks/tw=="))).toEqual({
      checksums: { CRC32C: "Nks/tw==" },
      checksumType: "FULL_OBJECT",
    });
    expect(uploadChecksumOf({}, one("CRC64NVME", "Rnr2/5P7Gsk="))).toEqual({
      checksums: { CRC64NVME: "Rnr2/5P7Gsk=" },
      checksumType: "FULL_OBJECT",
    });
  });

  it("is none when a part lacks the checksum (data written before the upload asked for it)", () => {
    expect(uploadChecksumOf({}, [{ size: 1, checksums: {} }])).toEqual({ checksums: {} });
  });
});
