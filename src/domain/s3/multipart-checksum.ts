/**
 * The checksum of a completed multipart upload, from its parts' checksums (the bytes are never read
 * again): COMPOSITE is the upload's algorithm over the parts' checksums, `-<parts>` appended;
 * FULL_OBJECT is the CRC of the whole object, combined from the parts' CRCs; an upload created without
 * an algorithm gets S3's default, a FULL_OBJECT CRC64NVME (recorded in test_s3.snapshot.json:
 * test_complete_multipart_parts_checksum_default, test_multipart_and_list_parts).
 */
import { createHasher, fromBase64, toBase64, type ChecksumAlgorithm } from "./checksums";
import type { CompletedUpload, UploadChecksumSettings } from "./contract";
import { combineCrcs, isCombinable } from "./crc-combine";
import { compositeChecksum } from "./multipart";

/** A part's size and the checksums computed over it. */
export interface ChecksummedPart {
  size: number;
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

const hashWith = (algorithm: ChecksumAlgorithm) => (bytes: Uint8Array) => {
  const hasher = createHasher(algorithm);
  hasher.update(bytes);
  return hasher.digest();
};

/** The algorithm every part of the upload is checksummed in (computed while it was written). */
export const partAlgorithmOf = (upload: UploadChecksumSettings): ChecksumAlgorithm => upload.algorithm ?? "CRC64NVME";

export function uploadChecksumOf(
  upload: UploadChecksumSettings,
  parts: readonly ChecksummedPart[],
): Pick<CompletedUpload, "checksums" | "checksumType"> {
  const algorithm = partAlgorithmOf(upload);
  const values = parts.map((p) => p.checksums[algorithm]);
  if (values.some((v) => v === undefined)) return { checksums: {} };
  if (upload.type === "COMPOSITE") {
    return { checksums: { [algorithm]: compositeChecksum(values as string[], hashWith(algorithm)) }, checksumType: "COMPOSITE" };
  }
  if (!isCombinable(algorithm)) return { checksums: {} };
  const pieces = parts.map((p, i) => ({ crc: fromBase64(values[i]!) ?? new Uint8Array(), size: p.size }));
  return { checksums: { [algorithm]: toBase64(combineCrcs(algorithm, pieces)) }, checksumType: "FULL_OBJECT" };
}
