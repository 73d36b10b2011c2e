/**
 * The messages S3 sends to notification destinations, as AWS writes them: one event record per
 * message (`{"Records":[…]}`, fields in AWS's order, the key URL-encoded), and the `s3:TestEvent`
 * message sent when a configuration is set. An SQS queue gets the JSON as its body; an SNS topic gets it
 * as the Message, with Subject "Amazon S3 Notification" (AWS-recorded `test_s3_notifications_sqs|sns`).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */
import type { NotificationConfiguration } from "./notification-config";
import { eventKey, matchingConfigurations, type S3EventName } from "./notification-events";

/** The Subject of every notification S3 publishes to an SNS topic. */
export const SNS_SUBJECT = "Amazon S3 Notification";

/** The ETag of a delete marker, as DeleteMarkerCreated events carry it (the MD5 of nothing). */
const DELETE_MARKER_ETAG = "d41d8cd98f00b204e9800998ecf8427e";

/** What an operation knows about the event it caused; one record is made of it per configuration. */
export interface EventDetails {
  eventName: S3EventName;
  /** When S3 finished processing the request (ms since the epoch). */
  eventTime: number;
  /** The bucket's region (not the caller's). */
  region: string;
  partition?: string;
  bucket: string;
  /** The bucket owner's canonical principal id (`s3.bucket.ownerIdentity.principalId`). */
  bucketOwner: string;
  /** Who made the request (`userIdentity.principalId`). */
  requester: string;
  sourceIp: string;
  /** The request's `x-amz-request-id` and `x-amz-id-2`, as its response carried them. */
  requestId: string;
  hostId: string;
  object: {
    /** The key as stored (this module encodes it). */
    key: string;
    size?: number;
    /** With or without quotes. */
    eTag?: string;
    /** Only on versioning-enabled buckets (a PUT to a suspended bucket, the `null` version, has none). */
    versionId?: string;
    /** From `sequencer()`: orders the events of one key. */
    sequencer?: string;
  };
  /** ObjectRestore:Completed: when the restored copy expires, and the storage class it came from. */
  restore?: { expiryTime: number; storageClass: string };
}

/** One record of an event message. */
export interface EventRecord {
  eventVersion: string;
  eventSource: "aws:s3";
  awsRegion: string;
  eventTime: string;
  eventName: string;
  userIdentity: { principalId: string };
  requestParameters: { sourceIPAddress: string };
  responseElements: { "x-amz-request-id": string; "x-amz-id-2": string };
  s3: {
    s3SchemaVersion: "1.0";
    configurationId: string;
    bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    object: { key: string; size?: number; eTag?: string; versionId?: string; sequencer?: string };
  };
  glacierEventData?: { restoreEventData: { lifecycleRestorationExpiryTime: string; lifecycleRestoreStorageClass: string } };
}

/**
 * 2.1 for most events; 2.3 for tagging, ACL, lifecycle, tiering and restore-delete events; 2.2 for
 * replication (the user guide; 2.1 and 2.3 are AWS-recorded).
 */
export function eventVersion(name: S3EventName | string): string {
  if (name.startsWith("s3:Replication:")) return "2.2";
  if (/^s3:(ObjectTagging|ObjectAcl|LifecycleExpiration|LifecycleTransition|IntelligentTiering)\b/.test(name)) return "2.3";
  return name === "s3:ObjectRestore:Delete" ? "2.3" : "2.1";
}

/** The event families whose object fields are AWS-recorded. */
const KNOWN_SHAPES = new Set(["ObjectCreated", "ObjectRemoved", "ObjectRestore", "ObjectTagging", "ObjectAcl"]);

/**
 * Which object fields an event carries (AWS-recorded): created and restored objects their size, ETag
 * and sequencer; removals the sequencer (a delete marker also its ETag); tag and ACL changes the ETag
 * only. Events not recorded carry what they are given.
 */
function objectOf(details: EventDetails): EventRecord["s3"]["object"] {
  const { eventName: name, object: o } = details;
  const eTag = o.eTag?.replace(/"/g, "");
  const family = name.split(":")[1];
  const fields: EventRecord["s3"]["object"] = { key: eventKey(o.key) };
  if (family === "ObjectCreated" || family === "ObjectRestore" || (!KNOWN_SHAPES.has(family!) && o.size !== undefined)) {
    fields.size = o.size ?? 0;
  }
  if (name === "s3:ObjectRemoved:DeleteMarkerCreated") fields.eTag = eTag ?? DELETE_MARKER_ETAG;
  else if (name !== "s3:ObjectRemoved:Delete" && eTag !== undefined) fields.eTag = eTag;
  if (o.versionId !== undefined) fields.versionId = o.versionId;
  if (family !== "ObjectTagging" && family !== "ObjectAcl" && o.sequencer !== undefined) fields.sequencer = o.sequencer;
  return fields;
}

/** The record of an event for one configuration. */
export function eventRecord(details: EventDetails, configurationId: string): EventRecord {
  const partition = details.partition ?? "aws";
  const completedRestore = details.eventName === "s3:ObjectRestore:Completed";
  const record: EventRecord = {
    eventVersion: eventVersion(details.eventName),
    eventSource: "aws:s3",
    awsRegion: details.region,
    eventTime: new Date(details.eventTime).toISOString(),
    eventName: details.eventName.slice("s3:".length),
    // A restore completes inside S3, on behalf of the bucket owner.
    userIdentity: { principalId: completedRestore ? `AmazonCustomer:${details.bucketOwner}` : details.requester },
    requestParameters: { sourceIPAddress: details.sourceIp },
    responseElements: { "x-amz-request-id": details.requestId, "x-amz-id-2": details.hostId },
    s3: {
      s3SchemaVersion: "1.0",
      configurationId,
      bucket: {
        name: details.bucket,
        ownerIdentity: { principalId: details.bucketOwner },
        arn: `arn:${partition}:s3:::${details.bucket}`,
      },
      object: objectOf(details),
    },
  };
  if (completedRestore && details.restore) {
    record.glacierEventData = {
      restoreEventData: {
        lifecycleRestorationExpiryTime: new Date(details.restore.expiryTime).toISOString(),
        lifecycleRestoreStorageClass: details.restore.storageClass,
      },
    };
  }
  return record;
}

/** The message body for one configuration: `{"Records":[record]}`. */
export const eventMessage = (details: EventDetails, configurationId: string): string =>
  JSON.stringify({ Records: [eventRecord(details, configurationId)] });

/**
 * A bucket's event sequence: strictly increasing, and ahead of the clock in µs, so that a later event
 * about a key always has a greater sequencer, even across restarts (the last value is stored).
 */
export const nextSequence = (previous: number, now: number): number => Math.max(previous + 1, now * 1000);

/** The `sequencer` of an event: its sequence as 18 upper-case hex digits (compare as strings). */
export const sequencer = (sequence: number): string => sequence.toString(16).toUpperCase().padStart(18, "0");

/** A message owed to a queue or a topic (what the bucket's outbox stores). */
export interface OutgoingMessage {
  destination: { kind: "queue" | "topic"; arn: string };
  body: string;
}

/**
 * The messages one event makes: one per queue or topic configuration that takes it, each with its own
 * configurationId. Lambda configurations are kept and returned by Get but nothing here invokes a
 * function; EventBridge is not delivered either.
 */
export function messagesFor(config: NotificationConfiguration, details: EventDetails): OutgoingMessage[] {
  const out: OutgoingMessage[] = [];
  for (const c of matchingConfigurations(config.destinations, details.eventName, details.object.key)) {
    if (c.kind === "lambda") continue;
    out.push({ destination: { kind: c.kind, arn: c.arn }, body: eventMessage(details, c.id) });
  }
  return out;
}

/** The message a destination gets when a configuration naming it is set (before any event). */
export interface TestEventDetails {
  bucket: string;
  requestId: string;
  hostId: string;
  time: number;
}

/**
 * The test events a successful PutBucketNotificationConfiguration sends (after the destinations were
 * validated; none with SkipDestinationValidation): one to each queue and topic it names.
 */
export function testEventsFor(config: NotificationConfiguration, t: TestEventDetails): OutgoingMessage[] {
  const seen = new Set<string>();
  const out: OutgoingMessage[] = [];
  for (const c of config.destinations) {
    if (c.kind === "lambda" || seen.has(c.arn)) continue;
    seen.add(c.arn);
    out.push({ destination: { kind: c.kind, arn: c.arn }, body: testEventMessage(t) });
  }
  return out;
}

export const testEventMessage = (t: TestEventDetails): string =>
  JSON.stringify({
    Service: "Amazon S3",
    Event: "s3:TestEvent",
    Time: new Date(t.time).toISOString(),
    Bucket: t.bucket,
    RequestId: t.requestId,
    HostId: t.hostId,
  });

/**
 * The principal id events show for an account (`s3.bucket.ownerIdentity.principalId`, and the requester
 * when the account itself asks): AWS's are short upper-case ids such as `A3NL1KOZZKExample`; this one is
 * stable per account, `A` and 13 characters drawn from a hash of it.
 */
export function accountPrincipalId(account: string): string {
  let h = 0x811c9dc5;
  let out = "A";
  for (let round = 0; out.length < 14; round++) {
    for (const c of `${account}/${round}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(36).toUpperCase().padStart(7, "0").slice(-5);
  }
  return out.slice(0, 14);
}
