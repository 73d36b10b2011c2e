/**
 * The `x-amz-expiration` header S3 sends on PutObject, HeadObject and GetObject when an enabled
 * lifecycle rule with an Expiration applies to the object (recorded in test_s3 TestS3BucketLifecycle):
 * `expiry-date="<HTTP date>", rule-id="<ID>"`. Days count from the object's creation, rounded up to
 * the next midnight UTC; a rule matches by its Filter's prefix, tags (all of them) and sizes. When
 * several rules apply, the earliest expiry is shown. Lifecycle rules are not applied here (yet):
 * this only says when S3 would expire the object. Not wired into the object handlers yet.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html
 */
import type { Tag } from "./contract";
import type { LifecycleConfiguration, LifecycleRule } from "./lifecycle";
import { listOf, nodeOf, textOf, type XmlNode } from "./xml-values";

const DAY_MS = 86_400_000;

export interface ExpiringObject {
  key: string;
  size: number;
  tags: readonly Tag[];
  /** Epoch ms. */
  lastModified: number;
}

function conditionsHold(conditions: XmlNode, object: ExpiringObject): boolean {
  const prefix = textOf(conditions.Prefix);
  if (prefix !== undefined && !object.key.startsWith(prefix)) return false;
  for (const item of listOf(conditions.Tag)) {
    const tag = nodeOf(item);
    if (!object.tags.some((t) => t.key === textOf(tag?.Key) && t.value === textOf(tag?.Value))) return false;
  }
  const greater = textOf(conditions.ObjectSizeGreaterThan);
  if (greater !== undefined && !(object.size > Number(greater))) return false;
  const less = textOf(conditions.ObjectSizeLessThan);
  return less === undefined || object.size < Number(less);
}

function applies(rule: LifecycleRule, object: ExpiringObject): boolean {
  if (rule.Status !== "Enabled") return false;
  if (rule.Filter === undefined) return object.key.startsWith(textOf(rule.Prefix) ?? "");
  const filter = nodeOf(rule.Filter) ?? {};
  const and = nodeOf(filter.And);
  return conditionsHold(and ?? filter, object);
}

function expiryOf(rule: LifecycleRule, object: ExpiringObject): number | undefined {
  const expiration = nodeOf(rule.Expiration);
  const days = textOf(expiration?.Days);
  if (days !== undefined) return Math.ceil((object.lastModified + Number(days) * DAY_MS) / DAY_MS) * DAY_MS;
  const date = textOf(expiration?.Date);
  return date === undefined ? undefined : Date.parse(date);
}

/** The `x-amz-expiration` value for the object, or undefined when no rule expires it. */
export function expirationHeader(config: LifecycleConfiguration | undefined, object: ExpiringObject): string | undefined {
  let best: { at: number; id: string } | undefined;
  for (const rule of config?.rules ?? []) {
    if (!applies(rule, object)) continue;
    const at = expiryOf(rule, object);
    if (at !== undefined && (best === undefined || at < best.at)) best = { at, id: String(rule.ID) };
  }
  return best && `expiry-date="${new Date(best.at).toUTCString()}", rule-id="${best.id}"`;
}
