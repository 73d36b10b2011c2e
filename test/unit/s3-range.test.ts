/**
 * Byte ranges as AWS answers them. The GET cases are test_s3_api.snapshot.json
 * TestS3GetObject::test_get_object_range (a 10-byte object "0123456789") and test_s3.snapshot.json
 * test_invalid_range_error; the copy cases are test_s3_api.snapshot.json test_upload_part_copy_range;
 * the part cases test_s3.snapshot.json test_get_object_part.
 */
import { describe, expect, it } from "vitest";
import { contentRange, parseCopySourceRange, parseRange, partRange, unsatisfiedContentRange } from "../../src/domain/s3/range";
import type { S3ErrorInfo } from "../../src/domain/s3/rule-errors";
import { failure, value } from "./results";

const fields = (result: { ok: boolean }) => ((result as { error?: S3ErrorInfo }).error ?? {}).fields;

describe("GET Range (recorded on a 10-byte object)", () => {
  it.each([
    ["bytes=0-8", 0, 8, "bytes 0-8/10"],
    ["bytes=1-1", 1, 1, "bytes 1-1/10"],
    ["bytes=1-", 1, 9, "bytes 1-9/10"],
    ["bytes=-2", 8, 9, "bytes 8-9/10"],
    ["bytes=-9", 1, 9, "bytes 1-9/10"],
    ["bytes=-15", 0, 9, "bytes 0-9/10"],
    ["bytes=0-100", 0, 9, "bytes 0-9/10"],
    ["bytes=0-0", 0, 0, "bytes 0-0/10"],
  ])("%s → 206 %s", (header, start, end, expected) => {
    expect(value(parseRange(header, 10))).toEqual({ start, end });
    expect(contentRange(start as number, end as number, 10)).toBe(expected);
  });

  it.each(["bytes=1-0", "bytes=-1-", "bytes=0--1", "bytes=0-1,3-4,7-9", "0-1", "bytes=-"])(
    "%s is ignored: the whole object, 200",
    (header) => {
      expect(value(parseRange(header, 10))).toBeUndefined();
    },
  );

  it("no header is the whole object", () => {
    expect(value(parseRange(null, 10))).toBeUndefined();
    expect(value(parseRange(undefined, 10))).toBeUndefined();
  });

  it.each([
    ["bytes=-0", 10],
    ["bytes=100-200", 10],
    ["bytes=1024-4096", 8],
  ])("%s on %i bytes → 416 InvalidRange with RangeRequested and ActualObjectSize", (header, size) => {
    const result = parseRange(header, size);
    expect(failure(result)).toMatchObject({
      code: "InvalidRange",
      status: 416,
      message: "The requested range is not satisfiable",
    });
    expect(fields(result)).toEqual({ RangeRequested: header, ActualObjectSize: String(size) });
  });

  it("a 416 names the size in Content-Range", () => {
    expect(unsatisfiedContentRange(10)).toBe("bytes */10");
  });

  it("the first byte just past the end is unsatisfiable, the last byte is not", () => {
    expect(failure(parseRange("bytes=10-", 10)).code).toBe("InvalidRange");
    expect(value(parseRange("bytes=9-", 10))).toEqual({ start: 9, end: 9 });
  });

  it("nothing in an empty object can be selected (RFC 9110 §14.1.2)", () => {
    expect(failure(parseRange("bytes=0-", 0)).code).toBe("InvalidRange");
    expect(failure(parseRange("bytes=-5", 0)).code).toBe("InvalidRange");
  });

  it("the unit is case-insensitive; offsets beyond 2^53 still compare", () => {
    expect(value(parseRange("Bytes=2-3", 10))).toEqual({ start: 2, end: 3 });
    expect(failure(parseRange("bytes=99999999999999999999-", 10)).code).toBe("InvalidRange");
    expect(value(parseRange("bytes=0-99999999999999999999", 10))).toEqual({ start: 0, end: 9 });
  });
});

describe("x-amz-copy-source-range (recorded on a 10-byte source)", () => {
  it("bytes=first-last within the object", () => {
    expect(value(parseCopySourceRange("bytes=0-8", 10))).toEqual({ start: 0, end: 8 });
    expect(value(parseCopySourceRange("bytes=9-9", 10))).toEqual({ start: 9, end: 9 });
  });

  it.each([
    "0-8",
    "bytes=1-0",
    "bytes=-1-",
    "bytes=0--1",
    "bytes=0-1,3-4,7-9",
    "bytes=-",
    "bytes=-0",
    "bytes=1-",
    "bytes=-2",
    "bytes=-15",
  ])("%s → InvalidArgument naming the header and value", (header) => {
    const result = parseCopySourceRange(header, 10);
    expect(failure(result)).toMatchObject({
      code: "InvalidArgument",
      status: 400,
      message:
        "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy",
    });
    expect(fields(result)).toEqual({ ArgumentName: "x-amz-copy-source-range", ArgumentValue: header });
  });

  it("bytes=0-100 → InvalidArgument naming the source size", () => {
    const result = parseCopySourceRange("bytes=0-100", 10);
    expect(failure(result).message).toBe("Range specified is not valid for source object of size: 10");
    expect(fields(result)).toEqual({ ArgumentName: "x-amz-copy-source-range", ArgumentValue: "bytes=0-100" });
  });

  it("bytes=100-200 → InvalidRequest", () => {
    expect(failure(parseCopySourceRange("bytes=100-200", 10))).toMatchObject({
      code: "InvalidRequest",
      message: "The specified copy range is invalid for the source object size",
    });
  });
});

describe("GET ?partNumber", () => {
  const parts = [5_242_881, 5_242_881, 10];

  it("selects the bytes of the part", () => {
    expect(value(partRange(1, parts))).toEqual({ start: 0, end: 5_242_880 });
    expect(value(partRange(3, parts))).toEqual({ start: 10_485_762, end: 10_485_771 });
    expect(value(partRange(1, [4]))).toEqual({ start: 0, end: 3 });
  });

  it("a part past the last → 416 InvalidPartNumber (recorded: 10 of 2, 2 of a plain object)", () => {
    const result = partRange(10, [5_242_881, 10]);
    expect(failure(result)).toMatchObject({
      code: "InvalidPartNumber",
      status: 416,
      message: "The requested partnumber is not satisfiable",
    });
    expect(fields(result)).toEqual({ PartNumberRequested: "10", ActualPartCount: "2" });
    expect(fields(partRange(2, [4]))).toEqual({ PartNumberRequested: "2", ActualPartCount: "1" });
  });

  it("with a Range header as well → InvalidRequest", () => {
    expect(failure(partRange(1, parts, "bytes=0-1"))).toMatchObject({
      code: "InvalidRequest",
      message: "Cannot specify both Range header and partNumber query parameter",
    });
  });
});
