/**
 * CopyObject's and DeleteObjects' pure rules: the copy source header, directives, what a copy keeps,
 * copies onto themselves; the Delete document (test_s3.snapshot.json, test_s3_api.snapshot.json).
 */
import { describe, expect, it } from "vitest";
import {
  copiedHeaders,
  copySourceProblem,
  copyToItselfProblem,
  MAX_COPY_SOURCE_BYTES,
  parseCopySource,
  parseDirective,
} from "../../src/domain/s3/copy-rules";
import { MAX_DELETE_OBJECTS, parseDeleteRequest } from "../../src/domain/s3/delete-request";
import type { S3ErrorInfo } from "../../src/domain/s3/errors";
import type { Result } from "../../src/domain/errors";
import { failure, value } from "./results";

/** The error with its extra `<Error>` members (failure() gives the wire's common ones only). */
const s3Failure = (result: Result<unknown>): S3ErrorInfo => {
  if (result.ok) throw new Error("expected a failure");
  return result.error as S3ErrorInfo;
};

describe("x-amz-copy-source", () => {
  it("reads bucket/key and /bucket/key, percent-decoded, with an optional version id", () => {
    expect(value(parseCopySource("bucket/key"))).toEqual({ bucket: "bucket", key: "key" });
    expect(value(parseCopySource("/bucket/a%2Fb/%F0%9F%98%80"))).toEqual({ bucket: "bucket", key: "a/b/😀" });
    expect(value(parseCopySource("bucket/test+key"))).toEqual({ bucket: "bucket", key: "test+key" });
    expect(value(parseCopySource("bucket/what%3F?versionId=v1"))).toEqual({ bucket: "bucket", key: "what?", versionId: "v1" });
    expect(value(parseCopySource("bucket/dir/?versionId="))).toEqual({ bucket: "bucket", key: "dir/" });
  });

  it("refuses a source without bucket and key as AWS does (test_s3_copy_object_wrong_format)", () => {
    for (const header of ["wrongformat", "/bucket", "bucket/", "/", "%E0%A4%A/key"]) {
      expect(s3Failure(parseCopySource(header))).toMatchObject({
        code: "InvalidArgument",
        message: "Invalid copy source object key",
        fields: { ArgumentName: "x-amz-copy-source", ArgumentValue: "x-amz-copy-source" },
      });
    }
  });
});

describe("directives and what a copy keeps", () => {
  it("reads COPY (the default) and REPLACE, and refuses others", () => {
    expect(value(parseDirective(null, "metadata"))).toBe("COPY");
    expect(value(parseDirective("REPLACE", "tagging"))).toBe("REPLACE");
    expect(s3Failure(parseDirective("copy", "metadata"))).toMatchObject({
      code: "InvalidArgument",
      fields: { ArgumentName: "x-amz-metadata-directive", ArgumentValue: "copy" },
    });
    expect(s3Failure(parseDirective("X", "tagging")).fields?.ArgumentName).toBe("x-amz-tagging-directive");
  });

  it("copies content headers, never the storage class or website redirect, and drops STANDARD", () => {
    const source = {
      "content-type": "application/json",
      "x-amz-storage-class": "STANDARD_IA",
      "x-amz-website-redirect-location": "/old",
    };
    expect(copiedHeaders("COPY", source, { "content-type": "text/plain" })).toEqual({ "content-type": "application/json" });
    expect(
      copiedHeaders("COPY", source, { "x-amz-storage-class": "GLACIER", "x-amz-website-redirect-location": "/new" }),
    ).toEqual({
      "content-type": "application/json",
      "x-amz-storage-class": "GLACIER",
      "x-amz-website-redirect-location": "/new",
    });
    expect(copiedHeaders("COPY", source, { "x-amz-storage-class": "STANDARD" })).toEqual({ "content-type": "application/json" });
    expect(copiedHeaders("REPLACE", source, { "cache-control": "no-cache" })).toEqual({ "cache-control": "no-cache" });
  });

  it("refuses a copy onto itself unless it changes metadata, storage class, redirect or encryption", () => {
    const none = { metadataDirective: "COPY" as const, storageClass: false, websiteRedirectLocation: false, encryption: false };
    const self = { bucket: "b", key: "k" };
    expect(copyToItselfProblem(self, self, none)?.message).toMatch(/^This copy request is illegal because/);
    expect(copyToItselfProblem(self, { bucket: "b", key: "other" }, none)).toBeUndefined();
    expect(copyToItselfProblem(self, { bucket: "c", key: "k" }, none)).toBeUndefined();
    for (const change of [
      { metadataDirective: "REPLACE" as const },
      { storageClass: true },
      { websiteRedirectLocation: true },
      { encryption: true },
    ]) {
      expect(copyToItselfProblem(self, self, { ...none, ...change })).toBeUndefined();
    }
  });
});

describe("the Delete document", () => {
  const doc = (objects: string, extra = "") =>
    `<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${extra}${objects}</Delete>`;

  it("reads keys exactly (spaces and entities kept), version ids and Quiet", () => {
    const parsed = value(
      parseDeleteRequest(
        doc(
          "<Object><Key> spaced </Key></Object>\n  <Object><Key>a&amp;b&lt;c</Key><VersionId>null</VersionId></Object>",
          "<Quiet>true</Quiet>",
        ),
      ),
    );
    expect(parsed).toEqual({ quiet: true, objects: [{ key: " spaced " }, { key: "a&b<c", versionId: "null" }] });
    expect(value(parseDeleteRequest(doc("<Object><Key>k</Key></Object>"))).quiet).toBe(false);
  });

  it("refuses what is not a Delete of 1 to 1,000 keyed objects with MalformedXML", () => {
    const many = Array.from({ length: MAX_DELETE_OBJECTS + 1 }, (_, i) => `<Object><Key>k${i}</Key></Object>`).join("");
    const exactly = Array.from({ length: MAX_DELETE_OBJECTS }, (_, i) => `<Object><Key>k${i}</Key></Object>`).join("");
    expect(value(parseDeleteRequest(doc(exactly))).objects).toHaveLength(MAX_DELETE_OBJECTS);
    for (const body of [
      doc(many),
      doc(""),
      doc("<Object></Object>"),
      doc("<Object><Key></Key></Object>"),
      doc("<Object><Key>k</Key></Object>", "<Quiet>maybe</Quiet>"),
      "<Other><Object><Key>k</Key></Object></Other>",
      "<Delete><Object><Key>k</Key></Object>",
      "",
      "not xml",
    ]) {
      expect(failure(parseDeleteRequest(body))).toMatchObject({ code: "MalformedXML", status: 400 });
    }
  });
});

describe("the source, once found", () => {
  const object = { etag: '"abc"', lastModified: Date.UTC(2026, 0, 1), size: 10 };
  const source = { bucket: "b", key: "k" };
  const now = Date.UTC(2026, 5, 1);

  it("takes the null version only (an unversioned bucket's)", () => {
    expect(copySourceProblem({ ...source, versionId: "null" }, object, {}, now)).toBeUndefined();
    expect(copySourceProblem({ ...source, versionId: "v1" }, object, {}, now)).toMatchObject({
      code: "NoSuchVersion",
      status: 404,
      fields: { Key: "k", VersionId: "v1" },
    });
  });

  it("checks x-amz-copy-source-if-* (every failure 412) and then the 5 GiB limit", () => {
    expect(copySourceProblem(source, object, { ifMatch: '"other"' }, now)).toMatchObject({
      code: "PreconditionFailed",
      status: 412,
      fields: { Condition: "x-amz-copy-source-If-Match" },
    });
    expect(copySourceProblem(source, object, { ifNoneMatch: "abc" }, now)?.status).toBe(412);
    expect(copySourceProblem(source, object, { ifMatch: "abc" }, now)).toBeUndefined();
    expect(copySourceProblem(source, { ...object, size: MAX_COPY_SOURCE_BYTES }, {}, now)).toBeUndefined();
    expect(copySourceProblem(source, { ...object, size: MAX_COPY_SOURCE_BYTES + 1 }, {}, now)).toMatchObject({
      code: "InvalidRequest",
      message: "The specified copy source is larger than the maximum allowable size for a copy source: 5368709120",
    });
  });
});
