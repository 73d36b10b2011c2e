/**
 * S3 event notification types and which configurations an event goes to: the event names AWS accepts
 * in a NotificationConfiguration (wildcards `s3:ObjectCreated:*` cover their family), the key as
 * events carry it (URL-encoded), and the key name filter (one prefix and one suffix rule at most, both
 * must match the encoded key).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html
 */

/** Every event name a configuration may list (the S3 API model's `Event` enum). */
export const NOTIFICATION_EVENTS: readonly string[] = [
  "s3:ReducedRedundancyLostObject",
  "s3:ObjectCreated:*",
  "s3:ObjectCreated:Put",
  "s3:ObjectCreated:Post",
  "s3:ObjectCreated:Copy",
  "s3:ObjectCreated:CompleteMultipartUpload",
  "s3:ObjectRemoved:*",
  "s3:ObjectRemoved:Delete",
  "s3:ObjectRemoved:DeleteMarkerCreated",
  "s3:ObjectRestore:*",
  "s3:ObjectRestore:Post",
  "s3:ObjectRestore:Completed",
  "s3:ObjectRestore:Delete",
  "s3:Replication:*",
  "s3:Replication:OperationFailedReplication",
  "s3:Replication:OperationNotTracked",
  "s3:Replication:OperationMissedThreshold",
  "s3:Replication:OperationReplicatedAfterThreshold",
  "s3:LifecycleTransition",
  "s3:IntelligentTiering",
  "s3:ObjectAcl:Put",
  "s3:LifecycleExpiration:*",
  "s3:LifecycleExpiration:Delete",
  "s3:LifecycleExpiration:DeleteMarkerCreated",
  "s3:ObjectTagging:*",
  "s3:ObjectTagging:Put",
  "s3:ObjectTagging:Delete",
  "s3:ObjectRetention:Put",
  "s3:ObjectAnnotation:*",
  "s3:ObjectAnnotation:Put",
  "s3:ObjectAnnotation:Delete",
];

const SUPPORTED = new Set(NOTIFICATION_EVENTS);

export const isSupportedEvent = (name: string): boolean => SUPPORTED.has(name);

/**
 * What an operation reports: a concrete event name (never a wildcard), e.g. `s3:ObjectCreated:Put`.
 * The operations of this service map to these; the others (lifecycle, replication, restore
 * completion, tiering) happen only once those features exist.
 */
export type S3EventName =
  | "s3:ObjectCreated:Put"
  | "s3:ObjectCreated:Post"
  | "s3:ObjectCreated:Copy"
  | "s3:ObjectCreated:CompleteMultipartUpload"
  | "s3:ObjectRemoved:Delete"
  | "s3:ObjectRemoved:DeleteMarkerCreated"
  | "s3:ObjectTagging:Put"
  | "s3:ObjectTagging:Delete"
  | "s3:ObjectAcl:Put"
  | "s3:ObjectRestore:Post"
  | "s3:ObjectRestore:Completed"
  | "s3:ObjectRestore:Delete"
  | "s3:ObjectRetention:Put"
  | "s3:LifecycleExpiration:Delete"
  | "s3:LifecycleExpiration:DeleteMarkerCreated"
  | "s3:LifecycleTransition"
  | "s3:IntelligentTiering"
  | "s3:ReducedRedundancyLostObject";

/** Whether a configured event name (possibly a `family:*` wildcard) covers another name or wildcard. */
export function eventCovers(configured: string, event: string): boolean {
  if (configured === event) return true;
  return configured.endsWith(":*") && event.startsWith(configured.slice(0, -1));
}

/** Two event lists share an event type (one name, or a wildcard and a name of its family). */
export const eventsOverlap = (a: readonly string[], b: readonly string[]): boolean =>
  a.some((x) => b.some((y) => eventCovers(x, y) || eventCovers(y, x)));

/** A configuration's key filter, as AWS keeps it: at most one prefix and one suffix. */
export interface KeyFilter {
  prefix?: string;
  suffix?: string;
}

/**
 * Keys as event messages carry them: form-URL-encoded (`red flower.jpg` is `red+flower.jpg`, `a@b` is
 * `a%40b`, AWS-recorded) with `/` kept; unreserved `A-Z a-z 0-9 - _ . *` stay, every other byte of the
 * UTF-8 is `%XX`.
 */
export function eventKey(key: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(key)) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.*/]/.test(c)) out += c;
    else if (c === " ") out += "+";
    else out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * A key matches when it starts with the prefix and ends with the suffix (an absent rule matches all).
 * Filters compare with the key as events carry it, encoded: the user guide asks for URL-encoded filter
 * values, and a prefix `schemaVersion=1/` matches nothing on AWS while `schemaVersion%3D1/` does.
 */
export const keyMatches = (filter: KeyFilter, key: string): boolean => encodedKeyMatches(filter, eventKey(key));

function encodedKeyMatches(filter: KeyFilter, encoded: string): boolean {
  if (filter.prefix !== undefined && !encoded.startsWith(filter.prefix)) return false;
  if (filter.suffix !== undefined && !encoded.endsWith(filter.suffix)) return false;
  return true;
}

/** What matching needs of a configuration (queue, topic and Lambda configurations all have it). */
export interface EventSelector {
  events: readonly string[];
  filter: KeyFilter;
}

/** Whether an event about `key` goes to this configuration. */
export const selects = (selector: EventSelector, event: S3EventName, key: string): boolean =>
  takes(selector, event, eventKey(key));

const takes = (selector: EventSelector, event: S3EventName, encodedKey: string): boolean =>
  selector.events.some((e) => eventCovers(e, event)) && encodedKeyMatches(selector.filter, encodedKey);

/**
 * The configurations an event about `key` goes to, in their order. AWS's validation makes this at most
 * one per event type and key (overlapping configurations are refused), so an event is sent once to each.
 */
export const matchingConfigurations = <T extends EventSelector>(
  configurations: readonly T[],
  event: S3EventName,
  key: string,
): T[] => configurations.filter((c) => selects(c, event, key));

/**
 * Two configurations would both take some event about some key: they share an event type and their
 * filters can both match one key (prefixes where one starts the other, suffixes where one ends the other).
 */
export function configurationsOverlap(a: EventSelector, b: EventSelector): boolean {
  if (!eventsOverlap(a.events, b.events)) return false;
  const [pa, pb] = [a.filter.prefix ?? "", b.filter.prefix ?? ""];
  const [sa, sb] = [a.filter.suffix ?? "", b.filter.suffix ?? ""];
  return (pa.startsWith(pb) || pb.startsWith(pa)) && (sa.endsWith(sb) || sb.endsWith(sa));
}
