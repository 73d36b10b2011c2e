/**
 * ListObjectsV2 / ListObjects over an in-memory key source, against test_s3_list_operations.snapshot.json
 * (TestS3ListObjects, TestS3ListObjectsV2; the request parameters are those of LocalStack's
 * tests/aws/services/s3/test_s3_list_operations.py, which botocore sends with encoding-type=url and
 * decodes again unless the test set EncodingType itself) and test_s3.snapshot.json test_url_encoded_key.
 */
import { describe, expect, it } from "vitest";
import {
  commonPrefixOf,
  compareUtf8,
  decodeContinuationToken,
  encodeContinuationToken,
  type KeySource,
  type KeyStart,
  listObjectsV1,
  listObjectsV2,
  listPage,
  parseMaxArgument,
  prefixEnd,
  s3UrlEncode,
} from "../../src/domain/s3/listing";
import type { S3ErrorInfo } from "../../src/domain/s3/rule-errors";
import { failure, value } from "./results";

interface Row {
  key: string;
  size: number;
}

/** What the Durable Object's indexed range query does, plus a count of the rows it read. */
function memorySource(keys: string[]) {
  const rows = [...keys].sort(compareUtf8).map((key) => ({ key, size: 11 }));
  const stats = { calls: 0, rowsRead: 0 };
  const source: KeySource<Row> = (start: KeyStart, prefix: string, limit: number) => {
    stats.calls++;
    const out: Row[] = [];
    for (const row of rows) {
      if (out.length === limit) break;
      if (!row.key.startsWith(prefix)) continue;
      if (start && "after" in start && compareUtf8(row.key, start.after) <= 0) continue;
      if (start && "from" in start && compareUtf8(row.key, start.from) < 0) continue;
      out.push(row);
    }
    stats.rowsRead += out.length;
    return out;
  };
  return { source, stats };
}

const keysOf = (output: { contents: Row[] }) => output.contents.map((c) => c.key);
const errorFields = (result: { ok: boolean }) => (result as { error?: S3ErrorInfo }).error?.fields;

const nested = ["test/foo/bar/123", "test/foo/bar/456", "test/bar/foo/123"];
const folders = ["folder/aSubfolder/subFile1", "folder/aSubfolder/subFile2", "folder/file1", "folder/file2"];
const numbered = Array.from({ length: 12 }, (_, i) => `test_${i}`);

describe("ListObjectsV2", () => {
  it("prefix only (test_list_objects_v2_with_prefix)", () => {
    const { source } = memorySource(nested);
    const all = value(listObjectsV2(source, { prefix: "test/", "encoding-type": "url" }));
    expect(keysOf(all)).toEqual(["test/bar/foo/123", "test/foo/bar/123", "test/foo/bar/456"]);
    expect(all).toMatchObject({
      prefix: "test/",
      maxKeys: 1000,
      keyCount: 3,
      isTruncated: false,
      encodingType: "url",
      commonPrefixes: [],
    });
    expect(all).not.toHaveProperty("delimiter");
    expect(all).not.toHaveProperty("nextContinuationToken");
    expect(keysOf(value(listObjectsV2(source, { prefix: "test/foo" })))).toEqual(["test/foo/bar/123", "test/foo/bar/456"]);
    const raw = value(listObjectsV2(source, { prefix: "test/foo" }));
    expect(raw).not.toHaveProperty("encodingType");
    expect(raw.keyCount).toBe(2);
  });

  it("prefix and delimiter (test_list_objects_v2_with_prefix_and_delimiter)", () => {
    const { source } = memorySource(nested);
    const q = { "encoding-type": "url", delimiter: "/" };
    expect(value(listObjectsV2(source, { ...q, prefix: "test/" }))).toMatchObject({
      commonPrefixes: ["test/bar/", "test/foo/"],
      contents: [],
      delimiter: "/",
      keyCount: 2,
      isTruncated: false,
    });
    const one = value(listObjectsV2(source, { ...q, prefix: "test/", "max-keys": "1" }));
    expect(one).toMatchObject({ commonPrefixes: ["test/bar/"], keyCount: 1, maxKeys: 1, isTruncated: true });
    expect(one.nextContinuationToken).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(value(listObjectsV2(source, { ...q, prefix: "test/foo" })).commonPrefixes).toEqual(["test/foo/"]);
    expect(value(listObjectsV2(source, { ...q, prefix: "test/foo/bar" })).commonPrefixes).toEqual(["test/foo/bar/"]);
  });

  it("continuation and start-after (test_list_objects_v2_continuation_start_after)", () => {
    const { source } = memorySource(numbered);
    const first = value(listObjectsV2(source, { "max-keys": "5" }));
    expect(keysOf(first)).toEqual(["test_0", "test_1", "test_10", "test_11", "test_2"]);
    expect(first).toMatchObject({ isTruncated: true, keyCount: 5, prefix: "" });
    const token = first.nextContinuationToken!;
    const rest = value(listObjectsV2(source, { "continuation-token": token }));
    expect(keysOf(rest)).toEqual(["test_3", "test_4", "test_5", "test_6", "test_7", "test_8", "test_9"]);
    expect(rest).toMatchObject({ continuationToken: token, isTruncated: false, keyCount: 7 });
    expect(rest).not.toHaveProperty("nextContinuationToken");

    const startAfter = value(listObjectsV2(source, { "start-after": "test_7", "max-keys": "2" }));
    expect(keysOf(startAfter)).toEqual(["test_8", "test_9"]);
    expect(startAfter).toMatchObject({ startAfter: "test_7", isTruncated: false }); // nothing after test_9: not truncated

    const both = value(listObjectsV2(source, { "start-after": "test_7", "continuation-token": token }));
    expect(keysOf(both)).toEqual(keysOf(rest)); // the token wins …
    expect(both).not.toHaveProperty("startAfter"); // … and start-after is not echoed
  });

  it("an empty or unreadable continuation token → InvalidArgument", () => {
    const { source } = memorySource(numbered);
    for (const token of ["", "garbage", encodeContinuationToken("test_3").slice(0, -2)]) {
      const result = listObjectsV2(source, { "continuation-token": token });
      expect(failure(result)).toMatchObject({
        code: "InvalidArgument",
        status: 400,
        message: "The continuation token provided is incorrect",
      });
      expect(errorFields(result)).toEqual({ ArgumentName: "continuation-token" });
    }
  });

  it("paginating over common prefixes (test_list_objects_v2_continuation_common_prefixes)", () => {
    const { source } = memorySource(folders);
    const q = { prefix: "folder/", delimiter: "/", "max-keys": "1" };
    const start = value(listObjectsV2(source, q));
    expect(start).toMatchObject({ commonPrefixes: ["folder/aSubfolder/"], contents: [], isTruncated: true, keyCount: 1 });
    const next = value(listObjectsV2(source, { ...q, "continuation-token": start.nextContinuationToken }));
    expect(next).toMatchObject({ commonPrefixes: [], isTruncated: true, keyCount: 1 });
    expect(keysOf(next)).toEqual(["folder/file1"]);
    const end = value(listObjectsV2(source, { ...q, "continuation-token": next.nextContinuationToken }));
    expect(keysOf(end)).toEqual(["folder/file2"]);
    expect(end.isTruncated).toBe(false);
    expect(end).not.toHaveProperty("nextContinuationToken");
    expect(keysOf(value(listObjectsV2(source, {})))).toEqual(folders);
  });

  const safeChars = [
    "file%2Fname",
    "test@key/",
    "test%123",
    "test%percent",
    "test key/",
    "test key//",
    "test%123/",
    "a/%F0%9F%98%80/",
    "date=2026-01-01/",
    "date=2026-02-01/",
    "date=2026-03-01/",
    "date=2026-05-01/",
  ];

  it("keys with URL-special characters, in byte order, with url encoding (test_list_objects_v2_continuation_token_safe_chars)", () => {
    const { source } = memorySource(safeChars);
    const first = value(listObjectsV2(source, { "max-keys": "5" }));
    expect(keysOf(first)).toEqual([
      "a/%F0%9F%98%80/",
      "date=2026-01-01/",
      "date=2026-02-01/",
      "date=2026-03-01/",
      "date=2026-05-01/",
    ]);
    const rest = value(listObjectsV2(source, { "continuation-token": first.nextContinuationToken }));
    expect(keysOf(rest)).toEqual([
      "file%2Fname",
      "test key/",
      "test key//",
      "test%123",
      "test%123/",
      "test%percent",
      "test@key/",
    ]);

    const plain = value(listObjectsV2(source, { "start-after": "date=2026-02-01/", "max-keys": "2" }));
    expect(keysOf(plain)).toEqual(["date=2026-03-01/", "date=2026-05-01/"]);
    expect(plain).toMatchObject({ startAfter: "date=2026-02-01/", isTruncated: true });
    const url = value(listObjectsV2(source, { "start-after": "date=2026-02-01/", "max-keys": "2", "encoding-type": "url" }));
    expect(keysOf(url)).toEqual(["date%3D2026-03-01/", "date%3D2026-05-01/"]);
    expect(url.startAfter).toBe("date%3D2026-02-01/");

    // start-after is compared as given: "date%3D…" sorts before "date=…"
    const quoted = value(listObjectsV2(source, { "start-after": "date%3D2026-02-01/", "max-keys": "2" }));
    expect(keysOf(quoted)).toEqual(["date=2026-01-01/", "date=2026-02-01/"]);
    const resumed = value(listObjectsV2(source, { "continuation-token": quoted.nextContinuationToken, "max-keys": "2" }));
    expect(keysOf(resumed)).toEqual(["date=2026-03-01/", "date=2026-05-01/"]);
    expect(resumed.isTruncated).toBe(true);
  });

  it("encoding-type other than url, even empty → InvalidArgument (test_list_ops_encoding_type_validation)", () => {
    const { source } = memorySource([]);
    for (const [encodingType, argumentValue] of [
      ["value", "value"],
      ["", ""],
    ]) {
      const result = listObjectsV2(source, { "encoding-type": encodingType });
      expect(failure(result)).toMatchObject({ code: "InvalidArgument", message: "Invalid Encoding Method specified in Request" });
      expect(errorFields(result)).toEqual({ ArgumentName: "encoding-type", ArgumentValue: argumentValue });
      expect(failure(listObjectsV1(source, { "encoding-type": encodingType })).code).toBe("InvalidArgument");
    }
  });

  it("max-keys: 0 is an empty untruncated page, above 1000 is 1000, negative or unreadable is InvalidArgument", () => {
    const { source } = memorySource(numbered);
    expect(value(listObjectsV2(source, { "max-keys": "0" }))).toMatchObject({
      contents: [],
      keyCount: 0,
      isTruncated: false,
      maxKeys: 0,
    });
    expect(value(listObjectsV2(source, { "max-keys": "5000" })).maxKeys).toBe(1000);
    const negative = listObjectsV2(source, { "max-keys": "-1" });
    expect(failure(negative).message).toBe("Argument maxKeys must be an integer between 0 and 2147483647");
    expect(errorFields(negative)).toEqual({ ArgumentName: "maxKeys", ArgumentValue: "-1" });
    for (const bad of ["abc", "1.5", "2147483648", "-2147483649", "+5", " 5", "99999999999"]) {
      const result = listObjectsV2(source, { "max-keys": bad });
      expect(failure(result).message, bad).toBe("Provided max-keys not an integer or within integer range");
      expect(errorFields(result)).toEqual({ ArgumentName: "max-keys", ArgumentValue: bad });
    }
    const names = { query: "max-keys", camel: "maxKeys" };
    expect(value(parseMaxArgument("2147483647", names))).toBe(1000);
    expect(value(parseMaxArgument("00000000000000000005", names))).toBe(5); // by value, leading zeros and all
    expect(value(parseMaxArgument("-0", names))).toBe(0);
    expect(value(parseMaxArgument("", names))).toBe(1000); // empty is absent
  });

  it("fetch-owner", () => {
    const { source } = memorySource(numbered);
    expect(value(listObjectsV2(source, {})).fetchOwner).toBe(false);
    expect(value(listObjectsV2(source, { "fetch-owner": "true" })).fetchOwner).toBe(true);
  });
});

describe("ListObjects (V1)", () => {
  it("prefix with '', '/' and '%2F' delimiters (test_list_objects_with_prefix)", () => {
    const { source } = memorySource(["test/foo/bar/123"]);
    const none = value(listObjectsV1(source, { prefix: "test/", delimiter: "", "max-keys": "1", "encoding-type": "url" }));
    expect(keysOf(none)).toEqual(["test/foo/bar/123"]);
    expect(none).not.toHaveProperty("delimiter");
    expect(none).toMatchObject({ marker: "", maxKeys: 1, isTruncated: false, prefix: "test/" });
    const slash = value(listObjectsV1(source, { prefix: "test/", delimiter: "/", "max-keys": "1", "encoding-type": "url" }));
    expect(slash).toMatchObject({ commonPrefixes: ["test/foo/"], contents: [], delimiter: "/", isTruncated: false });
    expect(slash).not.toHaveProperty("nextMarker");
    // the literal delimiter "%2F" rolls nothing up and is echoed encoded
    const literal = value(listObjectsV1(source, { prefix: "test/", delimiter: "%2F", "max-keys": "1", "encoding-type": "url" }));
    expect(keysOf(literal)).toEqual(["test/foo/bar/123"]);
    expect(literal.delimiter).toBe("%252F");
    const raw = value(listObjectsV1(source, { prefix: "test", delimiter: "/" }));
    expect(raw).toMatchObject({ commonPrefixes: ["test/"], delimiter: "/", marker: "", maxKeys: 1000, prefix: "test" });
    expect(raw).not.toHaveProperty("encodingType");
  });

  it("NextMarker only with a delimiter (test_list_objects_next_marker)", () => {
    const { source } = memorySource(["test_0", "test_1", "test_2"]);
    expect(value(listObjectsV1(source, {}))).toMatchObject({ marker: "", maxKeys: 1000, isTruncated: false });
    const one = value(listObjectsV1(source, { "max-keys": "1", delimiter: "/" }));
    expect(one).toMatchObject({ isTruncated: true, nextMarker: "test_0" });
    const rest = value(listObjectsV1(source, { marker: one.nextMarker, "max-keys": "1" }));
    expect(keysOf(rest)).toEqual(["test_1"]);
    expect(rest).toMatchObject({ marker: "test_0", isTruncated: true });
    expect(rest).not.toHaveProperty("nextMarker");
    const empty = value(listObjectsV1(source, { marker: "", "max-keys": "1" }));
    expect(keysOf(empty)).toEqual(["test_0"]);
    expect(empty.marker).toBe("");
  });

  it("an empty bucket (test_s3_list_objects_empty_marker)", () => {
    const { source } = memorySource([]);
    expect(value(listObjectsV1(source, { marker: "" }))).toEqual({
      prefix: "",
      marker: "",
      maxKeys: 1000,
      isTruncated: false,
      contents: [],
      commonPrefixes: [],
    });
  });

  it("markers and common prefixes (test_list_objects_marker_common_prefixes)", () => {
    const { source } = memorySource(folders);
    const q = { prefix: "folder/", delimiter: "/", "max-keys": "1" };
    const start = value(listObjectsV1(source, q));
    expect(start).toMatchObject({ commonPrefixes: ["folder/aSubfolder/"], isTruncated: true, nextMarker: "folder/aSubfolder/" });
    const next = value(listObjectsV1(source, { ...q, marker: start.nextMarker }));
    expect(keysOf(next)).toEqual(["folder/file1"]);
    expect(next).toMatchObject({ marker: "folder/aSubfolder/", nextMarker: "folder/file1", isTruncated: true });
    const end = value(listObjectsV1(source, { ...q, marker: next.nextMarker }));
    expect(keysOf(end)).toEqual(["folder/file2"]);
    expect(end.isTruncated).toBe(false);
    expect(end).not.toHaveProperty("nextMarker");
    // a marker inside a common prefix skips the whole prefix
    const inside = value(listObjectsV1(source, { ...q, marker: "folder/aSubfolder/subFile1" }));
    expect(keysOf(inside)).toEqual(["folder/file1"]);
    expect(inside).toMatchObject({ commonPrefixes: [], nextMarker: "folder/file1", isTruncated: true });
  });

  it("url encoding of Key, Prefix, Marker and NextMarker", () => {
    const { source } = memorySource(["a b/1", "a b/2", "a+b"]);
    const page = value(
      listObjectsV1(source, { prefix: "a", delimiter: "/", marker: "a a", "max-keys": "1", "encoding-type": "url" }),
    );
    expect(page).toMatchObject({ commonPrefixes: ["a+b/"], marker: "a+a", nextMarker: "a+b/", prefix: "a" });
  });
});

describe("the listing algorithm", () => {
  it("rolls a prefix up without reading every key under it", () => {
    const keys = [...Array.from({ length: 5000 }, (_, i) => `big/${String(i).padStart(5, "0")}`), "small/1", "top"];
    const { source, stats } = memorySource(keys);
    const page = listPage(source, { prefix: "", delimiter: "/", maxKeys: 1000 });
    expect(page.commonPrefixes).toEqual(["big/", "small/"]);
    expect(page.contents.map((c) => c.key)).toEqual(["top"]);
    expect(page.isTruncated).toBe(false);
    expect(stats.rowsRead).toBeLessThan(60);
  });

  it("a source that ignores its start is a bug, not an endless loop", () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ key: `a/${String(i).padStart(3, "0")}`, size: 1 }));
    const ignoringStart: KeySource<Row> = (_start, _prefix, limit) => rows.slice(0, limit);
    expect(() => listPage(ignoringStart, { prefix: "", delimiter: "/", maxKeys: 5 })).toThrow(/not past its start/);
  });

  it("is not truncated when only keys of the last common prefix remain", () => {
    const { source } = memorySource(["a/1", "a/2", "a/3"]);
    expect(listPage(source, { prefix: "", delimiter: "/", maxKeys: 1 })).toMatchObject({
      commonPrefixes: ["a/"],
      isTruncated: false,
    });
  });

  it("a multi-character delimiter, and a key equal to the prefix", () => {
    const { source } = memorySource(["logs", "logs::2026::a", "logs::2026::b", "logs::x"]);
    const page = listPage(source, { prefix: "logs", delimiter: "::", maxKeys: 10 });
    expect(page.contents.map((c) => c.key)).toEqual(["logs"]);
    expect(page.commonPrefixes).toEqual(["logs::"]);
    expect(
      value(listObjectsV2(memorySource(["logs::2026::a", "logs::x"]).source, { prefix: "logs::", delimiter: "::" }))
        .commonPrefixes,
    ).toEqual(["logs::2026::"]);
  });

  it("pages through every entry exactly once whatever the page size", () => {
    const keys = ["a", "a/b", "a/c/d", "a/c/e", "b/", "b/x", "c", "d/1/2", "d/3", "é/1", "😀/1", "\uffff/1"];
    const { source } = memorySource(keys);
    const whole = listPage(source, { prefix: "", delimiter: "/", maxKeys: 1000 });
    for (let size = 1; size <= 4; size++) {
      const seen: string[] = [];
      let token: string | undefined;
      for (let guard = 0; guard < 50; guard++) {
        const page = value(listObjectsV2(source, { delimiter: "/", "max-keys": String(size), "continuation-token": token }));
        seen.push(...page.contents.map((c) => c.key), ...page.commonPrefixes);
        if (!page.isTruncated) break;
        token = page.nextContinuationToken;
      }
      expect(seen.sort(compareUtf8), `page size ${size}`).toEqual(
        [...whole.contents.map((c) => c.key), ...whole.commonPrefixes].sort(compareUtf8),
      );
    }
    expect(whole.commonPrefixes).toEqual(["a/", "b/", "d/", "é/", "\uffff/", "😀/"]);
  });
});

describe("helpers", () => {
  it("prefixEnd is the least string past the prefix in UTF-8 byte order", () => {
    expect(prefixEnd("folder/")).toBe("folder0");
    expect(prefixEnd("a\u{10ffff}")).toBe("b");
    expect(prefixEnd("\ud7ff")).toBe("\ue000");
    expect(prefixEnd("")).toBeUndefined();
    expect(prefixEnd("\u{10ffff}")).toBeUndefined();
    expect(prefixEnd("x😀")).toBe("x😁");
  });

  it("compareUtf8 puts characters above U+FFFF after U+E000–U+FFFF", () => {
    expect(compareUtf8("😀", "\uffff")).toBeGreaterThan(0);
    expect("😀" < "\uffff").toBe(true); // what UTF-16 order would say
    expect(compareUtf8("a", "b")).toBeLessThan(0);
    expect(compareUtf8("ab", "a")).toBeGreaterThan(0);
    expect(compareUtf8("x", "x")).toBe(0);
  });

  it("commonPrefixOf", () => {
    expect(commonPrefixOf("test/foo/bar", "test/", "/")).toBe("test/foo/");
    expect(commonPrefixOf("test/foo", "test/", "/")).toBeUndefined();
    expect(commonPrefixOf("test/foo/bar", "test/", undefined)).toBeUndefined();
  });

  it("s3UrlEncode keeps unreserved characters and '/', writes space as '+'", () => {
    expect(s3UrlEncode("date=2026-03-01/")).toBe("date%3D2026-03-01/");
    expect(s3UrlEncode("test key/")).toBe("test+key/");
    expect(s3UrlEncode("test+key")).toBe("test%2Bkey");
    expect(s3UrlEncode("%2F")).toBe("%252F");
    expect(s3UrlEncode("a/😀~_.-")).toBe("a/%F0%9F%98%80~_.-");
    expect(s3UrlEncode("\u0001")).toBe("%01");
  });

  it("continuation tokens round-trip any key, stay URL-safe and short", () => {
    for (const key of ["test_3", "folder/aSubfolder/", "😀/é", "\u0001".repeat(1024)]) {
      const token = encodeContinuationToken(key);
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(token.length).toBeLessThan(4096);
      expect(decodeContinuationToken(token)).toBe(key);
    }
  });
});
