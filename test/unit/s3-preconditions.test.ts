/**
 * Conditional requests as AWS answers them. Reads: test_s3.snapshot.json
 * test_s3_get_object_preconditions[get_object|head_object] (all four conditions at once, then by
 * elimination). Copy source: test_s3_preconditions.snapshot.json. Writes: test_s3_api.snapshot.json
 * test_put_object_if_none_match*, test_put_object_if_match*, test_copy_object_precondition_write_validation,
 * test_multipart_if_match_etag, test_delete_object_if_match_*_non_express.
 */
import { describe, expect, it } from "vitest";
import {
  checkCopySourcePreconditions,
  checkDeleteConditions,
  checkReadPreconditions,
  checkWriteConditions,
  etagMatches,
  parseHttpDate,
  validateWriteConditions,
} from "../../src/domain/s3/preconditions";
import type { S3ErrorInfo } from "../../src/domain/s3/rule-errors";
import { failure, value } from "./results";

const etag = '"8d777f385d3dfec8815d20f7496026dc"';
const lastModified = Date.UTC(2026, 11, 2, 6, 0, 0, 500); // S3 keeps whole seconds: 06:00:00
const target = { etag, lastModified };
const now = lastModified + 3_000; // the recording waits 3 s
const http = (ms: number) => new Date(ms).toUTCString();
const dayAgo = http(now - 86_400_000);
const nowHttp = http(now);

const PRECONDITION_MESSAGE = "At least one of the pre-conditions you specified did not hold";

describe("read preconditions (GetObject, HeadObject)", () => {
  it("a failing If-Match wins over every other failing condition → 412 If-Match", () => {
    const result = checkReadPreconditions(
      { ifModifiedSince: nowHttp, ifUnmodifiedSince: dayAgo, ifMatch: "etag123", ifNoneMatch: etag },
      target,
      now,
    );
    expect(failure(result)).toMatchObject({ code: "PreconditionFailed", status: 412, message: PRECONDITION_MESSAGE });
    expect(result.ok ? undefined : (result.error as S3ErrorInfo).fields).toEqual({ Condition: "If-Match" });
  });

  it("then a failing If-Unmodified-Since → 412 If-Unmodified-Since", () => {
    const result = checkReadPreconditions(
      { ifModifiedSince: nowHttp, ifUnmodifiedSince: dayAgo, ifNoneMatch: etag },
      target,
      now,
    );
    expect(result.ok ? undefined : (result.error as S3ErrorInfo).fields).toEqual({ Condition: "If-Unmodified-Since" });
  });

  it("then a matching If-None-Match → 304", () => {
    expect(value(checkReadPreconditions({ ifModifiedSince: nowHttp, ifNoneMatch: etag }, target, now))).toBe("not-modified");
  });

  it("If-None-Match ignores missing quotes, and * matches any object", () => {
    expect(value(checkReadPreconditions({ ifModifiedSince: nowHttp, ifNoneMatch: etag.slice(1, -1) }, target, now))).toBe(
      "not-modified",
    );
    expect(value(checkReadPreconditions({ ifNoneMatch: "*" }, target, now))).toBe("not-modified");
  });

  it("If-Modified-Since alone, not modified since → 304; equal to Last-Modified (whole seconds) → 304", () => {
    expect(value(checkReadPreconditions({ ifModifiedSince: nowHttp }, target, now))).toBe("not-modified");
    expect(value(checkReadPreconditions({ ifModifiedSince: http(lastModified) }, target, now))).toBe("not-modified");
  });

  it("If-Modified-Since in the future is ignored", () => {
    expect(value(checkReadPreconditions({ ifModifiedSince: http(now + 86_400_000) }, target, now))).toBe("proceed");
  });

  it("If-Unmodified-Since equal to Last-Modified holds", () => {
    expect(value(checkReadPreconditions({ ifUnmodifiedSince: http(lastModified) }, target, now))).toBe("proceed");
  });

  it("all four true → proceed (If-Match without quotes)", () => {
    const headers = { ifMatch: etag.slice(1, -1), ifNoneMatch: "etag123", ifModifiedSince: dayAgo, ifUnmodifiedSince: nowHttp };
    expect(value(checkReadPreconditions(headers, target, now))).toBe("proceed");
  });

  it("If-Match true makes a false If-Unmodified-Since irrelevant → 200 (AWS docs)", () => {
    expect(value(checkReadPreconditions({ ifMatch: etag, ifUnmodifiedSince: dayAgo }, target, now))).toBe("proceed");
  });

  it("If-None-Match false and If-Modified-Since true → 304 (AWS docs); If-None-Match true makes If-Modified-Since irrelevant", () => {
    expect(value(checkReadPreconditions({ ifNoneMatch: etag, ifModifiedSince: dayAgo }, target, now))).toBe("not-modified");
    expect(value(checkReadPreconditions({ ifNoneMatch: '"other"', ifModifiedSince: nowHttp }, target, now))).toBe("proceed");
  });

  it("dates that are not HTTP-dates are ignored; empty headers count as absent", () => {
    expect(value(checkReadPreconditions({ ifUnmodifiedSince: "yesterday", ifModifiedSince: "garbage" }, target, now))).toBe(
      "proceed",
    );
    expect(value(checkReadPreconditions({ ifMatch: "", ifNoneMatch: "" }, target, now))).toBe("proceed");
  });
});

describe("copy source preconditions (x-amz-copy-source-if-*)", () => {
  const condition = (problem: unknown) => (problem as S3ErrorInfo | undefined)?.fields?.Condition;

  it("evaluate in the same order, every failure a 412 naming the x-amz-copy-source- header", () => {
    const all = { ifModifiedSince: nowHttp, ifUnmodifiedSince: dayAgo, ifMatch: "etag123", ifNoneMatch: etag };
    expect(condition(checkCopySourcePreconditions(all, target, now))).toBe("x-amz-copy-source-If-Match");
    expect(condition(checkCopySourcePreconditions({ ...all, ifMatch: undefined }, target, now))).toBe(
      "x-amz-copy-source-If-Unmodified-Since",
    );
    expect(condition(checkCopySourcePreconditions({ ifModifiedSince: nowHttp, ifNoneMatch: etag }, target, now))).toBe(
      "x-amz-copy-source-If-None-Match",
    );
    expect(condition(checkCopySourcePreconditions({ ifModifiedSince: nowHttp }, target, now))).toBe(
      "x-amz-copy-source-If-Modified-Since",
    );
    expect(checkCopySourcePreconditions({ ifModifiedSince: nowHttp }, target, now)).toMatchObject({
      code: "PreconditionFailed",
      status: 412,
    });
  });

  it("a future If-Modified-Since is ignored; an ETag without quotes still matches", () => {
    expect(checkCopySourcePreconditions({ ifModifiedSince: http(now + 86_400_000) }, target, now)).toBeUndefined();
    expect(condition(checkCopySourcePreconditions({ ifNoneMatch: etag.slice(1, -1) }, target, now))).toBe(
      "x-amz-copy-source-If-None-Match",
    );
  });

  it("Last-Modified itself: If-Modified-Since fails, If-Unmodified-Since holds (versioned recordings)", () => {
    expect(condition(checkCopySourcePreconditions({ ifModifiedSince: http(lastModified) }, target, now))).toBe(
      "x-amz-copy-source-If-Modified-Since",
    );
    expect(checkCopySourcePreconditions({ ifModifiedSince: http(lastModified - 60_000) }, target, now)).toBeUndefined();
    expect(checkCopySourcePreconditions({ ifUnmodifiedSince: http(lastModified) }, target, now)).toBeUndefined();
  });

  it("all four true → copy", () => {
    const headers = { ifMatch: etag.slice(1, -1), ifNoneMatch: "etag123", ifModifiedSince: dayAgo, ifUnmodifiedSince: nowHttp };
    expect(checkCopySourcePreconditions(headers, target, now)).toBeUndefined();
  });
});

describe("write preconditions (PutObject, CompleteMultipartUpload, CopyObject destination)", () => {
  const header = (problem: unknown) => (problem as S3ErrorInfo).fields;

  it("If-None-Match other than * → 501 NotImplemented", () => {
    const problem = validateWriteConditions({ ifNoneMatch: etag });
    expect(problem).toMatchObject({
      code: "NotImplemented",
      status: 501,
      message: "A header you provided implies functionality that is not implemented",
    });
    expect(header(problem)).toEqual({
      Header: "If-None-Match",
      additionalMessage: "We don't accept the provided value of If-None-Match header for this API",
    });
  });

  it("If-Match * → 501 NotImplemented", () => {
    expect(header(validateWriteConditions({ ifMatch: "*" }))).toEqual({
      Header: "If-Match",
      additionalMessage: "We don't accept the provided value of If-Match header for this API",
    });
  });

  it("both headers → 501 naming both, before their values are looked at", () => {
    const expected = {
      Header: "If-Match,If-None-Match",
      additionalMessage: "Multiple conditional request headers present in the request",
    };
    expect(header(validateWriteConditions({ ifNoneMatch: "*", ifMatch: "abcdef" }))).toEqual(expected);
    expect(header(validateWriteConditions({ ifMatch: "*", ifNoneMatch: etag }))).toEqual(expected);
  });

  it("accepted values pass validation", () => {
    expect(validateWriteConditions({ ifNoneMatch: "*" })).toBeUndefined();
    expect(validateWriteConditions({ ifMatch: "bad-char_/" })).toBeUndefined();
    expect(validateWriteConditions({})).toBeUndefined();
  });

  it("If-None-Match * on an existing key → 412 If-None-Match; on a missing key → write", () => {
    expect(header(checkWriteConditions({ ifNoneMatch: "*" }, "k", { etag }))).toEqual({ Condition: "If-None-Match" });
    expect(checkWriteConditions({ ifNoneMatch: "*" }, "k", undefined)).toBeUndefined();
  });

  it("If-Match another ETag → 412 If-Match; the same ETag, quoted or not → write", () => {
    expect(header(checkWriteConditions({ ifMatch: "d41d8cd98f00b204e9800998ecf8427e" }, "k", { etag }))).toEqual({
      Condition: "If-Match",
    });
    expect(checkWriteConditions({ ifMatch: etag }, "k", { etag })).toBeUndefined();
    expect(checkWriteConditions({ ifMatch: etag.slice(1, -1) }, "k", { etag })).toBeUndefined();
  });

  it("If-Match a multipart ETag does not match a plain one (test_multipart_if_match_etag)", () => {
    const problem = checkWriteConditions({ ifMatch: etag }, "k", { etag: '"4d45984fc3feb2ac9b22683c49674b56-3"' });
    expect(header(problem)).toEqual({ Condition: "If-Match" });
  });

  it("If-Match on a missing key → 404 NoSuchKey naming the key, whatever the value", () => {
    const problem = checkWriteConditions({ ifMatch: "bad-char_/" }, "test-precondition-validation", undefined);
    expect(problem).toMatchObject({ code: "NoSuchKey", status: 404, message: "The specified key does not exist." });
    expect(header(problem)).toEqual({ Key: "test-precondition-validation" });
  });
});

describe("DeleteObject conditions", () => {
  it("If-Match another ETag → 412; * or the ETag → delete", () => {
    expect(checkDeleteConditions({ ifMatch: "badvalue" }, "k", { etag })).toMatchObject({
      code: "PreconditionFailed",
      fields: { Condition: "If-Match" },
    });
    expect(checkDeleteConditions({ ifMatch: "*" }, "k", { etag })).toBeUndefined();
    expect(validateWriteConditions({ ifMatch: "*" }, true)).toBeUndefined();
    expect(checkDeleteConditions({ ifMatch: etag }, "k", { etag })).toBeUndefined();
    expect(checkDeleteConditions({}, "k", undefined)).toBeUndefined();
  });

  it("x-amz-if-match-last-modified-time and x-amz-if-match-size → 501 (last-modified-time first)", () => {
    expect(checkDeleteConditions({ ifMatchLastModifiedTime: nowHttp }, "k", { etag })).toMatchObject({
      code: "NotImplemented",
      fields: { Header: "x-amz-if-match-last-modified-time" },
    });
    expect(checkDeleteConditions({ ifMatchSize: "10" }, "k", { etag })).toMatchObject({
      fields: { Header: "x-amz-if-match-size" },
    });
    expect(checkDeleteConditions({ ifMatchSize: "10", ifMatchLastModifiedTime: nowHttp }, "k", { etag })).toMatchObject({
      fields: { Header: "x-amz-if-match-last-modified-time" },
    });
  });
});

describe("ETags and HTTP-dates", () => {
  it("ETag lists, weak markers and quotes", () => {
    expect(etagMatches('"a", "b"', '"b"')).toBe(true);
    expect(etagMatches('W/"b"', "b")).toBe(true);
    expect(etagMatches('"a"', '"b"')).toBe(false);
    expect(etagMatches(" * ", '"b"')).toBe(true);
  });

  it("the three HTTP-date forms of RFC 9110 §5.6.7", () => {
    const expected = Date.UTC(1994, 10, 6, 8, 49, 37);
    expect(parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT")).toBe(expected);
    expect(parseHttpDate("Sun, 6 Nov 1994 08:49:37 GMT")).toBe(expected); // an unpadded day, as some clients write it
    expect(parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT", Date.UTC(2026, 0, 1))).toBe(expected);
    expect(parseHttpDate("Sun Nov  6 08:49:37 1994")).toBe(expected);
    expect(parseHttpDate("2026-12-02T06:00:00Z")).toBeUndefined();
    expect(parseHttpDate("Sun, 06 Foo 1994 08:49:37 GMT")).toBeUndefined();
  });
});
