/**
 * Multipart rules against test_s3.snapshot.json (test_complete_multipart_parts_order,
 * test_multipart_complete_multipart_too_small / _wrong_part, test_complete_multipart_parts_checksum_*,
 * test_multipart_parts_checksum_exceptions_*, test_multipart_checksum_type_compatibility,
 * test_multipart_size_validation) and test_s3_list_operations.snapshot.json (TestS3ListParts,
 * TestS3ListMultipartUploads, with the requests of LocalStack's test_s3_list_operations.py).
 */
import { createHash } from "node:crypto";
import { crc32 as zlibCrc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  checkPartChecksumAlgorithm,
  compositeChecksum,
  type Completion,
  formatUploadId,
  listPartsPage,
  listUploadsPage,
  multipartEtag,
  parsePartNumber,
  resolveUploadChecksum,
  type StoredPart,
  type UploadsQuery,
  validateCompletion,
} from "../../src/domain/s3/multipart";
import type { S3ErrorInfo } from "../../src/domain/s3/rule-errors";
import { failure, value } from "./results";

const fields = (result: { ok: boolean }) => (result as { error?: S3ErrorInfo }).error?.fields;
const hash = (algorithm: string) => (bytes: Uint8Array) => new Uint8Array(createHash(algorithm).update(bytes).digest());

const crc32 = (bytes: Uint8Array) => {
  const n = zlibCrc32(bytes);
  return new Uint8Array([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
};

// Two 5 MiB + 1 byte parts of "a" and a last part of 10 (test_complete_multipart_parts_checksum_composite).
const BIG = "c4c753e69bb853187f5854c46cf801c6";
const SMALL = "e09c80c42fda55f9d992e59ca6b3307d";

describe("part numbers and upload ids", () => {
  it.each(["1", "10000", "42"])("%s is a part number", (text) => {
    expect(value(parsePartNumber(text))).toBe(Number(text));
  });

  it.each(["-1", "0", "10001", "1.5", "abc", "", "99999999"])("%s → InvalidArgument", (text) => {
    const result = parsePartNumber(text);
    expect(failure(result)).toMatchObject({
      code: "InvalidArgument",
      status: 400,
      message: "Part number must be an integer between 1 and 10000, inclusive",
    });
    expect(fields(result)).toEqual({ ArgumentName: "partNumber", ArgumentValue: text });
  });

  it("upload ids are URL-safe and distinct", () => {
    const a = formatUploadId(new Uint8Array(48).fill(0xfb));
    const b = formatUploadId(new Uint8Array(48).fill(7));
    expect(a).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(a).not.toBe(b);
    expect(() => formatUploadId(new Uint8Array(8))).toThrow();
  });
});

describe("the completed object's ETag and composite checksum", () => {
  it("ETag: MD5 of the parts' binary MD5s, with the part count", () => {
    expect(multipartEtag([`"${BIG}"`, `"${BIG}"`, `"${SMALL}"`])).toBe('"4d45984fc3feb2ac9b22683c49674b56-3"');
    expect(multipartEtag([BIG, BIG])).toBe('"14cb3f95b2dfe6bd47fb59d47949e00e-2"'); // test_list_parts_via_object_attrs_pagination
  });

  it("COMPOSITE checksums for SHA256, SHA1 and CRC32", () => {
    const sha256 = ["DjU70AB1bON8k0n0fVHv2PJQVWcA/jWsITp6ti20Tbs=", "DjU70AB1bON8k0n0fVHv2PJQVWcA/jWsITp6ti20Tbs="];
    expect(compositeChecksum(sha256, hash("sha256"))).toBe("2Wjxbc3N6c1y3Eqve6x8X+xPy4qXhB1vAMgge0qeZJM=-2");
    expect(compositeChecksum([...sha256, "vyy1imj2hNlaO3jvj2Ycmk5bCegsyPnMiMzpBSjK6yc="], hash("sha256"))).toBe(
      "9o++y6AejqboiJ7MZCx0fahK2Vu5YC/qnNhhYsCLciI=-3",
    );
    const sha1 = ["bH71WIZUKQtUwR2wKSSkFjCRBPM=", "bH71WIZUKQtUwR2wKSSkFjCRBPM=", "NJX/adNGcdHhWzOmPBN5/e3Toyo="];
    expect(compositeChecksum(sha1, hash("sha1"))).toBe("AyE60nyQoBgJcwsyPHWu7aJuxBs=-3");
    expect(compositeChecksum(["NRU+Sw==", "NRU+Sw==", "TBHN8A=="], crc32)).toBe("5FRUiw==-3");
  });
});

describe("checksum modes", () => {
  it("defaults: COMPOSITE, FULL_OBJECT for CRC64NVME; none without an algorithm", () => {
    expect(value(resolveUploadChecksum("SHA256", undefined))).toEqual({ algorithm: "SHA256", type: "COMPOSITE" });
    expect(value(resolveUploadChecksum("CRC64NVME", null))).toEqual({ algorithm: "CRC64NVME", type: "FULL_OBJECT" });
    expect(value(resolveUploadChecksum("CRC32", "FULL_OBJECT"))).toEqual({ algorithm: "CRC32", type: "FULL_OBJECT" });
    expect(value(resolveUploadChecksum(undefined, undefined))).toEqual({});
  });

  it("the recorded refusals", () => {
    expect(failure(resolveUploadChecksum("TEST", undefined)).message).toBe(
      "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]",
    );
    expect(failure(resolveUploadChecksum(undefined, "COMPOSITE")).message).toBe(
      "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.",
    );
    expect(failure(resolveUploadChecksum("CRC64NVME", "COMPOSITE")).message).toBe(
      "The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.",
    );
    expect(failure(resolveUploadChecksum("SHA1", "FULL_OBJECT")).message).toBe(
      "The FULL_OBJECT checksum type cannot be used with the sha1 checksum algorithm.",
    );
    expect(failure(resolveUploadChecksum("SHA256", "FULL_OBJECT")).code).toBe("InvalidRequest");
  });

  it("UploadPart with another algorithm than the upload's", () => {
    expect(checkPartChecksumAlgorithm({ algorithm: "SHA256", type: "COMPOSITE" }, "CRC32")).toMatchObject({
      code: "InvalidRequest",
      message: "Checksum Type mismatch occurred, expected checksum Type: sha256, actual checksum Type: crc32",
    });
    expect(checkPartChecksumAlgorithm({ algorithm: "SHA256", type: "COMPOSITE" }, "SHA256")).toBeUndefined();
    expect(checkPartChecksumAlgorithm({}, "CRC32")).toBeUndefined();
  });
});

describe("CompleteMultipartUpload validation", () => {
  const big = 5_242_881;
  const stored = (parts: StoredPart[]) => new Map(parts.map((p) => [p.partNumber, p]));
  const threeParts = stored([
    { partNumber: 1, etag: `"${BIG}"`, size: big, checksum: "NRU+Sw==" },
    { partNumber: 2, etag: `"${BIG}"`, size: big, checksum: "NRU+Sw==" },
    { partNumber: 3, etag: `"${SMALL}"`, size: 10, checksum: "TBHN8A==" },
  ]);
  const requested = [
    { partNumber: 1, etag: `"${BIG}"` },
    { partNumber: 2, etag: `"${BIG}"` },
    { partNumber: 3, etag: `"${SMALL}"` },
  ];
  const base: Completion = { uploadId: "up", requested, stored: threeParts, upload: {} };

  it("valid parts come back in order", () => {
    expect(value(validateCompletion(base)).map((p) => p.partNumber)).toEqual([1, 2, 3]);
    const gaps = stored([2, 4, 6].map((n) => ({ partNumber: n, etag: BIG, size: big })));
    expect(
      value(validateCompletion({ ...base, stored: gaps, requested: [2, 4, 6].map((n) => ({ partNumber: n, etag: BIG })) })),
    ).toHaveLength(3);
  });

  it("no body → InvalidRequest; no part → MalformedXML", () => {
    expect(failure(validateCompletion({ ...base, requested: undefined }))).toMatchObject({
      code: "InvalidRequest",
      message: "You must specify at least one part",
    });
    expect(failure(validateCompletion({ ...base, requested: [] }))).toMatchObject({
      code: "MalformedXML",
      message: "The XML you provided was not well-formed or did not validate against our published schema",
    });
  });

  it("a part without PartNumber or ETag → MalformedXML; a part number below 1 → InvalidArgument", () => {
    expect(failure(validateCompletion({ ...base, requested: [{ etag: BIG }] })).code).toBe("MalformedXML");
    expect(failure(validateCompletion({ ...base, requested: [{ partNumber: 1 }] })).code).toBe("MalformedXML");
    expect(failure(validateCompletion({ ...base, requested: [{ partNumber: 0, etag: BIG }] }))).toMatchObject({
      code: "InvalidArgument",
      message: "PartNumber must be >= 1",
    });
    expect(failure(validateCompletion({ ...base, requested: [{ partNumber: 10_001, etag: BIG }] })).code).toBe("InvalidPart");
  });

  it("a repeated part number → InvalidPartOrder", () => {
    expect(failure(validateCompletion({ ...base, requested: [requested[0]!, requested[0]!] })).code).toBe("InvalidPartOrder");
  });

  it("parts out of order → InvalidPartOrder", () => {
    const result = validateCompletion({ ...base, requested: [...requested].reverse() });
    expect(failure(result)).toMatchObject({
      code: "InvalidPartOrder",
      message: "The list of parts was not in ascending order. Parts must be ordered by part number.",
    });
    expect(fields(result)).toEqual({ UploadId: "up" });
  });

  it("an unknown part number or ETag → InvalidPart naming the requested ETag without quotes", () => {
    const one = stored([{ partNumber: 1, etag: '"8d777f385d3dfec8815d20f7496026dc"', size: 4 }]);
    const wrongNumber = validateCompletion({
      ...base,
      stored: one,
      requested: [{ partNumber: 2, etag: '"8d777f385d3dfec8815d20f7496026dc"' }],
    });
    expect(failure(wrongNumber).message).toBe(
      "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    );
    expect(fields(wrongNumber)).toEqual({ UploadId: "up", PartNumber: "2", ETag: "8d777f385d3dfec8815d20f7496026dc" });
    const wrongEtag = validateCompletion({
      ...base,
      stored: one,
      requested: [{ partNumber: 1, etag: "d41d8cd98f00b204e9800998ecf8427e" }],
    });
    expect(fields(wrongEtag)).toEqual({ UploadId: "up", PartNumber: "1", ETag: "d41d8cd98f00b204e9800998ecf8427e" });
  });

  it("a part other than the last under 5 MiB → EntityTooSmall", () => {
    const small = stored([1, 2].map((n) => ({ partNumber: n, etag: '"8d777f385d3dfec8815d20f7496026dc"', size: 4 })));
    const result = validateCompletion({
      ...base,
      stored: small,
      requested: [1, 2].map((n) => ({ partNumber: n, etag: "8d777f385d3dfec8815d20f7496026dc" })),
    });
    expect(failure(result)).toMatchObject({
      code: "EntityTooSmall",
      message: "Your proposed upload is smaller than the minimum allowed size",
    });
    expect(fields(result)).toEqual({
      ProposedSize: "4",
      MinSizeAllowed: "5242880",
      PartNumber: "1",
      ETag: "8d777f385d3dfec8815d20f7496026dc",
    });
    expect(
      value(
        validateCompletion({ ...base, stored: small, requested: [{ partNumber: 1, etag: "8d777f385d3dfec8815d20f7496026dc" }] }),
      ),
    ).toHaveLength(1);
  });

  describe("part checksums", () => {
    const composite: Completion = { ...base, upload: { algorithm: "CRC32", type: "COMPOSITE" } };
    const withCrc = requested.map((p, i) => ({ ...p, checksums: { CRC32: ["NRU+Sw==", "NRU+Sw==", "TBHN8A=="][i] } }));

    it("matching checksums complete", () => {
      expect(value(validateCompletion({ ...composite, requested: withCrc }))).toHaveLength(3);
    });

    it("a wrong checksum of the upload's algorithm → InvalidPart", () => {
      const wrong = requested.map((p) => ({ ...p, checksums: { CRC32: "AAAAAA==" } }));
      expect(fields(validateCompletion({ ...composite, requested: wrong }))).toEqual({
        UploadId: "up",
        PartNumber: "1",
        ETag: BIG,
      });
    });

    it("missing in a COMPOSITE upload → InvalidRequest naming the algorithm and part", () => {
      expect(failure(validateCompletion({ ...composite, upload: { algorithm: "SHA256", type: "COMPOSITE" } })).message).toBe(
        "The upload was created using a sha256 checksum. The complete request must include the checksum for each part. It was missing for part 1 in the request.",
      );
    });

    it("optional in a FULL_OBJECT upload", () => {
      expect(value(validateCompletion({ ...composite, upload: { algorithm: "CRC32", type: "FULL_OBJECT" } }))).toHaveLength(3);
    });

    it("another algorithm → BadDigest naming it", () => {
      const sha = requested.map((p) => ({ ...p, checksums: { SHA256: "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=" } }));
      expect(failure(validateCompletion({ ...composite, requested: sha }))).toMatchObject({
        code: "BadDigest",
        message: "The sha256 you specified for part 1 did not match what we received.",
      });
    });

    it("any checksum on an upload without an algorithm → InvalidPart", () => {
      const crc32c = requested.map((p) => ({ ...p, checksums: { CRC32C: "AAAAAA==" } }));
      expect(failure(validateCompletion({ ...base, requested: crc32c })).code).toBe("InvalidPart");
    });

    it("a checksum type other than the upload's → InvalidRequest naming the upload's mode", () => {
      expect(failure(validateCompletion({ ...base, checksumType: "FULL_OBJECT" })).message).toBe(
        "The upload was created using the null checksum mode. The complete request must use the same checksum mode.",
      );
      expect(failure(validateCompletion({ ...base, checksumType: "COMPOSITE" })).message).toContain("the null checksum mode");
      expect(failure(validateCompletion({ ...composite, requested: withCrc, checksumType: "FULL_OBJECT" })).message).toBe(
        "The upload was created using the COMPOSITE checksum mode. The complete request must use the same checksum mode.",
      );
      expect(value(validateCompletion({ ...composite, requested: withCrc, checksumType: "COMPOSITE" }))).toHaveLength(3);
    });
  });

  it("x-amz-mp-object-size must be the parts' total (test_multipart_size_validation)", () => {
    const one = stored([{ partNumber: 1, etag: "x", size: 4 }]);
    const request = { ...base, stored: one, requested: [{ partNumber: 1, etag: "x" }] };
    expect(failure(validateCompletion({ ...request, objectSize: "5" })).message).toBe(
      "The provided 'x-amz-mp-object-size' header value 5 does not match what was computed: 4",
    );
    expect(value(validateCompletion({ ...request, objectSize: "4" }))).toHaveLength(1);
  });
});

describe("ListParts (test_list_parts_pagination, test_list_parts_empty_part_number_marker)", () => {
  const parts = [{ partNumber: 1 }, { partNumber: 2 }];
  const listed = (query: Parameters<typeof listPartsPage>[1]) => value(listPartsPage(parts, query));
  const refused = (query: Parameters<typeof listPartsPage>[1]) => failure(listPartsPage(parts, query)).message;

  it("no parts; all parts (NextPartNumberMarker is the last even when not truncated)", () => {
    const empty = { partNumberMarker: 0, nextPartNumberMarker: 0, maxParts: 1000, isTruncated: false, parts: [] };
    expect(value(listPartsPage([], {}))).toEqual(empty);
    expect(listed({})).toMatchObject({ nextPartNumberMarker: 2, isTruncated: false, parts });
  });

  it("page by page, and a marker past the last part (empty, NextPartNumberMarker 0)", () => {
    expect(listed({ "max-parts": "1" })).toMatchObject({
      maxParts: 1,
      nextPartNumberMarker: 1,
      isTruncated: true,
      parts: [parts[0]],
    });
    const next = listed({ "max-parts": "1", "part-number-marker": "1" });
    expect(next).toMatchObject({ partNumberMarker: 1, nextPartNumberMarker: 2, isTruncated: false, parts: [parts[1]] });
    const past = { partNumberMarker: 10, nextPartNumberMarker: 0, maxParts: 1, isTruncated: false, parts: [] };
    expect(listed({ "max-parts": "1", "part-number-marker": "10" })).toEqual(past);
  });

  it("empty marker and max-parts count as absent; max-parts above 1000 is 1000; garbage is InvalidArgument", () => {
    expect(listed({ "part-number-marker": "", "max-parts": "" })).toMatchObject({ partNumberMarker: 0, maxParts: 1000 });
    expect(listed({ "max-parts": "5000" }).maxParts).toBe(1000);
    expect(refused({ "part-number-marker": "abc" })).toBe("Provided part-number-marker not an integer or within integer range");
    expect(refused({ "part-number-marker": "-2" })).toBe(
      "Argument part-number-marker must be an integer between 0 and 2147483647",
    );
    expect(refused({ "max-parts": "-1" })).toBe("Argument max-parts must be an integer between 0 and 2147483647");
  });
});

describe("ListMultipartUploads", () => {
  // test_list_multiparts_next_marker: created test_c (1), test_b (2), test_a (3, 4, 5); sorted by key then initiation.
  const uploads = ["test_a/id-3", "test_a/id-4", "test_a/id-5", "test_b/id-2", "test_c/id-1"].map((s) => {
    const [key, uploadId] = s.split("/") as [string, string];
    return { key, uploadId };
  });
  const ids = (page: { uploads: { uploadId: string }[] }) => page.uploads.map((u) => u.uploadId);
  const one = (query: UploadsQuery) => value(listUploadsPage(uploads, { "max-uploads": "1", ...query }));

  it("empty", () => {
    const markers = { keyMarker: "", uploadIdMarker: "", nextKeyMarker: "", nextUploadIdMarker: "" };
    expect(value(listUploadsPage([], {}))).toEqual({
      ...markers,
      maxUploads: 1000,
      isTruncated: false,
      uploads: [],
      commonPrefixes: [],
    });
  });

  it("all, and page by page with each marker (test_list_multiparts_next_marker)", () => {
    const all = value(listUploadsPage(uploads, {}));
    expect(ids(all)).toEqual(["id-3", "id-4", "id-5", "id-2", "id-1"]);
    expect(all).toMatchObject({ isTruncated: false, nextKeyMarker: "test_c", nextUploadIdMarker: "id-1" });
    expect(all).not.toHaveProperty("prefix");
    expect(one({})).toMatchObject({ isTruncated: true, nextKeyMarker: "test_a", nextUploadIdMarker: "id-3", maxUploads: 1 });
    expect(ids(one({ "key-marker": "test_a" }))).toEqual(["id-2"]);
    const none = { keyMarker: "test_c", isTruncated: false, nextKeyMarker: "", nextUploadIdMarker: "", uploads: [] };
    expect(one({ "key-marker": "test_c" })).toMatchObject(none);
    // upload-id-marker without key-marker is ignored
    expect(one({ "upload-id-marker": "id-3" })).toMatchObject({
      uploadIdMarker: "",
      nextUploadIdMarker: "id-3",
      isTruncated: true,
    });
    const both = {
      keyMarker: "test_a",
      uploadIdMarker: "id-3",
      nextKeyMarker: "test_a",
      nextUploadIdMarker: "id-4",
      isTruncated: true,
    };
    expect(one({ "key-marker": "test_a", "upload-id-marker": "id-3" })).toMatchObject(both);
    expect(ids(one({ "key-marker": "test_a", "upload-id-marker": "id-5" }))).toEqual(["id-2"]);
    const last = one({ "key-marker": "test_b", "upload-id-marker": "id-2" });
    expect(last).toMatchObject({ isTruncated: false, nextKeyMarker: "test_c", nextUploadIdMarker: "id-1" });
    expect(ids(one({ "key-marker": "" }))).toEqual(["id-3"]);
  });

  it("an upload-id marker of another key → InvalidArgument", () => {
    const result = listUploadsPage(uploads, { "max-uploads": "1", "key-marker": "test_c", "upload-id-marker": "id-2" });
    expect(failure(result)).toMatchObject({ code: "InvalidArgument", message: "Invalid uploadId marker" });
    expect(fields(result)).toEqual({ ArgumentName: "upload-id-marker", ArgumentValue: "id-2" });
  });

  it("prefix and delimiter (test_list_multiparts_with_prefix_and_delimiter)", () => {
    const nested = ["test/bar/foo/123", "test/foo/bar/123", "test/foo/bar/456"].map((key, i) => ({ key, uploadId: `u${i}` }));
    const q = { "encoding-type": "url", delimiter: "/" };
    expect(value(listUploadsPage(nested, { ...q, prefix: "test/" }))).toMatchObject({
      prefix: "test/",
      delimiter: "/",
      encodingType: "url",
      commonPrefixes: ["test/bar/", "test/foo/"],
      uploads: [],
      nextKeyMarker: "",
      isTruncated: false,
    });
    expect(value(listUploadsPage(nested, { ...q, prefix: "test/foo/" })).commonPrefixes).toEqual(["test/foo/bar/"]);
    expect(value(listUploadsPage(nested, { ...q, prefix: "test/foo/bar" })).commonPrefixes).toEqual(["test/foo/bar/"]);
    const raw = value(listUploadsPage(nested, { prefix: "test/foo" }));
    expect(ids(raw)).toEqual(["u1", "u2"]);
    const markers = { keyMarker: "", uploadIdMarker: "", nextKeyMarker: "test/foo/bar/456", nextUploadIdMarker: "u2" };
    expect(raw).toMatchObject({ prefix: "test/foo", ...markers });
  });

  it("key markers and common prefixes (test_list_multipart_uploads_marker_common_prefixes)", () => {
    const keys = ["folder/aSubfolder/subFile1", "folder/aSubfolder/subFile2", "folder/file1", "folder/file2"];
    const folders = keys.map((key, i) => ({ key, uploadId: `f${i}` }));
    const q = { prefix: "folder/", delimiter: "/", "max-uploads": "1" };
    const start = { commonPrefixes: ["folder/aSubfolder/"], isTruncated: true, nextKeyMarker: "", nextUploadIdMarker: "" };
    expect(value(listUploadsPage(folders, q))).toMatchObject(start);
    for (const keyMarker of ["folder/aSubfolder/", "folder/aSubfolder/subFile1"]) {
      const page = value(listUploadsPage(folders, { ...q, "key-marker": keyMarker }));
      const expected = {
        keyMarker,
        isTruncated: true,
        nextKeyMarker: "folder/file1",
        nextUploadIdMarker: "f2",
        commonPrefixes: [],
      };
      expect(page, keyMarker).toMatchObject(expected);
      expect(ids(page)).toEqual(["f2"]);
    }
  });

  it("url-encodes keys and markers; refuses another encoding-type and a bad max-uploads", () => {
    const page = value(listUploadsPage([{ key: "a b=c", uploadId: "x" }], { "encoding-type": "url", "key-marker": "a a" }));
    expect(page).toMatchObject({ keyMarker: "a+a", nextKeyMarker: "a+b%3Dc", uploads: [{ key: "a+b%3Dc", uploadId: "x" }] });
    expect(fields(listUploadsPage([], { "encoding-type": "value" }))).toEqual({
      ArgumentName: "encoding-type",
      ArgumentValue: "value",
    });
    const refused = (maxUploads: string) => failure(listUploadsPage([], { "max-uploads": maxUploads })).message;
    expect(refused("-1")).toBe("Argument max-uploads must be an integer between 0 and 2147483647");
    expect(refused("2157483647")).toBe("Provided max-uploads not an integer or within integer range");
    expect(value(listUploadsPage([], { "max-uploads": "" })).maxUploads).toBe(1000);
  });
});
