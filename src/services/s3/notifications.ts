/**
 * Event notifications: PutBucketNotificationConfiguration and GetBucketNotificationConfiguration, and
 * what object operations tell the bucket object about the request behind an event (`requestEventOf`).
 * A configuration is checked by its document first, then (unless `x-amz-skip-destination-validation`)
 * by asking each queue and topic whether it exists; then one bucket call stores it and, in the same
 * transaction, the `s3:TestEvent` messages its destinations get.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import type { RequestEvent } from "../../domain/s3/contract";
import {
  destinationProblem,
  destinationsToCheck,
  notificationConfigurationDocument,
  parseNotificationConfiguration,
  type Destination,
  type DestinationAnswer,
} from "../../domain/s3/notification-config";
import { parseQueueEndpoint, parseTopicArn } from "../../domain/sns/names";
import { queueObject, topicObject } from "../../durable/names";
import { accessOf, bucketStub } from "./context";
import type { S3Request, S3Response, XmlElement } from "./wire";

/** Where the request came from: the address the edge saw, else the first proxy hop, else loopback. */
function sourceIpOf(headers: Headers): string {
  const connecting = headers.get("cf-connecting-ip");
  if (connecting) return connecting;
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || "127.0.0.1";
}

/** What an event needs to know of the request that caused it (the bucket object knows the rest). */
export function requestEventOf(request: S3Request): RequestEvent {
  const { caller } = request;
  const traceHeader = request.headers.get("x-amzn-trace-id") ?? undefined;
  return {
    requestId: request.requestId,
    hostId: request.hostId ?? "",
    requester: caller.anonymous ? "Anonymous" : `AWS:${caller.accessKeyId}`,
    sourceIp: sourceIpOf(request.headers),
    origin: request.url.origin,
    ...(traceHeader ? { traceHeader } : {}),
  };
}

/** Asks the destination's queue or topic whether it exists. */
async function answerOf(env: Env, destination: Destination): Promise<DestinationAnswer> {
  if (destination.kind === "queue") {
    const queue = parseQueueEndpoint(destination.arn);
    if (!queue) return "missing";
    return (await queueObject(env, queue).describe()).ok ? "exists" : "missing";
  }
  if (destination.kind === "topic") {
    const topic = parseTopicArn("TopicArn", destination.arn);
    if (!topic.ok) return "missing";
    return (await topicObject(env, topic.value).describe()).ok ? "exists" : "missing";
  }
  // No Lambda functions here: a function is never there to be invoked.
  return "missing";
}

export async function putBucketNotificationConfiguration(request: S3Request): Promise<Result<S3Response>> {
  const stub = bucketStub(request);
  const access = accessOf(request);
  const bucket = await stub.describe(access);
  if (!bucket.ok) return bucket;
  const xml = await request.body.xml();
  if (!xml.ok) return xml;
  const parsed = parseNotificationConfiguration(xml.value ?? {}, { bucketRegion: bucket.value.region });
  if (!parsed.ok) return fail(parsed.error);
  const config = parsed.value;
  const skip = request.headers.get("x-amz-skip-destination-validation")?.toLowerCase() === "true";
  if (!skip) {
    const destinations = destinationsToCheck(config);
    const answers = await Promise.all(destinations.map((d) => answerOf(request.env, d)));
    const problem = destinationProblem(config, new Map(destinations.map((d, i) => [d.arn, answers[i]!])));
    if (problem) return fail(problem);
  }
  const stored = await stub.putNotificationConfiguration(access, config, requestEventOf(request), !skip);
  if (!stored.ok) return stored;
  return ok({});
}

export async function getBucketNotificationConfiguration(request: S3Request): Promise<Result<S3Response>> {
  const config = await bucketStub(request).getNotificationConfiguration(accessOf(request));
  if (!config.ok) return config;
  return ok({ xml: notificationConfigurationDocument(config.value) as XmlElement });
}
