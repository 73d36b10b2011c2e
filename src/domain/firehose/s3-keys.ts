/**
 * S3 object keys as Firehose builds them, and AWS's rules for the prefixes, extension and time zone
 * that shape them.
 *
 * A key is `<evaluated prefix><stream>-<version>-<yyyy-MM-dd-HH-mm-ss>-<uuid><file extension>`, the
 * prefix's timestamps and the suffix's in UTC or CustomTimeZone
 * (https://docs.aws.amazon.com/firehose/latest/dev/s3-object-name.html). Prefixes hold
 * `!{namespace:value}` expressions (https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html);
 * the page's "Semantic rules" are what validateS3Prefixes enforces, and what evaluation follows:
 * - no Prefix: `yyyy/MM/dd/HH/`;
 * - a Prefix without a timestamp expression gets `!{timestamp:yyyy/MM/dd/HH/}` appended, straight
 *   after it (`logs` → `logs2018/08/27/10/`; the page's last example shows a `/` and no hour, which
 *   contradicts its own rule, so the rule wins);
 * - failed data goes under ErrorOutputPrefix as written (no timestamp appended: the page's first
 *   example); with no ErrorOutputPrefix, under `<Prefix><error-output-type>/yyyy/MM/dd/HH/` (the rule
 *   prints `…<error-output-type>YYYY/MM/DDD/HH/`, whose missing `/` and day-of-year are typos by its
 *   own example, `myFirehosePrefix/processing-failed/2018/08/27/`).
 */
import { type ConstraintViolation, invalidArgument, notSupported, validationError } from "./errors";
import type { Problem } from "../errors";
import type { CompressionFormat, ErrorOutputType, S3Target } from "./contract";
import { compilePattern, formatPattern, type PatternToken } from "./timestamp-format";
import { canonicalTimeZone, isKnownTimeZone, UTC, wallClockOf, type WallClock } from "./time-zones";

export interface ObjectKeyInput {
  streamName: string;
  versionId: number;
  /** Epoch ms: approximate arrival time of the oldest record in the object. */
  arrival: number;
  /** A random UUID for the suffix. */
  uuid: string;
  /** Set for error/failed-data objects: the key uses ErrorOutputPrefix. */
  errorType?: ErrorOutputType;
  /** Source of randomness for `!{firehose:random-string}` (tests inject one). */
  random?: () => number;
}

/** The prefixes one destination (or its S3 backup) is configured with. */
export interface S3PrefixInput {
  prefix?: string;
  errorOutputPrefix?: string;
  /** DynamicPartitioningConfiguration.Enabled: the one case `partitionKeyFrom…` may appear. */
  dynamicPartitioning?: boolean;
  /** Redshift's S3 staging configuration: no expressions, no ErrorOutputPrefix. */
  redshift?: boolean;
  /** Wire path of the configuration for Coral's messages (`extendedS3DestinationConfiguration`). */
  path?: string;
}

/** Prefix and ErrorOutputPrefix: length 0–1024 in the API reference (before evaluation). */
export const PREFIX_MAX_LENGTH = 1024;
/** "Neither Prefix nor ErrorOutputPrefix can be greater than 512 characters after they're evaluated." */
export const EVALUATED_PREFIX_MAX_LENGTH = 512;
export const RANDOM_STRING_LENGTH = 11;

const NAMESPACES = ["firehose", "timestamp", "partitionKeyFromQuery", "partitionKeyFromLambda"];
const DEFAULT_PREFIX_PATTERN = "yyyy/MM/dd/HH/";
const SUFFIX_PATTERN = "yyyy-MM-dd-HH-mm-ss";

/**
 * The one InvalidArgumentException text recorded from AWS for prefixes (hashicorp/terraform-provider-aws
 * PR #13416): `Ths supplied prefix(es) do not satisfy the following constraint: ErrorOutputPrefix cannot
 * be null or empty when Prefix contains expressions` (sic, "Ths"). The other constraints are worded
 * after the page's semantic rules in that frame; their exact AWS texts are not known.
 */
const prefixConstraint = (constraint: string) =>
  invalidArgument(`Ths supplied prefix(es) do not satisfy the following constraint: ${constraint}`);

// ---- parsing -------------------------------------------------------------------------------

export type PrefixSegment =
  | { kind: "text"; text: string }
  | { kind: "expression"; namespace: string; value: string; source: string; tokens?: PatternToken[] };

/** A prefix as text and `!{namespace:value}` expressions; undefined when a `!{` opens no expression. */
export function parsePrefix(prefix: string): PrefixSegment[] | undefined {
  const segments: PrefixSegment[] = [];
  let rest = prefix;
  for (;;) {
    const open = rest.indexOf("!{");
    if (open < 0) break;
    if (open > 0) segments.push({ kind: "text", text: rest.slice(0, open) });
    const close = rest.indexOf("}", open + 2);
    if (close < 0) return undefined;
    const body = rest.slice(open + 2, close);
    const colon = body.indexOf(":");
    // "The sequence !{ can only appear in !{namespace:value} expressions."
    if (colon <= 0 || body.includes("!{")) return undefined;
    segments.push({ kind: "expression", namespace: body.slice(0, colon), value: body.slice(colon + 1), source: `!{${body}}` });
    rest = rest.slice(close + 1);
  }
  if (rest) segments.push({ kind: "text", text: rest });
  return segments;
}

const expressions = (segments: PrefixSegment[]) =>
  segments.filter((s): s is Extract<PrefixSegment, { kind: "expression" }> => s.kind === "expression");

const isErrorOutputType = (s: PrefixSegment) =>
  s.kind === "expression" && s.namespace === "firehose" && s.value === "error-output-type";

// ---- validation ----------------------------------------------------------------------------

/** Coral's model constraints on the two members (length 0–1024; the pattern `.*` admits anything). */
export function s3PrefixViolations(p: S3PrefixInput): ConstraintViolation[] {
  const path = p.path ?? "extendedS3DestinationConfiguration";
  const out: ConstraintViolation[] = [];
  for (const [member, value] of [
    ["prefix", p.prefix],
    ["errorOutputPrefix", p.errorOutputPrefix],
  ] as const) {
    if (value !== undefined && value.length > PREFIX_MAX_LENGTH) {
      out.push({
        value,
        path: `${path}.${member}`,
        constraint: `Member must have length less than or equal to ${PREFIX_MAX_LENGTH}`,
      });
    }
  }
  return out;
}

/** AWS's rules for a destination's Prefix and ErrorOutputPrefix (the s3-prefixes page, "Semantic rules"). */
export function validateS3Prefixes(p: S3PrefixInput): Problem {
  const violations = s3PrefixViolations(p);
  if (violations.length) return validationError(violations);
  const prefix = p.prefix || undefined;
  const errorPrefix = p.errorOutputPrefix || undefined;

  const parsed = { Prefix: prefix ? parsePrefix(prefix) : [], ErrorOutputPrefix: errorPrefix ? parsePrefix(errorPrefix) : [] };
  for (const [field, segments] of Object.entries(parsed)) {
    if (!segments) return prefixConstraint("The sequence !{ can only appear in !{namespace:value} expressions");
    const problem = checkExpressions(field as keyof typeof parsed, segments, p.dynamicPartitioning === true);
    if (problem) return problem;
  }
  const prefixExprs = expressions(parsed.Prefix!);
  const errorExprs = expressions(parsed.ErrorOutputPrefix!);

  if (p.redshift && prefixExprs.length)
    return prefixConstraint("Prefix must not contain expressions when the destination is Amazon Redshift");
  if (p.redshift && errorPrefix !== undefined)
    return prefixConstraint("ErrorOutputPrefix must be null when the destination is Amazon Redshift");
  if (prefixExprs.some(isErrorOutputType)) return prefixConstraint("Prefix cannot contain !{firehose:error-output-type}");
  if (prefixExprs.length && !errorPrefix) {
    return prefixConstraint("ErrorOutputPrefix cannot be null or empty when Prefix contains expressions");
  }
  if (errorExprs.length && !errorExprs.some(isErrorOutputType)) {
    return prefixConstraint("ErrorOutputPrefix must contain !{firehose:error-output-type} when it contains expressions");
  }

  // The evaluated length depends on the instant (month names), the random string and the error type:
  // measure at a long reading (Wednesday, September), with the longest error type. The rule names the
  // two fields, so a default error prefix (derived from Prefix) is not held to it.
  const sample: EvaluationContext = {
    clock: wallClockOf(Date.UTC(2000, 8, 27, 23, 59, 59, 999)),
    errorType: "AmazonOpenSearchService-failed",
    random: () => 0,
  };
  const target = { prefix, errorOutputPrefix: errorPrefix };
  const tooLong = (evaluated: string) => evaluated.length > EVALUATED_PREFIX_MAX_LENGTH;
  if (tooLong(dataPrefixOf(target, sample)) || (errorPrefix !== undefined && tooLong(errorPrefixOf(target, sample)))) {
    return prefixConstraint(
      `Neither Prefix nor ErrorOutputPrefix can be greater than ${EVALUATED_PREFIX_MAX_LENGTH} characters after they're evaluated`,
    );
  }
  return undefined;
}

function checkExpressions(
  field: "Prefix" | "ErrorOutputPrefix",
  segments: PrefixSegment[],
  dynamicPartitioning: boolean,
): Problem {
  for (const e of expressions(segments)) {
    if (!NAMESPACES.includes(e.namespace)) {
      return prefixConstraint(`The namespace of ${e.source} in ${field} must be one of ${NAMESPACES.join(", ")}`);
    }
    if (e.namespace === "firehose" && e.value !== "error-output-type" && e.value !== "random-string") {
      return prefixConstraint(
        `The firehose namespace value of ${e.source} in ${field} must be error-output-type or random-string`,
      );
    }
    if (e.namespace === "timestamp") {
      const compiled = compilePattern(e.value);
      if (!compiled.ok && compiled.unsupported) return notSupported(`${compiled.reason} (in ${e.source})`);
      if (!compiled.ok) {
        return prefixConstraint(
          `The timestamp namespace value of ${e.source} in ${field} must be a valid Java DateTimeFormatter pattern: ${compiled.reason}`,
        );
      }
    }
    if (e.namespace.startsWith("partitionKeyFrom")) {
      // "You cannot use partitionKeyFromLambda and partitionKeyFromQuery namespaces when creating
      // ErrorOutputPrefix expressions"; in Prefix they need dynamic partitioning, which is not emulated.
      if (field === "ErrorOutputPrefix") {
        return prefixConstraint("ErrorOutputPrefix cannot contain partitionKeyFromQuery or partitionKeyFromLambda expressions");
      }
      if (!dynamicPartitioning) {
        return prefixConstraint(`Prefix cannot contain ${e.namespace} expressions when dynamic partitioning is not enabled`);
      }
      return notSupported(`Dynamic partitioning (${e.source})`);
    }
  }
  return undefined;
}

/** FileExtension's model constraints (ExtendedS3DestinationConfiguration): 0–128, `^$|\.[0-9a-z!\-_.*'()]+`. */
export const FILE_EXTENSION_PATTERN = String.raw`^$|\.[0-9a-z!\-_.*'()]+`;
const FILE_EXTENSION_RE = /^(?:|\.[0-9a-z!\-_.*'()]+)$/;
export const FILE_EXTENSION_MAX_LENGTH = 128;

export function fileExtensionViolations(
  value: string | undefined,
  path = "extendedS3DestinationConfiguration.fileExtension",
): ConstraintViolation[] {
  if (value === undefined) return [];
  const out: ConstraintViolation[] = [];
  if (value.length > FILE_EXTENSION_MAX_LENGTH) {
    out.push({ value, path, constraint: `Member must have length less than or equal to ${FILE_EXTENSION_MAX_LENGTH}` });
  }
  if (!FILE_EXTENSION_RE.test(value)) {
    out.push({ value, path, constraint: `Member must satisfy regular expression pattern: ${FILE_EXTENSION_PATTERN}` });
  }
  return out;
}

/** FileExtension: it must start with `.`, then `0-9a-z!-_.*'()` only (Coral's ValidationException). */
export function validateFileExtension(value: string | undefined, path?: string): Problem {
  const violations = fileExtensionViolations(value, path);
  return violations.length ? validationError(violations) : undefined;
}

/** CustomTimeZone's model constraints: 0–50, `^$|[a-zA-Z/_]+`. */
export const TIME_ZONE_PATTERN = "^$|[a-zA-Z/_]+";
const TIME_ZONE_RE = /^(?:|[a-zA-Z/_]+)$/;
export const TIME_ZONE_MAX_LENGTH = 50;

export function timeZoneViolations(
  value: string | undefined,
  path = "extendedS3DestinationConfiguration.customTimeZone",
): ConstraintViolation[] {
  if (value === undefined) return [];
  const out: ConstraintViolation[] = [];
  if (value.length > TIME_ZONE_MAX_LENGTH) {
    out.push({ value, path, constraint: `Member must have length less than or equal to ${TIME_ZONE_MAX_LENGTH}` });
  }
  if (!TIME_ZONE_RE.test(value))
    out.push({ value, path, constraint: `Member must satisfy regular expression pattern: ${TIME_ZONE_PATTERN}` });
  return out;
}

/**
 * CustomTimeZone: an IANA zone id of those Firehose lists (s3-object-name.html, "Supported time
 * zones"), `UTC` included. AWS refuses three-letter ids such as `EST` with the text quoted in
 * aws-cdk PR #36089 (not seen in a recording here). A name Intl does not know, or knows only in other
 * letter case, gets an InvalidArgumentException worded by this emulator: AWS's text is not known.
 */
export function validateTimeZone(value: string | undefined, path?: string): Problem {
  const violations = timeZoneViolations(value, path);
  if (violations.length) return validationError(violations);
  if (!value || value === UTC) return undefined;
  if (/^[A-Za-z]{3}$/.test(value)) {
    return invalidArgument(
      "AWS Kinesis Firehose delivery stream, the supported IANA time zone formats are non-3-letter identifiers",
    );
  }
  const canonical = isKnownTimeZone(value) ? canonicalTimeZone(value) : undefined;
  if (!canonical || (canonical !== value && canonical.toLowerCase() === value.toLowerCase())) {
    return invalidArgument(
      `CustomTimeZone ${value} is not a supported time zone. See https://docs.aws.amazon.com/firehose/latest/dev/s3-object-name.html for the supported time zones.`,
    );
  }
  return undefined;
}

// ---- evaluation ----------------------------------------------------------------------------

interface EvaluationContext {
  clock: WallClock;
  errorType?: ErrorOutputType;
  random: () => number;
}

const HEX = "0123456789abcdef";

/**
 * `!{firehose:random-string}`: 11 characters, new at every use. The page's examples are `046b6c7f-0b`
 * and `5abf82daaa5`: lower-case hex here (the dash of the first, a UUID's, is not reproduced).
 */
export function randomString(random: () => number = Math.random): string {
  let s = "";
  for (let i = 0; i < RANDOM_STRING_LENGTH; i++) s += HEX[Math.floor(random() * 16) & 15];
  return s;
}

const compiledCache = new Map<string, PatternToken[]>();

function tokensOf(pattern: string): PatternToken[] {
  let tokens = compiledCache.get(pattern);
  if (!tokens) {
    const compiled = compilePattern(pattern);
    // Stored prefixes were validated; a pattern failing here is a bug, not a client mistake.
    if (!compiled.ok) throw new Error(`unvalidated timestamp pattern ${JSON.stringify(pattern)}: ${compiled.reason}`);
    tokens = compiled.tokens;
    compiledCache.set(pattern, tokens);
  }
  return tokens;
}

function evaluate(segments: PrefixSegment[], ctx: EvaluationContext): string {
  let out = "";
  for (const s of segments) {
    if (s.kind === "text") out += s.text;
    else if (s.namespace === "timestamp") out += formatPattern(tokensOf(s.value), ctx.clock);
    else if (s.value === "random-string") out += randomString(ctx.random);
    else if (s.value === "error-output-type") out += ctx.errorType ?? "";
    else throw new Error(`unvalidated prefix expression ${s.source}`);
  }
  return out;
}

function parsed(prefix: string): PrefixSegment[] {
  const segments = parsePrefix(prefix);
  if (!segments) throw new Error(`unvalidated prefix ${JSON.stringify(prefix)}`);
  return segments;
}

const defaultPrefix = (ctx: EvaluationContext) => formatPattern(tokensOf(DEFAULT_PREFIX_PATTERN), ctx.clock);

/** Where delivered data goes. */
function dataPrefixOf(t: Pick<S3Target, "prefix">, ctx: EvaluationContext): string {
  if (!t.prefix) return defaultPrefix(ctx);
  const segments = parsed(t.prefix);
  const hasTimestamp = expressions(segments).some((e) => e.namespace === "timestamp");
  return evaluate(segments, ctx) + (hasTimestamp ? "" : defaultPrefix(ctx));
}

/** Where failed data goes (`ctx.errorType` set). */
function errorPrefixOf(t: Pick<S3Target, "prefix" | "errorOutputPrefix">, ctx: EvaluationContext): string {
  if (t.errorOutputPrefix) return evaluate(parsed(t.errorOutputPrefix), ctx);
  // Validation leaves only an expression-free Prefix here; evaluating it keeps any other caller sane.
  const base = t.prefix ? evaluate(parsed(t.prefix), ctx) : "";
  return `${base}${ctx.errorType}/${defaultPrefix(ctx)}`;
}

/** Firehose's extension by compression when FileExtension is not set (s3-object-name.html's table). */
export const DEFAULT_FILE_EXTENSIONS: Record<CompressionFormat, string> = {
  UNCOMPRESSED: "",
  GZIP: ".gz",
  ZIP: ".zip",
  Snappy: ".snappy",
  HADOOP_SNAPPY: ".snappy",
};

/** FileExtension overrides the default; an empty one (the pattern allows it) means "not set". */
export function fileExtensionOf(t: Pick<S3Target, "compression" | "fileExtension">): string {
  return t.fileExtension || DEFAULT_FILE_EXTENSIONS[t.compression];
}

/** The evaluated prefix alone: data objects, or failed-data objects when `input.errorType` is set. */
export function evaluatedPrefixOf(target: S3Target, input: Pick<ObjectKeyInput, "arrival" | "errorType" | "random">): string {
  return prefixIn(target, contextOf(target, input));
}

/** `<evaluated prefix><stream>-<version>-<yyyy-MM-dd-HH-mm-ss>-<uuid><extension>`, in the zone. */
export function objectKeyOf(target: S3Target, input: ObjectKeyInput): string {
  const ctx = contextOf(target, input);
  const stamp = formatPattern(tokensOf(SUFFIX_PATTERN), ctx.clock);
  return `${prefixIn(target, ctx)}${input.streamName}-${input.versionId}-${stamp}-${input.uuid}${fileExtensionOf(target)}`;
}

/** One wall-clock reading per object: every timestamp in its key is the same instant. */
const contextOf = (target: S3Target, input: Pick<ObjectKeyInput, "arrival" | "errorType" | "random">): EvaluationContext => ({
  clock: wallClockOf(input.arrival, target.customTimeZone),
  errorType: input.errorType,
  random: input.random ?? Math.random,
});

const prefixIn = (target: S3Target, ctx: EvaluationContext) =>
  ctx.errorType ? errorPrefixOf(target, ctx) : dataPrefixOf(target, ctx);
