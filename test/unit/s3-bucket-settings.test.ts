/**
 * The pure setting rules: CORS matching (src/domain/s3/cors.ts), policy checks (bucket-policy.ts),
 * lifecycle reading and expiration headers (lifecycle.ts, lifecycle-expiration.ts), against AWS's answers in ../shared/aws-recordings/s3.
 */
import { describe, expect, it } from "vitest";
import { policyProblem } from "../../src/domain/s3/bucket-policy";
import type { CorsRule } from "../../src/domain/s3/contract";
import { corsResponseHeaders, matchingRule, parseCorsDocument, requestedHeaders } from "../../src/domain/s3/cors";
import { parseLifecycleDocument } from "../../src/domain/s3/lifecycle";
import { expirationHeader } from "../../src/domain/s3/lifecycle-expiration";
import { parseXml } from "../../src/protocol/s3/xml";

const xml = (text: string) => {
  const parsed = parseXml(text);
  if (!parsed.ok) throw new Error("not XML");
  return parsed.value;
};

const rule = (over: Partial<CorsRule>): CorsRule => ({
  allowedOrigins: ["*"],
  allowedMethods: ["GET"],
  allowedHeaders: [],
  exposeHeaders: [],
  ...over,
});

describe("CORS rules", () => {
  it("matches origins whole, with one wildcard that may match nothing", () => {
    const rules = [rule({ allowedOrigins: ["http://*.origin.com", "start*end"] })];
    const ask = (origin: string) => matchingRule(rules, { origin, method: "GET", headers: [] });
    for (const origin of ["http://test.origin.com", "http://.origin.com", "startend", "start12end"])
      expect(ask(origin)).toBeDefined();
    for (const origin of ["http://test.origin.com/", "https://test.origin.com", "0startend", "HTTP://test.origin.com"])
      expect(ask(origin)).toBeUndefined();
  });

  it("takes the first rule that allows origin, method and every requested header", () => {
    const first = rule({ allowedMethods: ["PUT"] });
    const second = rule({ allowedHeaders: ["x-amz-*"] });
    const third = rule({ allowedHeaders: ["*"], maxAgeSeconds: 5 });
    const rules = [first, second, third];
    expect(matchingRule(rules, { origin: "o", method: "PUT", headers: [] })).toBe(first);
    expect(matchingRule(rules, { origin: "o", method: "GET", headers: ["X-Amz-Date"] })).toBe(second);
    expect(matchingRule(rules, { origin: "o", method: "GET", headers: ["x-amz-date", "content-type"] })).toBe(third);
    expect(matchingRule(rules, { origin: "o", method: "DELETE", headers: [] })).toBeUndefined();
  });

  it("answers the headers S3 answers", () => {
    const headers = corsResponseHeaders(
      rule({ allowedOrigins: ["https://a"], allowedMethods: ["GET", "PUT"], maxAgeSeconds: 3000 }),
      {
        origin: "https://a",
        method: "GET",
        headers: requestedHeaders("X-Amz-Date,  content-type ,"),
      },
    );
    expect(headers).toEqual({
      "access-control-allow-origin": "https://a",
      "access-control-allow-methods": "GET, PUT",
      "access-control-allow-credentials": "true",
      "access-control-allow-headers": "x-amz-date, content-type",
      "access-control-max-age": "3000",
      vary: "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
    });
  });

  it("validates a configuration", () => {
    const doc = (rules: string) => parseCorsDocument(xml(`<CORSConfiguration>${rules}</CORSConfiguration>`));
    expect(doc("<CORSRule><AllowedOrigin></AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>")).toMatchObject({
      ok: true,
      value: [{ allowedOrigins: [""] }],
    });
    expect(doc("<CORSRule/>")).toMatchObject({ ok: false, error: { code: "MalformedXML" } });
    expect(doc("<CORSRule><AllowedOrigin>*</AllowedOrigin></CORSRule>")).toMatchObject({
      ok: false,
      error: { code: "MalformedXML" },
    });
    expect(doc("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod/></CORSRule>")).toMatchObject({
      ok: false,
      error: { message: "Found unsupported HTTP method in CORS config. Unsupported method is " },
    });
    expect(
      doc("<CORSRule><AllowedOrigin>*example*.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>"),
    ).toMatchObject({
      ok: false,
      error: { message: 'AllowedOrigin "*example*.com" can not have more than one wildcard.' },
    });
  });
});

describe("bucket policies", () => {
  const statement = { Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" };
  const problem = (policy: unknown) => policyProblem(JSON.stringify(policy), "b")?.message;

  it("accepts a valid policy, a single statement, and wildcard actions and resources", () => {
    expect(problem({ Version: "2012-10-17", Statement: [statement] })).toBeUndefined();
    expect(
      problem({ Statement: { ...statement, Action: ["s3:Get*", "s3:ListBucket"], Resource: ["arn:aws:s3:::b", "*"] } }),
    ).toBeUndefined();
  });

  it("words the refusals", () => {
    expect(policyProblem(" {}", "b")?.message).toBe("Policies must be valid JSON and the first byte must be '{'");
    expect(policyProblem("{", "b")?.message).toBe("Policies must be valid JSON and the first byte must be '{'");
    expect(problem({})).toBe("Missing required field Statement");
    expect(problem({ Statement: [{ ...statement, Effect: "Maybe" }] })).toBe("Invalid effect: Maybe");
    expect(problem({ Statement: [{ ...statement, Principal: undefined }] })).toBe("Missing required field Principal");
    expect(problem({ Statement: [{ ...statement, Action: "sqs:*" }] })).toBe("Policy has invalid action");
    expect(problem({ Statement: [{ ...statement, Resource: "arn:aws:s3:::other/*" }] })).toBe("Policy has invalid resource");
    expect(problem({ Version: "2020-01-01", Statement: [statement] })).toBe("The policy must contain a valid version string");
  });
});

describe("lifecycle configurations", () => {
  const read = (rules: string, header: string | null = null) =>
    parseLifecycleDocument(xml(`<LifecycleConfiguration>${rules}</LifecycleConfiguration>`), header);

  it("keeps rules in S3's element order and gives a rule without an ID one", () => {
    const config = read(
      "<Rule><Status>Enabled</Status><Filter><Prefix></Prefix></Filter><Expiration><Days>7</Days></Expiration></Rule>",
    );
    expect(config.ok).toBe(true);
    if (!config.ok) return;
    expect(Object.keys(config.value.rules[0]!)).toEqual(["Expiration", "ID", "Filter", "Status"]);
    expect(config.value.rules[0]!.ID).toMatch(/^[a-z2-7]{24}$/);
    expect(config.value.transitionMinimumSize).toBe("all_storage_classes_128K");
  });

  it("accepts the older rule-level Prefix, and refuses what S3 refuses", () => {
    expect(
      read("<Rule><ID>a</ID><Prefix>logs/</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>").ok,
    ).toBe(true);
    const code = (rules: string) => {
      const config = read(rules);
      return config.ok ? undefined : config.error.code;
    };
    expect(code("<Rule><ID>a</ID><Filter/><Status>Enabled</Status></Rule>")).toBe("InvalidRequest");
    expect(code("<Rule><ID>a</ID><Filter/><Status>enabled</Status><Expiration><Days>1</Days></Expiration></Rule>")).toBe(
      "MalformedXML",
    );
    expect(code("<Rule><ID>a</ID><Filter/><Status>Enabled</Status><Expiration><Days>0</Days></Expiration></Rule>")).toBe(
      "InvalidArgument",
    );
    const twice = "<Rule><ID>a</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>";
    expect(code(twice + twice)).toBe("InvalidArgument");
    expect(code("")).toBe("MalformedXML");
  });
});

describe("lifecycle expiration headers", () => {
  const config = (rules: string) => {
    const read = parseLifecycleDocument(xml(`<LifecycleConfiguration>${rules}</LifecycleConfiguration>`), null);
    if (!read.ok) throw new Error(read.error.message);
    return read.value;
  };
  const object = {
    key: "testobject",
    size: 4,
    tags: [{ key: "t", value: "positive" }],
    lastModified: Date.parse("2024-05-01T10:00:00Z"),
  };

  it("counts days from creation up to the next midnight, and shows the earliest matching rule", () => {
    const rules = config(
      "<Rule><ID>one</ID><Filter><Prefix>test</Prefix></Filter><Status>Enabled</Status><Expiration><Days>7</Days></Expiration></Rule>" +
        "<Rule><ID>two</ID><Filter><Tag><Key>t</Key><Value>positive</Value></Tag></Filter><Status>Enabled</Status><Expiration><Days>2</Days></Expiration></Rule>" +
        "<Rule><ID>off</ID><Filter/><Status>Disabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
    );
    expect(expirationHeader(rules, object)).toBe('expiry-date="Sat, 04 May 2024 00:00:00 GMT", rule-id="two"');
    expect(expirationHeader(rules, { ...object, key: "other", tags: [] })).toBeUndefined();
  });

  it("matches sizes and all the tags of an And", () => {
    const rules = config(
      "<Rule><ID>big</ID><Filter><ObjectSizeGreaterThan>20</ObjectSizeGreaterThan></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>" +
        "<Rule><ID>both</ID><Filter><And><Tag><Key>t</Key><Value>positive</Value></Tag><Tag><Key>u</Key><Value>2</Value></Tag></And></Filter><Status>Enabled</Status><Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration></Rule>",
    );
    expect(expirationHeader(rules, object)).toBeUndefined();
    expect(expirationHeader(rules, { ...object, size: 21 })).toContain('rule-id="big"');
    expect(expirationHeader(rules, { ...object, tags: [...object.tags, { key: "u", value: "2" }] })).toBe(
      'expiry-date="Tue, 01 Jan 2030 00:00:00 GMT", rule-id="both"',
    );
  });
});
