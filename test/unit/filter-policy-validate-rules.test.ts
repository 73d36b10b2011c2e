/**
 * validateFilterPolicy where no AWS recording exists: policies AWS documents as valid, Jackson's wording for
 * other JSON syntax faults, and the rule compiler's other checks (texts from aws/event-ruler, the engine behind
 * SNS filtering; columns follow the parser positions that the recorded cases in filter-policy-validate.test.ts
 * confirm).
 */
import { describe, expect, it } from "vitest";
import { validateFilterPolicy } from "../../src/domain/sns/filter-policy";
import { javaDouble } from "../../src/domain/sns/filter-policy-json";

const redacted = "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)";

describe("validateFilterPolicy: JSON syntax in Jackson's words", () => {
  it.each<[string, string, string]>([
    [
      '{"a" ["b"]}',
      "Unexpected character ('[' (code 91)): was expecting a colon to separate field name and value",
      "line: 1, column: 6",
    ],
    [
      '{"a": ["b"] "c"}',
      "Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries",
      "line: 1, column: 13",
    ],
    [
      '{"a": ["b" "c"]}',
      "Unexpected character ('\"' (code 34)): was expecting comma to separate Array entries",
      "line: 1, column: 12",
    ],
    [
      '{"a": ["b"],}',
      "Unexpected character ('}' (code 125)): was expecting double-quote to start field name",
      "line: 1, column: 13",
    ],
    [
      '{"a": [#]}',
      "Unexpected character ('#' (code 35)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
      "line: 1, column: 8",
    ],
    [
      '{\n  "a": [tru]\n}',
      "Unrecognized token 'tru': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
      "line: 2, column: 12",
    ],
    ['{"a": [01]}', "Invalid numeric value: Leading zeroes not allowed", "line: 1, column: 9"],
    [
      '{"a": ["b"]',
      `Unexpected end-of-input: expected close marker for Object (start marker at ${redacted}; line: 1, column: 1])`,
      "line: 1, column: 12",
    ],
    [
      '{"a": [/]}',
      "Unexpected character ('/' (code 47)): maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)",
      "line: 1, column: 8",
    ],
    ["   ", "No content to map due to end-of-input", "line: 1, column: 4"],
  ])("%s", (policy, message, location) => {
    expect(validateFilterPolicy(policy, "MessageAttributes")?.message).toBe(
      `Invalid parameter: FilterPolicy: failed to parse JSON. ${message}\n at ${redacted}; ${location}]`,
    );
  });
});

describe("validateFilterPolicy: accepted policies", () => {
  it.each<[string, unknown, ("MessageAttributes" | "MessageBody")?]>([
    ["exact strings, numbers, booleans and null", { a: ["x", 1, 2.5, true, false, null] }],
    ["prefix, suffix, equals-ignore-case", { a: [{ prefix: "bas" }, { suffix: ".png" }, { "equals-ignore-case": "RUGBY" }] }],
    [
      "anything-but: a value, a list, a prefix (recorded positive cases)",
      { a: [{ "anything-but": "test" }, { "anything-but": ["test", "test2"] }, { "anything-but": { prefix: "test-" } }] },
    ],
    ["anything-but numbers", { price: [{ "anything-but": [100, 500] }, { "anything-but": 7 }] }],
    [
      "numeric operators and ranges",
      {
        p: [
          { numeric: ["=", 301.5] },
          { numeric: ["<", 0] },
          { numeric: [">", 0, "<=", 150] },
          { numeric: [">=", -1e9, "<", 1e9] },
        ],
      },
    ],
    ["exists", { store: [{ exists: true }], other: [{ exists: false }] }],
    ["cidr, IPv4 and IPv6", { ip: [{ cidr: "10.0.0.0/24" }, { cidr: "2001:db8:1234:1a00::/64" }] }],
    [
      "$or at the top (docs: source AND (metricName OR namespace))",
      { source: ["aws.cloudwatch"], $or: [{ metricName: ["CPUUtilization"] }, { namespace: ["AWS/EC2"] }] },
    ],
    ["five keys", { a: ["1"], b: ["2"], c: ["3"], d: ["4"], e: ["5"] }],
    [
      "$or bringing a key each to four shared ones",
      { a: ["1"], b: ["2"], c: ["3"], d: ["4"], $or: [{ e: ["5"] }, { f: ["6"] }] },
    ],
    ["nesting and dotted keys for the body", { detail: { "payload.nested": { list: [{ prefix: "q-" }] } } }, "MessageBody"],
  ])("%s", (_, policy, scope = "MessageAttributes") => {
    expect(validateFilterPolicy(JSON.stringify(policy), scope, "Subscribe")).toBeUndefined();
  });

  it("treats an empty string as removing the policy", () => {
    expect(validateFilterPolicy("", "MessageBody")).toBeUndefined();
  });
});

/**
 * Checks whose texts come from AWS's rule compiler (aws/event-ruler) rather than a recording; the columns follow
 * the same parser positions the recorded cases confirm.
 */
describe("validateFilterPolicy: other rule errors (compiler texts, not recorded)", () => {
  const error = (message: string, compact: string, column: number) =>
    `Invalid parameter: FilterPolicy: ${message}\n at [Source: (String)"${compact}"; line: 1, column: ${column}]`;

  it.each<[string, string, string]>([
    ["not an object", "[1]", error("Filter is not an object", "[1]", 2)],
    ["an empty policy", "{}", error("Empty objects are not allowed", "{}", 3)],
    ["an empty nested object", '{"a":{}}', error("Empty objects are not allowed", '{"a":{}}', 8)],
    ["an empty match expression", '{"a":[{}]}', error("Match expression name not found", '{"a":[{}]}', 9)],
    [
      "$or with one alternative",
      '{"$or":[{"a":["b"]}]}',
      error("There must have at least 2 Objects in $or relationship.", '{"$or":[{"a":["b"]}]}', 21),
    ],
    ["$or not a list", '{"$or":{"a":["b"]}}', error("It must be an Array followed with $or.", '{"$or":{"a":["b"]}}', 9)],
    [
      "$or with a value",
      '{"$or":[{"a":["b"]},"c"]}',
      error("Only JSON object is allowed in array of $or relationship.", '{"$or":[{"a":["b"]},"c"]}', 22),
    ],
    [
      "an operator name inside $or",
      '{"$or":[{"prefix":["b"]},{"c":["d"]}]}',
      error("prefix is Ruler reserved fieldName which cannot be used inside $or.", '{"$or":[{"prefix":["b"]},{"c":["d"]}]}', 20),
    ],
    ["numeric not a list", '{"a":[{"numeric":5}]}', error("Value of numeric must be an array.", '{"a":[{"numeric":5}]}', 19)],
    [
      "numeric beyond 10^9",
      '{"a":[{"numeric":[">",2e9]}]}',
      error("Value must be between -1.0E9 and 1.0E9, inclusive", '{"a":[{"numeric":[">",2.0E9]}]}', 29),
    ],
    [
      "equal range bounds",
      '{"a":[{"numeric":[">=",5,"<=",5]}]}',
      error("Bottom must be less than top", '{"a":[{"numeric":[">=",5,"<=",5]}]}', 33),
    ],
    [
      "anything-but equals-ignore-case",
      '{"a":[{"anything-but":{"equals-ignore-case":"x"}}]}',
      error("Unsupported anything-but pattern: equals-ignore-case", '{"a":[{"anything-but":{"equals-ignore-case":"x"}}]}', 46),
    ],
    [
      "anything-but of mixed types",
      '{"a":[{"anything-but":["x",1]}]}',
      error(
        "Inside anything but list, either all values are number or string, mixed type is not supported",
        '{"a":[{"anything-but":["x",1]}]}',
        30,
      ),
    ],
    [
      "anything-but of null",
      '{"a":[{"anything-but":[null]}]}',
      error("Inside anything but list, start|null|boolean is not supported.", '{"a":[{"anything-but":[null]}]}', 28),
    ],
    [
      "anything-but true",
      '{"a":[{"anything-but":true}]}',
      error("Value of anything-but must be an array or single string/number value.", '{"a":[{"anything-but":true}]}', 27),
    ],
    [
      "an empty anything-but prefix",
      '{"a":[{"anything-but":{"prefix":""}}]}',
      error("Null prefix not allowed", '{"a":[{"anything-but":{"prefix":""}}]}', 35),
    ],
    [
      "equals-ignore-case of a number",
      '{"a":[{"equals-ignore-case":1}]}',
      error("equals-ignore-case match pattern must be a string", '{"a":[{"equals-ignore-case":1}]}', 30),
    ],
    [
      "two operators after exists",
      '{"a":[{"exists":true,"prefix":"x"}]}',
      error("Only one key allowed in match expression", '{"a":[{"exists":true,"prefix":"x"}]}', 32),
    ],
  ])("%s", (_, policy, message) => {
    expect(validateFilterPolicy(policy, "MessageBody")?.message).toBe(message);
  });

  it.each<[string, string]>([
    ["10.0.0.0/32", "IPv4 mask bits must be < 32"],
    ["2001:db8::/128", "IPv6 mask bits must be < 128"],
    ["10.0.0.0/-1", "Malformed CIDR, mask bits must not be negative"],
    ["10.0.0.256/24", "Invalid IP address: 10.0.0.256"],
    ["10.0.0.0/24/8", "Malformed CIDR, one '/' required"],
  ])("cidr %s", (cidr, message) => {
    expect(validateFilterPolicy(JSON.stringify({ ip: [{ cidr }] }), "MessageAttributes")?.message).toBe(
      `Invalid parameter: FilterPolicy: ${message}`,
    );
  });

  it("refuses a policy over 256 KB", () => {
    const policy = JSON.stringify({ a: ["x".repeat(256 * 1024)] });
    expect(validateFilterPolicy(policy, "MessageAttributes")?.message).toBe(
      "Invalid parameter: FilterPolicy: Filter policy is too large",
    );
  });

  it("quotes at most 500 characters of the policy", () => {
    const policy = JSON.stringify({ a: ["x".repeat(600)], b: [[1]] });
    const message = validateFilterPolicy(policy, "MessageAttributes")?.message ?? "";
    expect(message).toContain(
      `[Source: (String)"${policy.slice(0, 500)}"[truncated ${policy.length - 500} chars]; line: 1, column: 617]`,
    );
  });
});

describe("javaDouble: how AWS writes back a parsed float", () => {
  it.each<[number, string]>([
    [1.5, "1.5"],
    [100, "100.0"],
    [0.001, "0.001"],
    [0.0001, "1.0E-4"],
    [1e7, "1.0E7"],
    [-2.5e10, "-2.5E10"],
    [9999999.5, "9999999.5"],
    [0, "0.0"],
  ])("%d → %s", (value, text) => {
    expect(javaDouble(value)).toBe(text);
  });
});
