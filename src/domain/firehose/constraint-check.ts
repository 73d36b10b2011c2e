/**
 * Coral's validation of a destination configuration or update against the model's constraints
 * (./destination-constraints.ts): every failed pattern, length, range and enum becomes one entry of a
 * single ValidationException, at most 10, in member order, worded as Kinesis's `checks()` words them
 * (src/domain/kinesis/validate.ts). This walker does not use `checks()` itself because a few Firehose
 * patterns are Java regexes that JavaScript's `u` mode refuses (`\_`, `\-` outside a class, as in
 * SnowflakePrivateLinkVpceId), and because the emulator matches a few members more loosely than it
 * words them (http:// endpoints, below); `checks()` prints and matches one pattern.
 */
import { validationError, type ConstraintViolation } from "../coral-errors";
import type { Problem } from "../errors";
import { SHAPES, type Constraint } from "./destination-constraints";

const MAX_VIOLATIONS = 10;

/**
 * Emulator difference (README): AWS accepts only https endpoints; here plain http:// works too so
 * that tests can point a delivery stream at a local server. AWS's own pattern is still what a
 * violation prints.
 */
const LOOSER_PATTERNS: Record<string, string> = {
  HttpEndpointUrl: "https?://.*",
  ElasticsearchClusterEndpoint: "https?:.*",
  AmazonopensearchserviceClusterEndpoint: "https?:.*",
  AmazonOpenSearchServerlessCollectionEndpoint: "https?:.*",
};

const compiled = new Map<string, RegExp>();
/** Java's `String.matches`: the whole value. Java regexes `u` mode refuses compile without it. */
function matches(pattern: string, value: string): boolean {
  let re = compiled.get(pattern);
  if (!re) {
    try {
      re = new RegExp(`^(?:${pattern})$`, "u");
    } catch {
      re = new RegExp(`^(?:${pattern})$`);
    }
    compiled.set(pattern, re);
  }
  return re.test(value);
}

/** Coral's member paths: each name with a lower-case first letter (`s3Configuration.roleARN`). */
export const memberPath = (parent: string, name: string): string => {
  const member = name.charAt(0).toLowerCase() + name.slice(1);
  return parent ? `${parent}.${member}` : member;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** How Coral prints an offending list (Java's toString). */
const rendered = (value: unknown[]): string => `[${value.map((v) => (isObject(v) ? JSON.stringify(v) : String(v))).join(", ")}]`;

export class Violations {
  readonly list: ConstraintViolation[] = [];

  add(value: unknown, path: string, constraint: string): void {
    if (this.list.length < MAX_VIOLATIONS) this.list.push({ value, path, constraint });
  }

  done(): Problem {
    return this.list.length ? validationError(this.list) : undefined;
  }
}

/** Every constraint `value` (of model shape `shape`) breaks, added to `out` under `path`. */
export function checkShape(shape: string, value: unknown, path: string, out: Violations): void {
  const c: Constraint | undefined = SHAPES[shape];
  if (!c || value === undefined || value === null) return;
  switch (c.kind) {
    case "structure":
      if (!isObject(value)) return;
      for (const [name, memberShape] of c.members) checkShape(memberShape, value[name], memberPath(path, name), out);
      return;
    case "list":
      if (!Array.isArray(value)) return;
      lengths(value.length, rendered(value), path, c, out);
      value.forEach((item, i) => checkShape(c.member, item, `${path}.${i + 1}.member`, out));
      return;
    case "string":
      if (typeof value !== "string") return;
      if (c.pattern !== undefined && !matches(LOOSER_PATTERNS[shape] ?? c.pattern, value))
        out.add(value, path, `Member must satisfy regular expression pattern: ${c.pattern}`);
      lengths(value.length, value, path, c, out);
      return;
    case "number":
      if (typeof value !== "number") return;
      if (c.min !== undefined && value < c.min) out.add(value, path, `Member must have value greater than or equal to ${c.min}`);
      if (c.max !== undefined && value > c.max) out.add(value, path, `Member must have value less than or equal to ${c.max}`);
      return;
    case "enum":
      if (typeof value === "string" && !c.values.includes(value))
        out.add(value, path, `Member must satisfy enum value set: [${c.values.join(", ")}]`);
      return;
    case "free":
      return;
  }
}

function lengths(n: number, shown: string, path: string, c: { min?: number; max?: number }, out: Violations): void {
  if (c.min !== undefined && n < c.min) out.add(shown, path, `Member must have length greater than or equal to ${c.min}`);
  if (c.max !== undefined && n > c.max) out.add(shown, path, `Member must have length less than or equal to ${c.max}`);
}

/**
 * The first required member missing under `value` (recursively, in member order), as a path
 * relative to it (`S3Configuration.BucketARN`). The codec checks required members of what the client
 * sent; this is for configurations the service assembles itself: an UpdateDestination that changes
 * the destination type, or that adds an S3 backup for the first time.
 */
export function firstMissing(shape: string, value: unknown, path = ""): string | undefined {
  const c = SHAPES[shape];
  if (!c || !isObject(value)) return undefined;
  if (c.kind === "structure") {
    for (const [name, memberShape] of c.members) {
      const at = path ? `${path}.${name}` : name;
      if (value[name] === undefined || value[name] === null) {
        if (c.required.includes(name)) return at;
        continue;
      }
      const deeper = firstMissing(memberShape, value[name], at);
      if (deeper) return deeper;
    }
  }
  return undefined;
}
