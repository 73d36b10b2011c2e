/**
 * A bucket's lifecycle configuration: the `<LifecycleConfiguration>` document of
 * PutBucketLifecycleConfiguration, checked as S3 does (recorded in test_s3 TestS3BucketLifecycle):
 * 1–1000 rules, each with a Status of Enabled or Disabled, a Filter (or the older rule-level
 * Prefix), at most one condition in a Filter outside its `And`, no tag key twice, at least one
 * action, an Expiration of exactly one of Days, Date (at midnight GMT) or ExpiredObjectDeleteMarker,
 * a NoncurrentVersionExpiration with its days. Rules are stored as read and written back in S3's
 * element order. They are not applied: objects do not expire here (yet).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html
 */
import { fail, ok, type Problem, type Result } from "../errors";
import { malformedXml } from "./errors";
import {
  invalidTransitionMinimumSize,
  lifecycleDateNotMidnight,
  lifecycleDaysNotPositive,
  lifecycleDuplicateId,
  lifecycleDuplicateTagKeys,
  lifecycleIdTooLong,
  lifecycleNoAction,
} from "./settings-errors";
import { listOf, nodeOf, rootOf, textOf, type XmlNode } from "./xml-values";

export const TRANSITION_MINIMUM_SIZES = ["all_storage_classes_128K", "varies_by_storage_class"];
export const DEFAULT_TRANSITION_MINIMUM_SIZE = "all_storage_classes_128K";
export const MAX_LIFECYCLE_RULES = 1000;

/** A stored rule: plain XML values in S3's element order, so GetBucketLifecycleConfiguration writes it back. */
export type LifecycleRule = Record<string, unknown>;

export interface LifecycleConfiguration {
  rules: LifecycleRule[];
  transitionMinimumSize: string;
}

const STORAGE_CLASSES = ["GLACIER", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "DEEP_ARCHIVE", "GLACIER_IR"];
const FILTER_CONDITIONS = ["Prefix", "Tag", "And", "ObjectSizeGreaterThan", "ObjectSizeLessThan"];
const ACTIONS = [
  "Expiration",
  "Transition",
  "NoncurrentVersionExpiration",
  "NoncurrentVersionTransition",
  "AbortIncompleteMultipartUpload",
];
const RULE_ORDER = [
  "Expiration",
  "ID",
  "Filter",
  "Prefix",
  "Status",
  "Transition",
  "NoncurrentVersionTransition",
  "NoncurrentVersionExpiration",
  "AbortIncompleteMultipartUpload",
];

const isCount = (text: string | undefined): boolean => text !== undefined && /^\d+$/.test(text);

/** S3 lets a rule go without an ID and gives it one. */
const generatedId = (): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(24)), (b) => "abcdefghijklmnopqrstuvwxyz234567"[b % 32]).join("");

function tagOf(value: unknown): { Key: string; Value: string } | undefined {
  const node = nodeOf(value);
  const key = textOf(node?.Key);
  const tagValue = textOf(node?.Value);
  return key === undefined || tagValue === undefined ? undefined : { Key: key, Value: tagValue };
}

function readFilter(value: unknown): Result<XmlNode> {
  const filter = nodeOf(value);
  if (!filter) return fail(malformedXml());
  const present = Object.keys(filter).filter((k) => FILTER_CONDITIONS.includes(k));
  if (present.length !== Object.keys(filter).length || present.length > 1) return fail(malformedXml());
  if (Array.isArray(filter.Tag) || Array.isArray(filter.Prefix)) return fail(malformedXml());
  if (filter.Tag !== undefined && !tagOf(filter.Tag)) return fail(malformedXml());
  for (const size of ["ObjectSizeGreaterThan", "ObjectSizeLessThan"])
    if (filter[size] !== undefined && !isCount(textOf(filter[size]))) return fail(malformedXml());
  if (filter.And === undefined) return ok(filter);
  const and = nodeOf(filter.And);
  if (!and || Object.keys(and).some((k) => !["Prefix", "Tag", "ObjectSizeGreaterThan", "ObjectSizeLessThan"].includes(k)))
    return fail(malformedXml());
  const tags = listOf(and.Tag).map(tagOf);
  if (tags.some((t) => t === undefined)) return fail(malformedXml());
  const keys = tags.map((t) => t!.Key);
  if (new Set(keys).size !== keys.length) return fail(lifecycleDuplicateTagKeys());
  return ok({ And: { ...and, ...(tags.length ? { Tag: tags } : {}) } });
}

function expirationProblem(value: unknown): Problem {
  const expiration = nodeOf(value);
  if (!expiration) return malformedXml();
  const given = ["Days", "Date", "ExpiredObjectDeleteMarker"].filter((k) => expiration[k] !== undefined);
  if (given.length !== 1) return malformedXml();
  const days = textOf(expiration.Days);
  if (expiration.Days !== undefined && (!isCount(days) || Number(days) < 1)) return lifecycleDaysNotPositive("Expiration");
  const date = textOf(expiration.Date);
  if (expiration.Date !== undefined) {
    const at = date === undefined ? NaN : Date.parse(date);
    if (!Number.isFinite(at)) return malformedXml();
    if (at % 86_400_000 !== 0) return lifecycleDateNotMidnight(date!);
  }
  const marker = textOf(expiration.ExpiredObjectDeleteMarker);
  if (expiration.ExpiredObjectDeleteMarker !== undefined && marker !== "true" && marker !== "false") return malformedXml();
  return undefined;
}

function actionProblem(rule: XmlNode): Problem {
  if (!ACTIONS.some((a) => rule[a] !== undefined)) return lifecycleNoAction();
  if (rule.Expiration !== undefined) {
    const problem = expirationProblem(rule.Expiration);
    if (problem) return problem;
  }
  if (rule.NoncurrentVersionExpiration !== undefined) {
    const node = nodeOf(rule.NoncurrentVersionExpiration);
    if (!node || !isCount(textOf(node.NoncurrentDays))) return malformedXml();
  }
  for (const name of ["Transition", "NoncurrentVersionTransition"]) {
    for (const item of listOf(rule[name])) {
      const node = nodeOf(item);
      if (!node || !STORAGE_CLASSES.includes(textOf(node.StorageClass) ?? "")) return malformedXml();
    }
  }
  if (rule.AbortIncompleteMultipartUpload !== undefined) {
    const node = nodeOf(rule.AbortIncompleteMultipartUpload);
    if (!node || !isCount(textOf(node.DaysAfterInitiation))) return malformedXml();
  }
  return undefined;
}

function readRule(item: unknown): Result<LifecycleRule> {
  const rule = nodeOf(item);
  if (!rule) return fail(malformedXml());
  const status = textOf(rule.Status);
  if (status !== "Enabled" && status !== "Disabled") return fail(malformedXml());
  if (rule.ID !== undefined && textOf(rule.ID) === undefined) return fail(malformedXml());
  if ((textOf(rule.ID) ?? "").length > 255) return fail(lifecycleIdTooLong());
  if ((rule.Filter === undefined) === (rule.Prefix === undefined)) return fail(malformedXml());
  const stored: LifecycleRule = { ...rule, ID: textOf(rule.ID) || generatedId() };
  if (rule.Filter !== undefined) {
    const filter = readFilter(rule.Filter);
    if (!filter.ok) return filter;
    stored.Filter = filter.value;
  } else if (textOf(rule.Prefix) === undefined) return fail(malformedXml());
  const problem = actionProblem(rule);
  if (problem) return fail(problem);
  if (rule.Expiration !== undefined) {
    const expiration = nodeOf(rule.Expiration)!;
    const date = textOf(expiration.Date);
    stored.Expiration = date === undefined ? expiration : { Date: new Date(Date.parse(date)).toISOString() };
  }
  const ordered: LifecycleRule = {};
  for (const name of RULE_ORDER) if (stored[name] !== undefined) ordered[name] = stored[name];
  return ok(ordered);
}

/** The configuration of a PutBucketLifecycleConfiguration request (its document and the minimum-size header). */
export function parseLifecycleDocument(
  document: Record<string, unknown> | undefined,
  minimumSizeHeader: string | null,
): Result<LifecycleConfiguration> {
  const transitionMinimumSize = minimumSizeHeader ?? DEFAULT_TRANSITION_MINIMUM_SIZE;
  if (!TRANSITION_MINIMUM_SIZES.includes(transitionMinimumSize)) return fail(invalidTransitionMinimumSize(transitionMinimumSize));
  const config = rootOf(document, "LifecycleConfiguration");
  if (!config) return fail(malformedXml());
  const items = listOf(config.Rule);
  if (!items.length || items.length > MAX_LIFECYCLE_RULES) return fail(malformedXml());
  const rules: LifecycleRule[] = [];
  const ids = new Set<string>();
  for (const item of items) {
    const rule = readRule(item);
    if (!rule.ok) return rule;
    const id = rule.value.ID as string;
    if (ids.has(id)) return fail(lifecycleDuplicateId(id));
    ids.add(id);
    rules.push(rule.value);
  }
  return ok({ rules, transitionMinimumSize });
}
