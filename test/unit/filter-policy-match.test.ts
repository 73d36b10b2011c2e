/**
 * matchesFilterPolicy: the AWS docs' examples for each operator (string-value-matching, numeric-value-matching,
 * attribute-key-matching, and-or-logic, example-filter-policies) and the deliveries recorded on AWS
 * (../shared/aws-recordings/sns/test_sns_filter_policy.snapshot.json: which published messages reached the queue).
 */
import { describe, expect, it } from "vitest";
import { matchesFilterPolicy, type MessageAttribute } from "../../src/domain/sns/filter-policy";

const str = (Value: string): MessageAttribute => ({ Type: "String", Value });
const num = (Value: string): MessageAttribute => ({ Type: "Number", Value });
const arr = (values: unknown[]): MessageAttribute => ({ Type: "String.Array", Value: JSON.stringify(values) });

const byAttributes = (policy: unknown, attributes: Record<string, MessageAttribute>): boolean =>
  matchesFilterPolicy(policy, { attributes, body: "message" }, "MessageAttributes");
const byBody = (policy: unknown, body: unknown): boolean =>
  matchesFilterPolicy(policy, { attributes: {}, body: typeof body === "string" ? body : JSON.stringify(body) }, "MessageBody");

type Case = [label: string, attributes: Record<string, MessageAttribute>, matches: boolean];

/** Runs one policy against attribute sets, and against the same values as a JSON body. */
function operatorTable(name: string, policy: unknown, cases: Case[], body = true): void {
  describe(`${name}: ${JSON.stringify(policy)}`, () => {
    it.each(cases)("attributes %s → %s", (_, attributes, matches) => {
      expect(byAttributes(policy, attributes)).toBe(matches);
    });
    if (!body) return;
    it.each(cases)("body %s → %s", (_, attributes, matches) => {
      const payload = Object.fromEntries(
        Object.entries(attributes).map(([key, { Type, Value }]) => [
          key,
          Type === "String" ? Value : (JSON.parse(Value) as unknown),
        ]),
      );
      expect(byBody(policy, payload)).toBe(matches);
    });
  });
}

describe("operators (AWS docs examples, in both scopes)", () => {
  operatorTable("exact strings, OR within the list", { customer_interests: ["rugby", "tennis"] }, [
    ["rugby", { customer_interests: str("rugby") }, true],
    ["tennis", { customer_interests: str("tennis") }, true],
    ["an array holding one of them", { customer_interests: arr(["rugby", "tennis"]) }, true],
    ["baseball", { customer_interests: str("baseball") }, false],
    ["an array of neither", { customer_interests: arr(["baseball"]) }, false],
    ["a different case", { customer_interests: str("Rugby") }, false],
    ["no attribute", {}, false],
  ]);

  operatorTable("prefix", { customer_interests: [{ prefix: "bas" }] }, [
    ["baseball", { customer_interests: str("baseball") }, true],
    ["basketball", { customer_interests: str("basketball") }, true],
    ["rugby", { customer_interests: str("rugby") }, false],
  ]);

  operatorTable("suffix", { image: [{ suffix: ".png" }] }, [
    ["cat.png", { image: str("cat.png") }, true],
    ["cat.jpg", { image: str("cat.jpg") }, false],
  ]);

  operatorTable("equals-ignore-case", { customer_interests: [{ "equals-ignore-case": "tennis" }] }, [
    ["TENNIS", { customer_interests: str("TENNIS") }, true],
    ["Tennis", { customer_interests: str("Tennis") }, true],
    ["baseball", { customer_interests: str("baseball") }, false],
  ]);

  operatorTable("anything-but a list of strings", { customer_interests: [{ "anything-but": ["rugby", "tennis"] }] }, [
    ["baseball", { customer_interests: str("baseball") }, true],
    ["football", { customer_interests: str("football") }, true],
    ["an array with one other value", { customer_interests: arr(["rugby", "baseball"]) }, true],
    ["rugby", { customer_interests: str("rugby") }, false],
    ["an array of only listed values", { customer_interests: arr(["rugby", "tennis"]) }, false],
    ["no attribute", {}, false],
  ]);

  operatorTable("anything-but a prefix", { event: [{ "anything-but": { prefix: "order-" } }] }, [
    ["data-entry", { event: str("data-entry") }, true],
    ["order_number", { event: str("order_number") }, true],
    ["order-cancelled", { event: str("order-cancelled") }, false],
  ]);

  operatorTable("anything-but numbers", { price: [{ "anything-but": [100, 500] }] }, [
    ["101", { price: num("101") }, true],
    ["100.1", { price: num("100.1") }, true],
    ["[100, 50]", { price: { Type: "Number.Array", Value: "[100, 50]" } }, true],
    ["100", { price: num("100") }, false],
    ["1e2", { price: num("1e2") }, false],
  ]);

  operatorTable("numeric equals", { price_usd: [{ numeric: ["=", 301.5] }] }, [
    ["301.5", { price_usd: num("301.5") }, true],
    ["3.015e2", { price_usd: num("3.015e2") }, true],
    ["301.6", { price_usd: num("301.6") }, false],
    ["the string 301.5", { price_usd: str("301.5") }, false],
  ]);

  operatorTable("numeric below zero", { price_usd: [{ numeric: ["<", 0] }] }, [
    ["-1", { price_usd: num("-1") }, true],
    ["0", { price_usd: num("0") }, false],
  ]);

  operatorTable("numeric range", { price_usd: [{ numeric: [">", 0, "<=", 150] }] }, [
    ["0.000001", { price_usd: num("0.000001") }, true],
    ["150", { price_usd: num("150") }, true],
    ["0", { price_usd: num("0") }, false],
    ["150.000001", { price_usd: num("150.000001") }, false],
    ["150.0000001 (beyond six decimals, equal to 150)", { price_usd: num("150.0000001") }, true],
  ]);

  operatorTable("exact number", { legacy_id: [1, 2, 3] }, [
    ["2", { legacy_id: num("2") }, true],
    ["2.0", { legacy_id: num("2.0") }, true],
    ["4", { legacy_id: num("4") }, false],
  ]);

  operatorTable("exists true", { store: [{ exists: true }] }, [
    ["store present", { store: str("fans"), customer_interests: arr(["baseball", "basketball"]) }, true],
    ["store absent", { customer_interests: arr(["baseball", "basketball"]) }, false],
  ]);

  operatorTable("exists false", { store: [{ exists: false }] }, [
    ["store present", { store: str("fans"), customer_interests: arr(["baseball", "basketball"]) }, false],
    ["store absent", { customer_interests: arr(["baseball", "basketball"]) }, true],
  ]);

  operatorTable("cidr (IPv4)", { source_ip: [{ cidr: "10.0.0.0/24" }] }, [
    ["10.0.0.0", { source_ip: str("10.0.0.0") }, true],
    ["10.0.0.255", { source_ip: str("10.0.0.255") }, true],
    ["10.1.1.0", { source_ip: str("10.1.1.0") }, false],
    ["not an address", { source_ip: str("example.com") }, false],
  ]);

  operatorTable("cidr (IPv6)", { source_ip: [{ cidr: "2001:db8:1234:1a00::/64" }] }, [
    ["inside, written in full", { source_ip: str("2001:0db8:1234:1a00:0000:0000:0000:0001") }, true],
    ["inside, compressed", { source_ip: str("2001:db8:1234:1a00::ffff") }, true],
    ["outside", { source_ip: str("2001:db8:1234:1a01::") }, false],
    ["an IPv4 address", { source_ip: str("10.0.0.1") }, false],
  ]);

  operatorTable("AND across keys (and-or-logic)", { customer_interests: ["rugby"], price_usd: [{ numeric: [">", 100] }] }, [
    ["both", { customer_interests: str("rugby"), price_usd: num("101") }, true],
    ["only one", { customer_interests: str("rugby"), price_usd: num("99") }, false],
    ["one missing", { customer_interests: str("rugby") }, false],
  ]);

  operatorTable(
    "$or across keys (and-or-logic)",
    {
      source: ["aws.cloudwatch"],
      $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { namespace: ["AWS/EC2", "AWS/ES"] }],
    },
    [
      ["source and metricName", { source: str("aws.cloudwatch"), metricName: str("ReadLatency") }, true],
      ["source and namespace", { source: str("aws.cloudwatch"), namespace: str("AWS/ES") }, true],
      ["neither alternative", { source: str("aws.cloudwatch"), metricName: str("DiskIO") }, false],
      ["no source", { namespace: str("AWS/EC2") }, false],
    ],
  );

  operatorTable("a value list mixing operators", { key: [{ exists: false }, { prefix: "a" }] }, [
    ["absent", {}, true],
    ["abc", { key: str("abc") }, true],
    ["xyz", { key: str("xyz") }, false],
  ]);
});

describe("message attributes", () => {
  const docPolicy = {
    store: ["example_corp"],
    event: [{ "anything-but": "order_cancelled" }],
    customer_interests: ["rugby", "football", "baseball"],
    price_usd: [{ numeric: [">=", 100] }],
  };
  const docAttributes = {
    customer_interests: arr(["soccer", "rugby", "hockey"]),
    store: str("example_corp"),
    event: str("order_placed"),
    price_usd: num("210.75"),
  };

  it("matches the docs' transaction example (example-filter-policies)", () => {
    expect(byAttributes(docPolicy, docAttributes)).toBe(true);
    expect(byAttributes(docPolicy, { ...docAttributes, event: str("order_cancelled") })).toBe(false);
  });

  it("matches the same example as a body when the scope is MessageBody", () => {
    const body = {
      customer_interests: ["soccer", "rugby", "hockey"],
      store: "example_corp",
      event: "order_placed",
      price_usd: 210.75,
    };
    expect(byBody(docPolicy, body)).toBe(true);
  });

  it("never looks at Binary attributes, not even for exists", () => {
    const binary = { key: { Type: "Binary", Value: "AAEC" } };
    expect(byAttributes({ key: [{ exists: true }] }, binary)).toBe(false);
    expect(byAttributes({ key: [{ exists: false }] }, binary)).toBe(true);
    expect(byAttributes({ key: ["AAEC"] }, binary)).toBe(false);
  });

  it("does not match a quoted number against a Number attribute, nor a number against a String one", () => {
    expect(byAttributes({ key: ["99"] }, { key: num("99") })).toBe(false);
    expect(byAttributes({ key: [99] }, { key: str("99") })).toBe(false);
  });

  it("matches String.Array elements of any JSON type", () => {
    expect(byAttributes({ key: [true] }, { key: arr(["a", true]) })).toBe(true);
    expect(byAttributes({ key: [null] }, { key: arr([null]) })).toBe(true);
    expect(byAttributes({ key: [{ numeric: [">", 5] }] }, { key: arr([1, 10]) })).toBe(true);
    expect(byAttributes({ key: [{ exists: true }] }, { key: arr([]) })).toBe(false);
  });

  it("ignores the body", () => {
    expect(matchesFilterPolicy({ a: ["b"] }, { attributes: {}, body: '{"a": "b"}' }, "MessageAttributes")).toBe(false);
  });
});

describe("deliveries recorded on AWS: attribute policies", () => {
  it("test_filter_policy / test_filter_policy_for_batch: numeric > 0, <= 100", () => {
    const policy = { attr1: [{ numeric: [">", 0, "<=", 100] }] };
    expect(byAttributes(policy, { attr1: num("99") })).toBe(true);
    expect(byAttributes(policy, { attr1: num("111") })).toBe(false);
  });

  it("test_filter_policy: null or anything-but does not match a message without the attribute", () => {
    expect(byAttributes({ attr1: [null, { "anything-but": "whatever" }] }, {})).toBe(false);
  });

  it("test_exists_filter_policy", () => {
    expect(byAttributes({ store: [{ exists: true }] }, { store: num("99"), def: num("99") })).toBe(true);
    expect(byAttributes({ store: [{ exists: true }] }, { attr1: num("111") })).toBe(false);
    expect(byAttributes({ store: [{ exists: false }] }, { def: num("99") })).toBe(true);
    expect(byAttributes({ store: [{ exists: false }] }, { store: num("99"), def: num("99") })).toBe(false);
  });

  it("test_exists_filter_policy_attributes_array", () => {
    const policy = { store: ["value1"] };
    expect(byAttributes(policy, { store: str("value1") })).toBe(true);
    expect(byAttributes(policy, { store: arr(["value1", "value2"]) })).toBe(true);
    expect(byAttributes(policy, { store: arr(["value2", "value3"]) })).toBe(false);
  });
});

describe("deliveries recorded on AWS: body policies", () => {
  it("test_filter_policy_on_message_body: nested keys, prefix, exists false", () => {
    const policy = {
      object: { key: [{ prefix: "auto-" }, "hardcodedvalue"], nested_key: [{ exists: false }] },
      test: [{ exists: false }],
    };
    expect(byBody(policy, { object: { key: "auto-test" } })).toBe(true);
    expect(byBody(policy, { object: { key: "hardcodedvalue" } })).toBe(true);
    for (const body of [
      { object: { key: "test-auto" } },
      { object: { key: "auto-test" }, test: "just-exists" },
      { object: { key: "auto-test", nested_key: "just-exists" } },
      { object: { test: "auto-test" } },
      { test: "auto-test" },
    ]) {
      expect(byBody(policy, body)).toBe(false);
    }
    expect(byBody(policy, "Regular string message")).toBe(false);
    expect(byBody(policy, JSON.stringify("Regular string message"))).toBe(false);
  });

  it("test_filter_policy_on_message_body_dot_attribute: dotted keys match nested and dotted properties", () => {
    const policy = { "object.nested": ["string.value"] };
    expect(byBody(policy, { object: { nested: "string.value" } })).toBe(true);
    expect(byBody(policy, { "object.nested": "string.value" })).toBe(true);
    expect(byBody(policy, { object: { nested: "test-auto" } })).toBe(false);

    const deep = { "object.nested.test": ["string.value"] };
    for (const body of [
      { object: { nested: { test: "string.value" } } },
      { "object.nested.test": "string.value" },
      { "object.nested": { test: "string.value" } },
      { object: { "nested.test": "string.value" } },
    ]) {
      expect(byBody(deep, body)).toBe(true);
    }
    expect(byBody(deep, { object: { nested: { test: "string.notvalue" } } })).toBe(false);
  });

  it("test_filter_policy_on_message_body_array_attributes: arrays match element-wise", () => {
    const messages = [["queue3"], ["queue1"], ["queue2"], ["queue1", "queue2"]].map((routeTo) => ({
      headers: { "route-to": routeTo },
    }));
    const delivered = (queue: string) => messages.filter((m) => byBody({ headers: { "route-to": [queue] } }, m));
    expect(delivered("queue1")).toEqual([messages[1], messages[3]]);
    expect(delivered("queue2")).toEqual([messages[2], messages[3]]);
  });

  it("test_filter_policy_on_message_body_array_of_object_attributes: S3 events", () => {
    const policy = { Records: { s3: { object: { key: [{ prefix: "auto-" }] } }, eventName: [{ prefix: "ObjectCreated:" }] } };
    const record = (eventName: string, key: string) => ({ eventSource: "aws:s3", eventName, s3: { object: { key, size: 17 } } });
    const multiple = {
      Records: [
        {
          eventSource: "aws:s3",
          eventName: "ObjectCreated:Put",
          s3: { object: [[{ key: "auto-insurance-2314.xml", size: 17 }]] },
        },
        record("ObjectRemoved:Delete", "home-insurance-2314.xml"),
      ],
    };
    expect(byBody(policy, multiple)).toBe(true);
    expect(byBody(policy, { Records: [record("ObjectRemoved:Delete", "auto-insurance-2314.xml")] })).toBe(false);
    expect(byBody(policy, { Records: [record("ObjectCreated:Put", "home-insurance-2314.xml")] })).toBe(false);
    expect(byBody(policy, { Records: [record("ObjectCreated:Put", "auto-insurance-2314.xml")] })).toBe(true);
  });

  it("requires properties matched inside an array of objects to come from the same element", () => {
    const policy = { Records: { s3: { object: { key: [{ prefix: "auto-" }] } }, eventName: [{ prefix: "ObjectCreated:" }] } };
    const crossed = {
      Records: [
        { eventName: "ObjectCreated:Put", s3: { object: { key: "home-1.xml" } } },
        { eventName: "ObjectRemoved:Delete", s3: { object: { key: "auto-1.xml" } } },
      ],
    };
    expect(byBody(policy, crossed)).toBe(false);
  });

  it("test_filter_policy_on_message_body_or_attribute: $or at two levels", () => {
    const policy = {
      $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { namespace: ["AWS/EC2", "AWS/ES"] }],
      detail: { scope: ["Service"], $or: [{ source: ["aws.cloudwatch"] }, { type: ["CloudWatch Alarm State Change"] }] },
    };
    const rejected = [
      { metricName: "CPUUtilization", detail: { scope: "aws.cloudwatch", type: "CloudWatch Alarm State Change" } },
      { metricName: "CPUUtilization", detail: { scope: "Service", type: "CPUUtilization" } },
      { metricName: "CPUUtilization", detail: { type: "CloudWatch Alarm State Change" } },
      { metricName: "CPUUtilization", detail: { scope: "Service" } },
      { metricName: "CPUUtilization", scope: "Service" },
      { metricName: "AWS/EC2", detail: { scope: "Service", type: "CloudWatch Alarm State Change" } },
      { namespace: "CPUUtilization", detail: { scope: "Service", type: "CloudWatch Alarm State Change" } },
    ];
    const delivered = [
      { metricName: "CPUUtilization", detail: { scope: "Service", source: "aws.cloudwatch" } },
      { metricName: "ReadLatency", detail: { scope: "Service", source: "aws.cloudwatch" } },
      { namespace: "AWS/EC2", detail: { scope: "Service", source: "aws.cloudwatch" } },
      { namespace: "AWS/ES", detail: { scope: "Service", source: "aws.cloudwatch" } },
      { metricName: "CPUUtilization", detail: { scope: "Service", type: "CloudWatch Alarm State Change" } },
    ];
    for (const body of rejected) expect(byBody(policy, body)).toBe(false);
    for (const body of delivered) expect(byBody(policy, body)).toBe(true);
  });

  it("test_filter_policy_empty_array_payload: an empty string matches; an empty array is no value", () => {
    const body = { resources: [], detail: { eventVersion: "", responseElements: null } };
    expect(byBody({ detail: { eventVersion: [""] } }, body)).toBe(true);
    expect(byBody({ resources: [{ exists: true }] }, body)).toBe(false);
    expect(byBody({ resources: [{ exists: false }] }, body)).toBe(true);
    expect(byBody({ detail: { responseElements: [null] } }, body)).toBe(true);
  });

  it("test_filter_policy_ip_address_condition", () => {
    const policy = {
      detail: {
        $or: [{ sourceIPAddress: [{ cidr: "10.0.0.0/24" }] }, { sourceIPAddressV6: [{ cidr: "2001:db8:1234:1a00::/64" }] }],
      },
    };
    expect(byBody(policy, { id: "1", detail: { sourceIPAddress: "10.0.0.255" } })).toBe(true);
    expect(byBody(policy, { id: "2", detail: { sourceIPAddress: "10.0.0.256" } })).toBe(false);
    expect(byBody(policy, { id: "3", detail: { sourceIPAddressV6: "2001:0db8:1234:1a00:0000:0000:0000:0000" } })).toBe(true);
    expect(byBody(policy, { id: "4", detail: { sourceIPAddressV6: "2001:0db8:123f:1a01:0000:0000:0000:0000" } })).toBe(false);
  });
});

describe("message bodies", () => {
  it("compares JSON types: a quoted number is a string, true and null are literals", () => {
    expect(byBody({ n: [5] }, { n: 5 })).toBe(true);
    expect(byBody({ n: [5] }, { n: "5" })).toBe(false);
    expect(byBody({ n: [{ numeric: [">", 1] }] }, { n: "5" })).toBe(false);
    expect(byBody({ b: [true] }, { b: true })).toBe(true);
    expect(byBody({ b: [true] }, { b: "true" })).toBe(false);
  });

  it("matches only scalar values: an object is not a value of its key", () => {
    expect(byBody({ a: [{ exists: true }] }, { a: { b: 1 } })).toBe(false);
    expect(byBody({ a: [{ exists: false }] }, { a: { b: 1 } })).toBe(true);
  });

  it("filters out bodies that are not JSON objects, whatever the policy", () => {
    expect(byBody({ a: [{ exists: false }] }, "plain text")).toBe(false);
    expect(byBody({ a: [{ exists: false }] }, "[1, 2]")).toBe(false);
  });

  it("lets anything-but match values of other types than the listed ones", () => {
    expect(byBody({ a: [{ "anything-but": ["x"] }] }, { a: 1 })).toBe(true);
    expect(byBody({ a: [{ "anything-but": [1] }] }, { a: "x" })).toBe(false);
  });

  it("treats an address written differently as the same exact value", () => {
    expect(byBody({ ip: ["2001:db8::1"] }, { ip: "2001:0db8:0000:0000:0000:0000:0000:0001" })).toBe(true);
  });
});

describe("cidr ranges as AWS computes them", () => {
  it("starts the range at the address as written (host bits are not cleared)", () => {
    const policy = { ip: [{ cidr: "10.0.0.5/24" }] };
    expect(byAttributes(policy, { ip: str("10.0.0.5") })).toBe(true);
    expect(byAttributes(policy, { ip: str("10.0.0.255") })).toBe(true);
    expect(byAttributes(policy, { ip: str("10.0.0.4") })).toBe(false);
  });
});

describe("policies without conditions", () => {
  it("lets everything through when the policy is not an object", () => {
    expect(matchesFilterPolicy(undefined, { attributes: {}, body: "x" }, "MessageAttributes")).toBe(true);
  });
});
