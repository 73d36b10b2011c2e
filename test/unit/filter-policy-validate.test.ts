/**
 * validateFilterPolicy against the texts AWS returned (../shared/aws-recordings/sns/test_sns_filter_policy.snapshot.json
 * and test_sns.snapshot.json; the policies are the ones the recorded scenarios sent, see LocalStack's
 * tests/aws/services/sns/test_sns_filter_policy.py). The scenarios sent Python's json.dumps output (with spaces);
 * AWS quotes the policy back re-serialized without them, and its columns count in that compact text.
 */
import { describe, expect, it } from "vitest";
import { validateFilterPolicy } from "../../src/domain/sns/filter-policy";

/** Python's json.dumps: what the recorded scenarios sent. */
const pyDumps = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(pyDumps).join(", ")}]`
    : typeof value === "object" && value !== null
      ? `{${Object.entries(value)
          .map(([k, v]) => `${JSON.stringify(k)}: ${pyDumps(v)}`)
          .join(", ")}}`
      : JSON.stringify(value);

const values = (count: number, prefix = "value"): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe("validateFilterPolicy: rule errors recorded on AWS (Subscribe, so 'Attributes Reason: ')", () => {
  it.each<[string, unknown, string]>([
    [
      "error-condition-list",
      { key: [["value"]] },
      'Invalid parameter: Attributes Reason: FilterPolicy: Match value must be String, number, true, false, or null\n at [Source: (String)"{"key":[["value"]]}"; line: 1, column: 10]',
    ],
    [
      "error-condition-operator",
      { key: [{ "wrong-operator": true }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: Unrecognized match type wrong-operator\n at [Source: (String)"{"key":[{"wrong-operator":true}]}"; line: 1, column: 31]',
    ],
    [
      "error-condition-two-operators",
      { key: [{ suffix: "value", prefix: "value2" }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: Only one key allowed in match expression\n at [Source: (String)"{"key":[{"suffix":"value","prefix":"value2"}]}"; line: 1, column: 37]',
    ],
    [
      "error-condition-empty-array",
      { key: [] },
      'Invalid parameter: Attributes Reason: FilterPolicy: Empty arrays are not allowed\n at [Source: (String)"{"key":[]}"; line: 1, column: 10]',
    ],
    [
      "error-condition-is-numeric",
      { key: [{ suffix: 100 }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: suffix match pattern must be a string\n at [Source: (String)"{"key":[{"suffix":100}]}"; line: 1, column: 22]',
    ],
    [
      "error-condition-is-none",
      { key: [{ suffix: null }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: suffix match pattern must be a string\n at [Source: (String)"{"key":[{"suffix":null}]}"; line: 1, column: 23]',
    ],
    [
      "error-condition-is-not-list-and-operator",
      { key: { suffix: "value" } },
      'Invalid parameter: Attributes Reason: FilterPolicy: "suffix" must be an object or an array\n at [Source: (String)"{"key":{"suffix":"value"}}"; line: 1, column: 19]',
    ],
    [
      "error-condition-empty-list",
      { key: [{ suffix: [] }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: suffix match pattern must be a string\n at [Source: (String)"{"key":[{"suffix":[]}]}"; line: 1, column: 20]',
    ],
    [
      "error-condition-list-wrong-type",
      { key: [{ suffix: ["test", "test2"] }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: suffix match pattern must be a string\n at [Source: (String)"{"key":[{"suffix":["test","test2"]}]}"; line: 1, column: 20]',
    ],
    [
      "error-condition-is-not-list-two-ops",
      { key: { suffix: "value", prefix: "value" } },
      'Invalid parameter: Attributes Reason: FilterPolicy: "suffix" must be an object or an array\n at [Source: (String)"{"key":{"suffix":"value","prefix":"value"}}"; line: 1, column: 19]',
    ],
    [
      "error-condition-is-not-list-and-no-operator",
      { key: { "not-an-operator": "value" } },
      'Invalid parameter: Attributes Reason: FilterPolicy: "not-an-operator" must be an object or an array\n at [Source: (String)"{"key":{"not-an-operator":"value"}}"; line: 1, column: 28]',
    ],
    [
      "error-condition-bad-type",
      { key: [{ cidr: ["bad-filter"] }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: prefix match pattern must be a string\n at [Source: (String)"{"key":[{"cidr":["bad-filter"]}]}"; line: 1, column: 18]',
    ],
    [
      "error-condition-bad-cidr-str",
      { key: [{ cidr: "bad-filter" }] },
      "Invalid parameter: Attributes Reason: FilterPolicy: Malformed CIDR, one '/' required",
    ],
    [
      "error-condition-bad-cidr-str-slash",
      { key: [{ cidr: "bad-filter/64" }] },
      "Invalid parameter: Attributes Reason: FilterPolicy: Nonstandard IP address: bad-filter",
    ],
    [
      "error-condition-bad-cidr-str-slash-2",
      { key: [{ cidr: "bad-/64filter" }] },
      "Invalid parameter: Attributes Reason: FilterPolicy: Malformed CIDR, mask bits must be an integer",
    ],
    [
      "error-condition-bad-cidr-v4",
      { key: [{ cidr: "xx.11.xx/8" }] },
      "Invalid parameter: Attributes Reason: FilterPolicy: Nonstandard IP address: xx.11.xx",
    ],
    [
      "error-condition-bad-cidr-v6",
      { key: [{ cidr: "xxxx:db8:1234:1a00::/64" }] },
      "Invalid parameter: Attributes Reason: FilterPolicy: Nonstandard IP address: xxxx:db8:1234:1a00::",
    ],
    [
      "error-numeric-empty",
      { key: [{ numeric: [] }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: Invalid member in numeric match: ]\n at [Source: (String)"{"key":[{"numeric":[]}]}"; line: 1, column: 22]',
    ],
    [
      "error-numeric-wrong-operator",
      { key: [{ numeric: ["operator"] }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: Unrecognized numeric range operator: operator\n at [Source: (String)"{"key":[{"numeric":["operator"]}]}"; line: 1, column: 32]',
    ],
    [
      "error-numeric-operator-order",
      { key: [{ numeric: [1, "<="] }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: Invalid member in numeric match: 1\n at [Source: (String)"{"key":[{"numeric":[1,"<="]}]}"; line: 1, column: 22]',
    ],
    [
      "error-numeric-type",
      { key: [{ numeric: ["=", "000"] }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: Value of equals must be numeric\n at [Source: (String)"{"key":[{"numeric":["=","000"]}]}"; line: 1, column: 26]',
    ],
    [
      "error-numeric-missing-value",
      { key: [{ numeric: [">="] }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: Value of >= must be numeric\n at [Source: (String)"{"key":[{"numeric":[">="]}]}"; line: 1, column: 26]',
    ],
    [
      "error-numeric-wrong-range-order",
      { key: [{ numeric: ["<", 100, ">", 10] }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: Too many elements in numeric expression\n at [Source: (String)"{"key":[{"numeric":["<",100,">",10]}]}"; line: 1, column: 30]',
    ],
    [
      "error-numeric-wrong-range-operators",
      { key: [{ numeric: [">=", 1, ">", 2] }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: Bad numeric range operator: >\n at [Source: (String)"{"key":[{"numeric":[">=",1,">",2]}]}"; line: 1, column: 31]',
    ],
    [
      "error-numeric-wrong-value-order",
      { key: [{ numeric: [">", 3, "<", 1] }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: Bottom must be less than top\n at [Source: (String)"{"key":[{"numeric":[">",3,"<",1]}]}"; line: 1, column: 33]',
    ],
    [
      "error-numeric-missing-range-value",
      { key: [{ numeric: [">", 20, "<="] }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: Value of <= must be numeric\n at [Source: (String)"{"key":[{"numeric":[">",20,"<="]}]}"; line: 1, column: 33]',
    ],
    [
      "error-numeric-missing-range-operator",
      { key: [{ numeric: [">", 20, 30] }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: Bad value in numeric range: 30\n at [Source: (String)"{"key":[{"numeric":[">",20,30]}]}"; line: 1, column: 30]',
    ],
    [
      "error-numeric-wrong-second-range-operator",
      { key: [{ numeric: [">", 20, "test"] }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: Bad numeric range operator: test\n at [Source: (String)"{"key":[{"numeric":[">",20,"test"]}]}"; line: 1, column: 34]',
    ],
    [
      "error-numeric-wrong-range-value-1-type",
      { key: [{ numeric: [">", "20", "<", "30"] }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: Value of > must be numeric\n at [Source: (String)"{"key":[{"numeric":[">","20","<","30"]}]}"; line: 1, column: 26]',
    ],
    [
      "error-numeric-wrong-range-value-2-type",
      { key: [{ numeric: [">", 20, "<", "30"] }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: Value of < must be numeric\n at [Source: (String)"{"key":[{"numeric":[">",20,"<","30"]}]}"; line: 1, column: 33]',
    ],
    [
      "error-numeric-too-many-range",
      { key: [{ numeric: [">", 20, "<", 30, "<", 50] }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: Too many terms in numeric range expression\n at [Source: (String)"{"key":[{"numeric":[">",20,"<",30,"<",50]}]}"; line: 1, column: 36]',
    ],
    [
      "error-condition-none",
      { key: [{ exists: null }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: exists match pattern must be either true or false.\n at [Source: (String)"{"key":[{"exists":null}]}"; line: 1, column: 23]',
    ],
    [
      "error-condition-string",
      { key: [{ exists: "no" }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: exists match pattern must be either true or false.\n at [Source: (String)"{"key":[{"exists":"no"}]}"; line: 1, column: 20]',
    ],
    [
      "error-condition-wrong-operator",
      { key: [{ "anything-but": { "wrong-operator": null } }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: Unsupported anything-but pattern: wrong-operator\n at [Source: (String)"{"key":[{"anything-but":{"wrong-operator":null}}]}"; line: 1, column: 47]',
    ],
    [
      "error-condition-anything-but-suffix",
      { key: [{ "anything-but": { suffix: "test" } }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: Unsupported anything-but pattern: suffix\n at [Source: (String)"{"key":[{"anything-but":{"suffix":"test"}}]}"; line: 1, column: 36]',
    ],
    [
      "error-condition-anything-but-exists",
      { key: [{ "anything-but": { exists: false } }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: Unsupported anything-but pattern: exists\n at [Source: (String)"{"key":[{"anything-but":{"exists":false}}]}"; line: 1, column: 40]',
    ],
    [
      "error-condition-anything-but-prefix-wrong-type",
      { key: [{ "anything-but": { prefix: false } }] },
      'Invalid parameter: Attributes Reason: FilterPolicy: prefix match pattern must be a string\n at [Source: (String)"{"key":[{"anything-but":{"prefix":false}}]}"; line: 1, column: 40]',
    ],
  ])("%s", (_, policy, message) => {
    expect(validateFilterPolicy(pyDumps(policy), "MessageAttributes", "Subscribe")).toEqual({
      code: "InvalidParameter",
      status: 400,
      message,
    });
  });
});

describe("validateFilterPolicy: limits recorded on AWS", () => {
  const subscribe = (policy: unknown, scope: "MessageAttributes" | "MessageBody" = "MessageAttributes") =>
    validateFilterPolicy(pyDumps(policy), scope, "Subscribe")?.message;
  const tooComplex = "Invalid parameter: Attributes Reason: FilterPolicy: Filter policy is too complex";

  it("refuses 151 values for one key (error-complexity-in-one-condition)", () => {
    expect(subscribe({ key: values(151) })).toBe(tooComplex);
  });

  it("multiplies value lists across keys: 100 × 51 (error-complexity-in-two-conditions)", () => {
    expect(subscribe({ key1: values(100), key2: values(51) })).toBe(tooComplex);
  });

  it("refuses six keys (error-complexity-too-many-fields)", () => {
    const policy = Object.fromEntries([1, 2, 3, 4, 5, 6].map((i) => [`key${i}`, [`value${i}`]]));
    expect(subscribe(policy)).toBe(
      "Invalid parameter: Attributes Reason: FilterPolicy: Filter policy can not have more than 5 keys",
    );
  });

  const orPolicy = (sources: number, spaceIds: number) => ({
    source: values(sources, "aws."),
    $or: [
      { metricName: values(6, "metric") },
      { metricType: values(4, "type"), $or: [{ metricId: [1234, 4321, 5678, 9012] }, { spaceId: values(spaceIds, "s") }] },
    ],
  });

  it("adds up $or alternatives: 4×6 + 4×4×4 + 4×4×4 = 152 (error-complexity-or-flat)", () => {
    expect(subscribe(orPolicy(4, 4))).toBe(tooComplex);
  });

  it("accepts exactly 150: 3×6 + 3×4×4 + 3×4×7", () => {
    expect(subscribe(orPolicy(3, 7))).toBeUndefined();
  });

  it("multiplies by nesting depth in body policies: 3×4×2 + 3×4×6 + 2×4×2 + 2×4×6 = 160 (error-complexity-or-nested)", () => {
    const policy = {
      $or: [{ metricName: ["CPUUtilization", "ReadLatency", "TestValue"] }, { namespace: ["AWS/EC2", "AWS/ES"] }],
      detail: {
        scope: ["Service", "Test"],
        $or: [{ source: ["aws.cloudwatch"] }, { type: ["CloudWatch Alarm State Change", "TestValue", "TestValue2"] }],
      },
    };
    expect(subscribe(policy, "MessageBody")).toBe(tooComplex);
  });
});

describe("validateFilterPolicy: SetSubscriptionAttributes wording (recorded)", () => {
  const set = (policy: unknown, scope: "MessageAttributes" | "MessageBody") =>
    validateFilterPolicy(pyDumps(policy), scope)?.message;

  it("refuses nesting in an attribute policy (sub-filter-policy-nested-error), accepts it for the body", () => {
    const nested = { object: { key: [{ prefix: "auto-" }] } };
    expect(set(nested, "MessageAttributes")).toBe(
      "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy",
    );
    expect(set(nested, "MessageBody")).toBeUndefined();
  });

  it("refuses 3×4 × 2×3 × 1×3 = 216 combinations (sub-filter-policy-nested-error-too-many-combinations)", () => {
    const policy = {
      key_a: { key_b: { key_c: ["value_one", "value_two", "value_three", "value_four"] } },
      key_d: { key_e: ["value_one", "value_two", "value_three"] },
      key_f: ["value_one", "value_two", "value_three"],
    };
    expect(set(policy, "MessageBody")).toBe("Invalid parameter: FilterPolicy: Filter policy is too complex");
  });

  it("accepts the AWS docs' nested example: 3 × 4 × 2 × 3 = 72", () => {
    const policy = {
      key_a: { key_b: { key_c: ["value_one", "value_two", "value_three", "value_four"] } },
      key_d: { key_e: ["value_one", "value_two", "value_three"] },
    };
    expect(set(policy, "MessageBody")).toBeUndefined();
  });

  it("refuses six keys (sub-filter-policy-max-attr-keys)", () => {
    const policy = Object.fromEntries(["a", "b", "c", "d", "e", "f"].map((k) => [`key_${k}`, [`value_${k}`]]));
    expect(set(policy, "MessageBody")).toBe("Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys");
  });

  it("refuses a bare value (sub-filter-policy-rule-no-list)", () => {
    expect(set({ key_a: "value_one" }, "MessageBody")).toBe(
      'Invalid parameter: FilterPolicy: "key_a" must be an object or an array\n at [Source: (String)"{"key_a":"value_one"}"; line: 1, column: 11]',
    );
  });
});

describe("validateFilterPolicy: JSON syntax", () => {
  const redacted = "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)";

  it("words a bad field name as AWS did (test_validate_set_sub_attributes)", () => {
    expect(validateFilterPolicy("{invalidjson}", "MessageAttributes")?.message).toBe(
      "Invalid parameter: FilterPolicy: failed to parse JSON. Unexpected character ('i' (code 105)): was expecting double-quote to start field name\n" +
        ` at ${redacted}; line: 1, column: 2]`,
    );
  });

  it("words a bad token as AWS did (test_subscribe_invalid_filter_policy)", () => {
    expect(validateFilterPolicy("invalid json", "MessageAttributes", "Subscribe")?.message).toBe(
      "Invalid parameter: Attributes Reason: FilterPolicy: failed to parse JSON. Unrecognized token 'invalid': " +
        "was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n" +
        ` at ${redacted}; line: 1, column: 8]`,
    );
  });
});
