/**
 * Pieces of the S3 event notification end-to-end tests: S3, SQS and SNS clients of one fresh account
 * (so a bucket's queues and topics are the test's own), a bucket wired to a queue or a topic, and the
 * event record AWS sends for an object change, built from what the request's response said (the
 * request ids) and what the object is (ETag, size), field by field in AWS's order
 * (../shared/aws-recordings/s3/test_s3_notifications_sqs.snapshot.json, `test_xray_header` keeps it).
 */
import * as sqsSdk from "@aws-sdk/client-sqs";
import { expect } from "vitest";
import { uniqueName } from "./clients";
import { createQueue, createTopic, drain, isolatedPair, type SqsMessage } from "./sns-delivery-helpers";
import { bucketName, s3, s3Client } from "./s3-clients";

export { createQueue, createTopic, drain };

export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** S3, SQS and SNS clients of one fresh account, and a bucket of it. */
export async function isolatedTrio() {
  const { sns, sqs, account, region } = isolatedPair();
  const client = s3Client({ accessKeyId: account, region });
  const bucket = bucketName("notify");
  await client.send(new s3.CreateBucketCommand({ Bucket: bucket }));
  return { s3: client, sqs, sns, account, region, bucket };
}

export type Trio = Awaited<ReturnType<typeof isolatedTrio>>;

/** Puts a configuration sending `events` of the bucket to the queue (with an optional key filter). */
export async function notifyQueue(
  t: Trio,
  queueArn: string,
  options: { id?: string; events?: string[]; prefix?: string; suffix?: string } = {},
) {
  const rules = [
    ...(options.prefix !== undefined ? [{ Name: "prefix" as const, Value: options.prefix }] : []),
    ...(options.suffix !== undefined ? [{ Name: "suffix" as const, Value: options.suffix }] : []),
  ];
  return t.s3.send(
    new s3.PutBucketNotificationConfigurationCommand({
      Bucket: t.bucket,
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Id: options.id ?? "config-1",
            QueueArn: queueArn,
            Events: (options.events ?? ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]) as s3.Event[],
            ...(rules.length ? { Filter: { Key: { FilterRules: rules } } } : {}),
          },
        ],
      },
    }),
  );
}

/** Receives (and deletes) exactly `count` messages, then listens `settleMs` more for any extra one. */
export async function takeAll(sqs: sqsSdk.SQSClient, url: string, count: number, settleMs = 300): Promise<SqsMessage[]> {
  const got = await drain(sqs, url, count, { settleMs });
  if (got.length !== count)
    throw new Error(`expected ${count} messages, got ${got.length}: ${got.map((m) => m.Body).join(" | ")}`);
  return got;
}

/** The one record of an event message's body. */
export function recordOf(body: string): Record<string, unknown> {
  const parsed = JSON.parse(body) as { Records: Record<string, unknown>[] };
  expect(Object.keys(parsed)).toEqual(["Records"]);
  expect(parsed.Records).toHaveLength(1);
  return parsed.Records[0]!;
}

export interface ExpectedEvent {
  eventName: string;
  region: string;
  bucket: string;
  configurationId: string;
  /** The response of the request that caused it. */
  metadata: { requestId?: string; extendedRequestId?: string };
  /** As the event carries it (URL-encoded), with the fields the event has. */
  object: { key: string; size?: number; eTag?: string };
}

/**
 * Checks a record field by field against AWS's (order included); returns its sequencer and time.
 * Owner and requester principal ids are local values: present and non-empty.
 */
export function expectEvent(record: Record<string, unknown>, e: ExpectedEvent): { sequencer: string; eventTime: string } {
  expect(Object.keys(record)).toEqual([
    "eventVersion",
    "eventSource",
    "awsRegion",
    "eventTime",
    "eventName",
    "userIdentity",
    "requestParameters",
    "responseElements",
    "s3",
  ]);
  const s3Part = record.s3 as Record<string, Record<string, unknown>>;
  const object = s3Part.object as Record<string, unknown>;
  const owner = (s3Part.bucket!.ownerIdentity as { principalId: string }).principalId;
  const requester = (record.userIdentity as { principalId: string }).principalId;
  expect(owner).toMatch(/^A[0-9A-Z]{13}$/);
  expect(requester.length).toBeGreaterThan(0);
  expect(record).toEqual({
    eventVersion: "2.1",
    eventSource: "aws:s3",
    awsRegion: e.region,
    eventTime: expect.stringMatching(ISO_MS),
    eventName: e.eventName,
    userIdentity: { principalId: requester },
    requestParameters: { sourceIPAddress: "127.0.0.1" },
    responseElements: { "x-amz-request-id": e.metadata.requestId, "x-amz-id-2": e.metadata.extendedRequestId },
    s3: {
      s3SchemaVersion: "1.0",
      configurationId: e.configurationId,
      bucket: { name: e.bucket, ownerIdentity: { principalId: owner }, arn: `arn:aws:s3:::${e.bucket}` },
      object: { ...e.object, sequencer: expect.stringMatching(/^[0-9A-F]{16,}$/) },
    },
  });
  expect(Object.keys(s3Part)).toEqual(["s3SchemaVersion", "configurationId", "bucket", "object"]);
  expect(Object.keys(s3Part.bucket!)).toEqual(["name", "ownerIdentity", "arn"]);
  expect(Object.keys(object)).toEqual(["key", ...("size" in e.object ? ["size", "eTag"] : []), "sequencer"]);
  const eventTime = record.eventTime as string;
  expect(Math.abs(Date.parse(eventTime) - Date.now())).toBeLessThan(60_000);
  return { sequencer: object.sequencer as string, eventTime };
}

/** The s3:TestEvent a destination gets when a configuration naming it is set. */
export function expectTestEvent(body: string, bucket: string, metadata: { requestId?: string; extendedRequestId?: string }) {
  const parsed = JSON.parse(body) as Record<string, unknown>;
  expect(Object.keys(parsed)).toEqual(["Service", "Event", "Time", "Bucket", "RequestId", "HostId"]);
  expect(parsed).toEqual({
    Service: "Amazon S3",
    Event: "s3:TestEvent",
    Time: expect.stringMatching(ISO_MS),
    Bucket: bucket,
    RequestId: metadata.requestId,
    HostId: metadata.extendedRequestId,
  });
}

export const newQueueName = () => uniqueName("s3-events");
