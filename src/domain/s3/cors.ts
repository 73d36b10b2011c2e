/**
 * A bucket's CORS rules: the `<CORSConfiguration>` document of PutBucketCors (1–100 rules, each with
 * at least one AllowedOrigin and one AllowedMethod of GET, PUT, HEAD, POST or DELETE, at most one `*`
 * in an origin or a header), and how S3 evaluates a request against them: the first rule whose
 * origin pattern, method and every requested header match wins.
 * - Origins match case-sensitively and whole (`http://*.origin.com` matches `http://test.origin.com`,
 *   not `http://test.origin.com/`); `*` matches any run of characters, the empty one too.
 * - Requested headers match case-insensitively and come back lower-case, in the order asked.
 * - A preflight's method is Access-Control-Request-Method; an actual request's is its own unless it
 *   also carries that header (S3 then evaluates it like a preflight: recorded).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CORSRule.html
 */
import { fail, ok, type Result } from "../errors";
import type { CorsRule } from "./contract";
import { malformedXml } from "./errors";
import { corsHeaderWildcards, corsOriginWildcards, unsupportedCorsMethod } from "./settings-errors";
import { listOf, nodeOf, rootOf, textOf } from "./xml-values";

export const CORS_METHODS = ["GET", "PUT", "HEAD", "POST", "DELETE"];
export const MAX_CORS_RULES = 100;

const texts = (value: unknown): string[] | undefined => {
  const out: string[] = [];
  for (const item of listOf(value)) {
    const text = textOf(item);
    if (text === undefined) return undefined;
    out.push(text);
  }
  return out;
};

const wildcards = (text: string): number => text.split("*").length - 1;

function readRule(item: unknown): Result<CorsRule> {
  const node = nodeOf(item);
  if (!node) return fail(malformedXml());
  const origins = texts(node.AllowedOrigin);
  const methods = texts(node.AllowedMethod);
  const headers = texts(node.AllowedHeader);
  const expose = texts(node.ExposeHeader);
  if (!origins?.length || !methods?.length || !headers || !expose) return fail(malformedXml());
  const unsupported = methods.find((m) => !CORS_METHODS.includes(m));
  if (unsupported !== undefined) return fail(unsupportedCorsMethod(unsupported));
  const wildOrigin = origins.find((o) => wildcards(o) > 1);
  if (wildOrigin !== undefined) return fail(corsOriginWildcards(wildOrigin));
  const wildHeader = headers.find((h) => wildcards(h) > 1);
  if (wildHeader !== undefined) return fail(corsHeaderWildcards(wildHeader));
  const rule: CorsRule = { allowedOrigins: origins, allowedMethods: methods, allowedHeaders: headers, exposeHeaders: expose };
  if (Array.isArray(node.ID) || Array.isArray(node.MaxAgeSeconds)) return fail(malformedXml());
  if (node.ID !== undefined) {
    const id = textOf(node.ID);
    if (id === undefined) return fail(malformedXml());
    rule.id = id;
  }
  if (node.MaxAgeSeconds !== undefined) {
    const text = textOf(node.MaxAgeSeconds);
    if (text === undefined || !/^-?\d+$/.test(text)) return fail(malformedXml());
    rule.maxAgeSeconds = Number(text);
  }
  return ok(rule);
}

/** The rules of a `<CORSConfiguration>` document, validated. */
export function parseCorsDocument(document: Record<string, unknown> | undefined): Result<CorsRule[]> {
  const config = rootOf(document, "CORSConfiguration");
  if (!config) return fail(malformedXml());
  const items = listOf(config.CORSRule);
  if (!items.length || items.length > MAX_CORS_RULES) return fail(malformedXml());
  const rules: CorsRule[] = [];
  for (const item of items) {
    const rule = readRule(item);
    if (!rule.ok) return rule;
    rules.push(rule.value);
  }
  return ok(rules);
}

/** GetBucketCors's document: only the members set, in the order stored. */
export const corsDocument = (rules: readonly CorsRule[]) => ({
  CORSConfiguration: {
    CORSRule: rules.map((r) => ({
      ID: r.id,
      AllowedHeader: r.allowedHeaders,
      AllowedMethod: r.allowedMethods,
      AllowedOrigin: r.allowedOrigins,
      ExposeHeader: r.exposeHeaders,
      MaxAgeSeconds: r.maxAgeSeconds,
    })),
  },
});

const patternMatches = (pattern: string, text: string, caseless: boolean): boolean => {
  const [p, t] = caseless ? [pattern.toLowerCase(), text.toLowerCase()] : [pattern, text];
  const star = p.indexOf("*");
  if (star < 0) return p === t;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return t.length >= head.length + tail.length && t.startsWith(head) && t.endsWith(tail);
};

/** What a CORS evaluation looks at: the Origin, the method, and the headers asked for (none on most actual requests). */
export interface CorsAsk {
  origin: string;
  method: string;
  headers: string[];
}

/** `Access-Control-Request-Headers` as names: split at commas, trimmed, empty ones dropped. */
export const requestedHeaders = (value: string | null): string[] =>
  (value ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter((h) => h !== "");

/** The first rule that allows the ask, or undefined. */
export function matchingRule(rules: readonly CorsRule[], ask: CorsAsk): CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.allowedOrigins.some((o) => patternMatches(o, ask.origin, false)) &&
      rule.allowedMethods.includes(ask.method) &&
      ask.headers.every((h) => rule.allowedHeaders.some((allowed) => patternMatches(allowed, h, true))),
  );
}

export const CORS_VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

/**
 * The Access-Control-* headers S3 answers for a matched rule (recorded): the origin echoed with
 * credentials allowed, or `*` without them when the rule allows every origin; the rule's methods;
 * the headers asked for; the exposed headers and max age when the rule has them; and Vary.
 */
export function corsResponseHeaders(rule: CorsRule, ask: CorsAsk): Record<string, string> {
  const anyOrigin = rule.allowedOrigins.includes("*");
  const headers: Record<string, string> = {
    "access-control-allow-origin": anyOrigin ? "*" : ask.origin,
    "access-control-allow-methods": rule.allowedMethods.join(", "),
  };
  if (!anyOrigin) headers["access-control-allow-credentials"] = "true";
  if (ask.headers.length) headers["access-control-allow-headers"] = ask.headers.map((h) => h.toLowerCase()).join(", ");
  if (rule.exposeHeaders.length) headers["access-control-expose-headers"] = rule.exposeHeaders.join(", ");
  if (rule.maxAgeSeconds !== undefined) headers["access-control-max-age"] = String(rule.maxAgeSeconds);
  headers.vary = CORS_VARY;
  return headers;
}
