/** The tag rules of src/domain/s3/tagging.ts, against AWS's answers (test_s3_api TestS3BucketObjectTagging). */
import { describe, expect, it } from "vitest";
import { parseXml } from "../../src/protocol/s3/xml";
import { parseTaggingDocument, parseTaggingHeader, tagsProblem } from "../../src/domain/s3/tagging";

const document = (inner: string) => {
  const parsed = parseXml(`<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${inner}</Tagging>`);
  if (!parsed.ok) throw new Error("not XML");
  return parsed.value;
};

describe("S3 tags", () => {
  it("reads a TagSet in order, an empty one as no tags", () => {
    const tags = parseTaggingDocument(
      document("<TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value></Value></Tag></TagSet>"),
      "object",
    );
    expect(tags).toEqual({
      ok: true,
      value: [
        { key: "a", value: "1" },
        { key: "b", value: "" },
      ],
    });
    expect(parseTaggingDocument(document("<TagSet></TagSet>"), "bucket")).toEqual({ ok: true, value: [] });
    expect(parseTaggingDocument(document("<TagSet/>"), "bucket")).toEqual({ ok: true, value: [] });
  });

  it("refuses a tag without its Key or Value as MalformedXML", () => {
    for (const tag of ["<Tag><Key>a</Key></Tag>", "<Tag><Value>a</Value></Tag>"]) {
      const read = parseTaggingDocument(document(`<TagSet>${tag}</TagSet>`), "object");
      expect(read.ok ? undefined : read.error.code).toBe("MalformedXML");
    }
    const noSet = parseTaggingDocument(document(""), "object");
    expect(noSet.ok ? undefined : noSet.error.code).toBe("MalformedXML");
  });

  it("checks tag by tag, then the count (10 per object, 50 per bucket)", () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: "v" }));
    expect(tagsProblem(many(10), "object")).toBeUndefined();
    expect(tagsProblem(many(11), "object")).toMatchObject({
      code: "BadRequest",
      message: "Object tags cannot be greater than 10",
    });
    expect(tagsProblem(many(50), "bucket")).toBeUndefined();
    expect(tagsProblem(many(51), "bucket")).toMatchObject({ code: "BadRequest" });
    const invalidFirst = [...many(11), { key: "bad,key", value: "v" }];
    expect(tagsProblem(invalidFirst, "object")).toMatchObject({ code: "InvalidTag", fields: { TagKey: "bad,key" } });
    expect(tagsProblem([{ key: "k".repeat(128), value: "v".repeat(256) }], "object")).toBeUndefined();
    expect(tagsProblem([{ key: "é".repeat(128), value: "ü".repeat(256) }], "object")).toBeUndefined();
    expect(tagsProblem([{ key: "k".repeat(129), value: "" }], "object")).toMatchObject({
      message: "The TagKey you have provided is invalid",
    });
    expect(tagsProblem([{ key: "k", value: "v".repeat(257) }], "object")).toMatchObject({
      message: "The TagValue you have provided is invalid",
    });
    expect(tagsProblem([{ key: "", value: "v" }], "object")).toMatchObject({
      message: "The TagKey you have provided is invalid",
    });
    expect(tagsProblem([{ key: "a b+-=._:/@", value: "x y" }], "object")).toBeUndefined();
    expect(tagsProblem([{ key: "AWS:x", value: "" }], "object")).toMatchObject({
      message: "Your TagKey cannot be prefixed with aws:",
    });
  });

  it("reads x-amz-tagging as S3 does (recorded)", () => {
    expect(parseTaggingHeader("tag1=tag1&tag2=tag2&tag=")).toEqual({
      ok: true,
      value: [
        { key: "tag1", value: "tag1" },
        { key: "tag2", value: "tag2" },
        { key: "tag", value: "" },
      ],
    });
    expect(parseTaggingHeader("wrongquery&wrongagain")).toEqual({
      ok: true,
      value: [
        { key: "wrongquery", value: "" },
        { key: "wrongagain", value: "" },
      ],
    });
    expect(parseTaggingHeader("key1&&&key2")).toEqual({
      ok: true,
      value: [
        { key: "key1", value: "" },
        { key: "key2", value: "" },
      ],
    });
    for (const value of ["key1=val1&key1=val2", "key1=val1,key2=val2"]) {
      expect(parseTaggingHeader(value)).toMatchObject({
        ok: false,
        error: { code: "InvalidArgument", fields: { ArgumentName: "x-amz-tagging", ArgumentValue: value } },
      });
    }
    expect(parseTaggingHeader("aws:x=1")).toMatchObject({ ok: false, error: { code: "InvalidTag" } });
  });
});
