import { describe, expect, it } from "vitest";
import { completeError, type Problem } from "../../src/domain/errors";
import type { S3Target } from "../../src/domain/firehose/contract";
import {
  evaluatedPrefixOf,
  objectKeyOf,
  parsePrefix,
  randomString,
  validateFileExtension,
  validateS3Prefixes,
  validateTimeZone,
  type ObjectKeyInput,
} from "../../src/domain/firehose/s3-keys";

// s3-prefixes.html evaluates its examples "at 10:30 AM UTC on Aug 27, 2018".
const AUG_27 = Date.parse("2018-08-27T10:30:15.123Z");
const target = (t: Partial<S3Target> = {}): S3Target => ({ bucket: "b", compression: "UNCOMPRESSED", ...t });
const input = (i: Partial<ObjectKeyInput> = {}): ObjectKeyInput => ({
  streamName: "orders",
  versionId: 1,
  arrival: AUG_27,
  uuid: "4a3e0a5c-2c1c-4f5e-9d1e-7b8e6c9f0a11",
  ...i,
});
const SUFFIX = "orders-1-2018-08-27-10-30-15-4a3e0a5c-2c1c-4f5e-9d1e-7b8e6c9f0a11";
const fixedRandom = (values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
};

/** The error a check returns, as the wire carries it. */
function problem(p: Problem): { code: string; message: string } {
  if (!p) throw new Error("expected a problem, got none");
  const e = completeError(p);
  return { code: e.code, message: e.message };
}
const invalid = (message: string) => ({ code: "InvalidArgumentException", message });
const constraint = (c: string) => invalid(`Ths supplied prefix(es) do not satisfy the following constraint: ${c}`);

describe("object keys", () => {
  it("default: yyyy/MM/dd/HH/ and the suffix in UTC", () => {
    expect(objectKeyOf(target(), input())).toBe(`2018/08/27/10/${SUFFIX}`);
    expect(objectKeyOf(target(), input({ versionId: 7, streamName: "s" }))).toBe(
      "2018/08/27/10/s-7-2018-08-27-10-30-15-4a3e0a5c-2c1c-4f5e-9d1e-7b8e6c9f0a11",
    );
  });

  it("CustomTimeZone moves the default prefix and the suffix", () => {
    // 20:30Z is 05:30 the next day in Tokyo.
    const key = objectKeyOf(
      target({ customTimeZone: "Asia/Tokyo" }),
      input({ arrival: Date.parse("2018-08-27T20:30:15Z"), uuid: "u" }),
    );
    expect(key).toBe("2018/08/28/05/orders-1-2018-08-28-05-30-15-u");
  });

  it("follows DST in a zone that has it", () => {
    const ny = target({ customTimeZone: "America/New_York" });
    const at = (iso: string) => objectKeyOf(ny, input({ arrival: Date.parse(iso), uuid: "u" }));
    // Spring forward on 2024-03-10 at 07:00Z: 01:59 EST, then 03:00 EDT.
    expect(at("2024-03-10T06:59:59Z")).toBe("2024/03/10/01/orders-1-2024-03-10-01-59-59-u");
    expect(at("2024-03-10T07:00:00Z")).toBe("2024/03/10/03/orders-1-2024-03-10-03-00-00-u");
    // Fall back on 2024-11-03 at 06:00Z: 01:30 happens twice.
    expect(at("2024-11-03T05:30:00Z")).toBe("2024/11/03/01/orders-1-2024-11-03-01-30-00-u");
    expect(at("2024-11-03T06:30:00Z")).toBe("2024/11/03/01/orders-1-2024-11-03-01-30-00-u");
    // Summer and winter offsets of the same zone.
    expect(at("2024-07-01T03:00:00Z")).toBe("2024/06/30/23/orders-1-2024-06-30-23-00-00-u");
    expect(at("2024-01-01T03:00:00Z")).toBe("2023/12/31/22/orders-1-2023-12-31-22-00-00-u");
  });

  it("a Prefix without a timestamp expression gets yyyy/MM/dd/HH/ appended, straight after it", () => {
    expect(objectKeyOf(target({ prefix: "logs/" }), input())).toBe(`logs/2018/08/27/10/${SUFFIX}`);
    expect(objectKeyOf(target({ prefix: "logs" }), input())).toBe(`logs2018/08/27/10/${SUFFIX}`);
    const random = fixedRandom([0.5]);
    expect(objectKeyOf(target({ prefix: "r=!{firehose:random-string}/" }), input({ random }))).toBe(
      `r=88888888888/2018/08/27/10/${SUFFIX}`,
    );
  });

  it("a Prefix with timestamps is used as evaluated, every timestamp the same instant", () => {
    const prefix = "myPrefix/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/";
    expect(evaluatedPrefixOf(target({ prefix }), input())).toBe("myPrefix/year=2018/month=08/day=27/hour=10/");
    const zoned = target({ prefix: "dt=!{timestamp:yyyy'-'MM'-'dd}/h=!{timestamp:HH}/", customTimeZone: "Asia/Tokyo" });
    expect(objectKeyOf(zoned, input({ uuid: "u" }))).toBe("dt=2018-08-27/h=19/orders-1-2018-08-27-19-30-15-u");
  });

  it("the page's example with random-string and a timestamp", () => {
    const t = target({
      prefix: "myFirehose/DeliveredYear=!{timestamp:yyyy}/anyMonth/rand=!{firehose:random-string}",
      errorOutputPrefix: "myFirehoseFailures/!{firehose:error-output-type}/!{timestamp:yyyy}/anyMonth/!{timestamp:dd}",
    });
    expect(evaluatedPrefixOf(t, input())).toMatch(/^myFirehose\/DeliveredYear=2018\/anyMonth\/rand=[0-9a-f]{11}$/);
    expect(evaluatedPrefixOf(t, input({ errorType: "processing-failed" }))).toBe(
      "myFirehoseFailures/processing-failed/2018/anyMonth/27",
    );
  });
});

describe("!{firehose:random-string}", () => {
  it("is 11 lower-case hex characters", () => {
    for (let i = 0; i < 200; i++) expect(randomString()).toMatch(/^[0-9a-f]{11}$/);
    expect(randomString(() => 0)).toBe("00000000000");
    expect(randomString(() => 0.999999)).toBe("fffffffffff");
  });

  it("is new at every use", () => {
    const t = target({ prefix: "!{firehose:random-string}/!{firehose:random-string}/" });
    const [a, b] = evaluatedPrefixOf(t, input({ random: fixedRandom([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.99]) })).split("/");
    expect(a).toBe("00000000000");
    expect(b).toMatch(/^f[0-9a-f]{10}$/);
  });
});

describe("error keys", () => {
  it("use ErrorOutputPrefix as evaluated, the error type the same at every use", () => {
    const t = target({
      prefix: "data/!{timestamp:yyyy}/",
      errorOutputPrefix: "errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/!{firehose:error-output-type}-",
    });
    expect(objectKeyOf(t, input({ errorType: "http-endpoint-failed", uuid: "u" }))).toBe(
      "errors/http-endpoint-failed/2018/08/27/http-endpoint-failed-orders-1-2018-08-27-10-30-15-u",
    );
    // No timestamp is appended to an ErrorOutputPrefix (the page's first example).
    expect(
      evaluatedPrefixOf(
        target({ errorOutputPrefix: "myFirehoseFailures/!{firehose:error-output-type}/" }),
        input({ errorType: "processing-failed" }),
      ),
    ).toBe("myFirehoseFailures/processing-failed/");
  });

  it("without ErrorOutputPrefix: <Prefix><error-output-type>/yyyy/MM/dd/HH/", () => {
    expect(objectKeyOf(target(), input({ errorType: "processing-failed" }))).toBe(`processing-failed/2018/08/27/10/${SUFFIX}`);
    expect(objectKeyOf(target({ prefix: "myFirehosePrefix/" }), input({ errorType: "splunk-failed" }))).toBe(
      `myFirehosePrefix/splunk-failed/2018/08/27/10/${SUFFIX}`,
    );
    const tokyo = target({ customTimeZone: "Asia/Tokyo", compression: "GZIP" });
    expect(objectKeyOf(tokyo, input({ errorType: "AmazonOpenSearchService-failed", uuid: "u" }))).toBe(
      "AmazonOpenSearchService-failed/2018/08/27/19/orders-1-2018-08-27-19-30-15-u.gz",
    );
  });

  it("the data prefix is not used for errors when ErrorOutputPrefix is set, and vice versa", () => {
    const t = target({ prefix: "ok/!{timestamp:yyyy}/", errorOutputPrefix: "bad/!{firehose:error-output-type}/" });
    expect(evaluatedPrefixOf(t, input())).toBe("ok/2018/");
    expect(evaluatedPrefixOf(t, input({ errorType: "format-conversion-failed" }))).toBe("bad/format-conversion-failed/");
  });
});

describe("file extensions", () => {
  it("by compression, unless FileExtension is set", () => {
    const key = (t: Partial<S3Target>) =>
      objectKeyOf(target(t), input({ uuid: "u" })).slice("2018/08/27/10/orders-1-2018-08-27-10-30-15-u".length);
    expect(key({ compression: "UNCOMPRESSED" })).toBe("");
    expect(key({ compression: "GZIP" })).toBe(".gz");
    expect(key({ compression: "ZIP" })).toBe(".zip");
    expect(key({ compression: "Snappy" })).toBe(".snappy");
    expect(key({ compression: "HADOOP_SNAPPY" })).toBe(".snappy");
    expect(key({ compression: "GZIP", fileExtension: ".json.gz" })).toBe(".json.gz");
    expect(key({ compression: "UNCOMPRESSED", fileExtension: ".ndjson" })).toBe(".ndjson");
    expect(key({ compression: "GZIP", fileExtension: "" })).toBe(".gz");
  });
});

describe("parsing prefixes", () => {
  it("splits text and expressions", () => {
    expect(parsePrefix("a/!{timestamp:yyyy}/b!{firehose:random-string}")).toEqual([
      { kind: "text", text: "a/" },
      { kind: "expression", namespace: "timestamp", value: "yyyy", source: "!{timestamp:yyyy}" },
      { kind: "text", text: "/b" },
      { kind: "expression", namespace: "firehose", value: "random-string", source: "!{firehose:random-string}" },
    ]);
    expect(parsePrefix("plain/{braces}!/")).toEqual([{ kind: "text", text: "plain/{braces}!/" }]);
    for (const bad of ["!{timestamp:yyyy", "!{timestamp}", "!{:yyyy}", "x!{", "!{a!{b:c}"])
      expect(parsePrefix(bad), bad).toBeUndefined();
  });
});

describe("validateS3Prefixes", () => {
  it("accepts what the page accepts", () => {
    for (const p of [
      {},
      { prefix: "" },
      { prefix: "myFirehosePrefix" },
      { errorOutputPrefix: "myFirehoseFailures/!{firehose:error-output-type}/" },
      { errorOutputPrefix: "static-errors/" },
      { prefix: "p/!{timestamp:yyyy}/", errorOutputPrefix: "e/!{firehose:error-output-type}/!{timestamp:yyyy}/" },
      { prefix: "!{firehose:random-string}/", errorOutputPrefix: "!{firehose:random-string}/!{firehose:error-output-type}/" },
      { prefix: "x".repeat(498) },
      { prefix: "logs/", redshift: true },
    ])
      expect(validateS3Prefixes(p), JSON.stringify(p)).toBeUndefined();
  });

  it("lengths over 1024 are Coral's ValidationException", () => {
    const long = "p".repeat(1025);
    expect(problem(validateS3Prefixes({ prefix: long }))).toEqual({
      code: "ValidationException",
      message: `1 validation error detected: Value '${long}' at 'extendedS3DestinationConfiguration.prefix' failed to satisfy constraint: Member must have length less than or equal to 1024`,
    });
    expect(
      problem(validateS3Prefixes({ prefix: long, errorOutputPrefix: long, path: "s3DestinationConfiguration" })).message,
    ).toMatch(
      /^2 validation errors detected: .* at 's3DestinationConfiguration\.prefix' .*; Value '.*' at 's3DestinationConfiguration\.errorOutputPrefix' /,
    );
  });

  it("ErrorOutputPrefix is required when Prefix has expressions (AWS's recorded text)", () => {
    const msg = constraint("ErrorOutputPrefix cannot be null or empty when Prefix contains expressions");
    expect(problem(validateS3Prefixes({ prefix: "!{timestamp:yyyy/MM/dd}" }))).toEqual(msg);
    expect(problem(validateS3Prefixes({ prefix: "r/!{firehose:random-string}/", errorOutputPrefix: "" }))).toEqual(msg);
  });

  it("malformed expressions", () => {
    const msg = constraint("The sequence !{ can only appear in !{namespace:value} expressions");
    for (const prefix of ["a/!{timestamp:yyyy", "!{timestamp}", "!{:yyyy}/", "tail!{"]) {
      expect(problem(validateS3Prefixes({ prefix, errorOutputPrefix: "e/!{firehose:error-output-type}" })), prefix).toEqual(msg);
    }
    expect(problem(validateS3Prefixes({ errorOutputPrefix: "!{firehose:error-output-type" }))).toEqual(msg);
  });

  it("unknown namespaces and firehose values", () => {
    expect(problem(validateS3Prefixes({ prefix: "!{foo:bar}", errorOutputPrefix: "!{firehose:error-output-type}" }))).toEqual(
      constraint(
        "The namespace of !{foo:bar} in Prefix must be one of firehose, timestamp, partitionKeyFromQuery, partitionKeyFromLambda",
      ),
    );
    expect(problem(validateS3Prefixes({ errorOutputPrefix: "!{firehose:error-output-type}/!{Timestamp:yyyy}" }))).toEqual(
      constraint(
        "The namespace of !{Timestamp:yyyy} in ErrorOutputPrefix must be one of firehose, timestamp, partitionKeyFromQuery, partitionKeyFromLambda",
      ),
    );
    expect(
      problem(validateS3Prefixes({ prefix: "!{firehose:stream-name}", errorOutputPrefix: "!{firehose:error-output-type}" })),
    ).toEqual(
      constraint("The firehose namespace value of !{firehose:stream-name} in Prefix must be error-output-type or random-string"),
    );
  });

  it("timestamp values must be DateTimeFormatter patterns", () => {
    expect(
      problem(validateS3Prefixes({ prefix: "!{timestamp:yyyy-bb}", errorOutputPrefix: "!{firehose:error-output-type}" })),
    ).toEqual(
      constraint(
        "The timestamp namespace value of !{timestamp:yyyy-bb} in Prefix must be a valid Java DateTimeFormatter pattern: Unknown pattern letter: b",
      ),
    );
    expect(problem(validateS3Prefixes({ errorOutputPrefix: "!{firehose:error-output-type}/!{timestamp:ddd}" }))).toEqual(
      constraint(
        "The timestamp namespace value of !{timestamp:ddd} in ErrorOutputPrefix must be a valid Java DateTimeFormatter pattern: Too many pattern letters: d",
      ),
    );
    // Valid Java that this emulator does not print: said, not accepted.
    expect(
      problem(validateS3Prefixes({ prefix: "!{timestamp:YYYY-ww}/", errorOutputPrefix: "!{firehose:error-output-type}" })),
    ).toEqual(
      invalid(
        "The DateTimeFormatter pattern letter Y (in !{timestamp:YYYY-ww}) is not supported by this emulator (Amazon Data Firehose accepts it; see the README).",
      ),
    );
  });

  it("error-output-type only in ErrorOutputPrefix, and required there once it has expressions", () => {
    expect(
      problem(
        validateS3Prefixes({ prefix: "!{firehose:error-output-type}/", errorOutputPrefix: "e/!{firehose:error-output-type}" }),
      ),
    ).toEqual(constraint("Prefix cannot contain !{firehose:error-output-type}"));
    expect(problem(validateS3Prefixes({ prefix: "p/!{timestamp:yyyy}/", errorOutputPrefix: "e/!{timestamp:yyyy}/" }))).toEqual(
      constraint("ErrorOutputPrefix must contain !{firehose:error-output-type} when it contains expressions"),
    );
  });

  it("dynamic partitioning keys", () => {
    const ok = "e/!{firehose:error-output-type}/";
    expect(problem(validateS3Prefixes({ prefix: "c=!{partitionKeyFromQuery:customer_id}/", errorOutputPrefix: ok }))).toEqual(
      constraint("Prefix cannot contain partitionKeyFromQuery expressions when dynamic partitioning is not enabled"),
    );
    expect(
      problem(
        validateS3Prefixes({ prefix: "c=!{partitionKeyFromLambda:id}/", errorOutputPrefix: ok, dynamicPartitioning: true }),
      ),
    ).toEqual(
      invalid(
        "Dynamic partitioning (!{partitionKeyFromLambda:id}) is not supported by this emulator (Amazon Data Firehose accepts it; see the README).",
      ),
    );
    expect(
      problem(validateS3Prefixes({ errorOutputPrefix: `${ok}!{partitionKeyFromQuery:id}`, dynamicPartitioning: true })),
    ).toEqual(constraint("ErrorOutputPrefix cannot contain partitionKeyFromQuery or partitionKeyFromLambda expressions"));
  });

  it("Redshift's staging prefixes", () => {
    expect(
      problem(
        validateS3Prefixes({ prefix: "!{timestamp:yyyy}/", errorOutputPrefix: "!{firehose:error-output-type}", redshift: true }),
      ),
    ).toEqual(constraint("Prefix must not contain expressions when the destination is Amazon Redshift"));
    expect(problem(validateS3Prefixes({ prefix: "stage/", errorOutputPrefix: "errors/", redshift: true }))).toEqual(
      constraint("ErrorOutputPrefix must be null when the destination is Amazon Redshift"),
    );
  });

  it("at most 512 characters once evaluated", () => {
    const msg = constraint("Neither Prefix nor ErrorOutputPrefix can be greater than 512 characters after they're evaluated");
    // 499 + the appended yyyy/MM/dd/HH/ (14) = 513.
    expect(problem(validateS3Prefixes({ prefix: "x".repeat(499) }))).toEqual(msg);
    // Short as written, long as evaluated: MMMM is at most "September".
    expect(
      problem(
        validateS3Prefixes({ prefix: `${"!{timestamp:MMMM}".repeat(60)}`, errorOutputPrefix: "!{firehose:error-output-type}" }),
      ),
    ).toEqual(msg);
    // ErrorOutputPrefix as evaluated, with the longest error type (30 characters).
    expect(problem(validateS3Prefixes({ errorOutputPrefix: `${"e".repeat(483)}!{firehose:error-output-type}` }))).toEqual(msg);
    expect(validateS3Prefixes({ errorOutputPrefix: `${"e".repeat(482)}!{firehose:error-output-type}` })).toBeUndefined();
    // A default error prefix (Prefix + type + hour path) is not one of the two fields.
    expect(validateS3Prefixes({ prefix: "x".repeat(498) })).toBeUndefined();
  });
});

describe("validateFileExtension", () => {
  it("accepts a dot and then 0-9a-z!-_.*'(), or nothing", () => {
    for (const v of [undefined, "", ".gz", ".json.gz", ".a-b_c!*'()", `.${"a".repeat(127)}`])
      expect(validateFileExtension(v), v).toBeUndefined();
  });

  it("refuses anything else with Coral's ValidationException", () => {
    const pattern = String.raw`^$|\.[0-9a-z!\-_.*'()]+`;
    for (const v of ["json", ".JSON", ".a b", "./x", "."]) {
      expect(problem(validateFileExtension(v)), v).toEqual({
        code: "ValidationException",
        message: `1 validation error detected: Value '${v}' at 'extendedS3DestinationConfiguration.fileExtension' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}`,
      });
    }
    const long = `.${"a".repeat(128)}`;
    expect(problem(validateFileExtension(long, "extendedS3DestinationUpdate.fileExtension")).message).toBe(
      `1 validation error detected: Value '${long}' at 'extendedS3DestinationUpdate.fileExtension' failed to satisfy constraint: Member must have length less than or equal to 128`,
    );
  });
});

describe("validateTimeZone", () => {
  it("accepts IANA zones, UTC and nothing", () => {
    for (const v of [undefined, "", "UTC", "Asia/Tokyo", "America/New_York", "Europe/Berlin", "America/Argentina/Buenos_Aires"]) {
      expect(validateTimeZone(v), v).toBeUndefined();
    }
  });

  it("refuses what the model pattern refuses", () => {
    expect(problem(validateTimeZone("Etc/GMT+5"))).toEqual({
      code: "ValidationException",
      message:
        "1 validation error detected: Value 'Etc/GMT+5' at 'extendedS3DestinationConfiguration.customTimeZone' failed to satisfy constraint: Member must satisfy regular expression pattern: ^$|[a-zA-Z/_]+",
    });
    const long = "A".repeat(51);
    expect(problem(validateTimeZone(long)).message).toBe(
      `1 validation error detected: Value '${long}' at 'extendedS3DestinationConfiguration.customTimeZone' failed to satisfy constraint: Member must have length less than or equal to 50`,
    );
  });

  it("refuses three-letter ids and zones it does not know", () => {
    expect(problem(validateTimeZone("EST"))).toEqual(
      invalid("AWS Kinesis Firehose delivery stream, the supported IANA time zone formats are non-3-letter identifiers"),
    );
    for (const v of ["Mars/Olympus_Mons", "asia/tokyo"]) {
      expect(problem(validateTimeZone(v)), v).toEqual(
        invalid(
          `CustomTimeZone ${v} is not a supported time zone. See https://docs.aws.amazon.com/firehose/latest/dev/s3-object-name.html for the supported time zones.`,
        ),
      );
    }
  });
});
