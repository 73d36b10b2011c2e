/**
 * SNS names and ARNs: topics (`arn:aws:sns:<region>:<account>:<name>`), subscriptions (the topic ARN
 * plus `:<id>`), platform applications (`…:app/<platform>/<name>`) and endpoints
 * (`…:endpoint/<platform>/<application>/<id>`). ARN errors are worded as AWS words them.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
 */
import { fail, ok, type Problem, type Result } from "../errors";
import { invalidParameter } from "./errors";

export interface TopicRef {
  account: string;
  region: string;
  name: string;
}

export interface SubscriptionRef extends TopicRef {
  id: string;
}

/** 1–256 of `[A-Za-z0-9_-]`; FIFO topics (and only they) end in `.fifo`, which counts in the 256. */
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_TOPIC_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;

export const isFifoTopicName = (name: string): boolean => name.endsWith(".fifo");

export function validateTopicName(name: string, fifo: boolean): Problem {
  return (fifo ? FIFO_TOPIC_NAME : TOPIC_NAME).test(name) ? undefined : invalidParameter("Topic Name");
}

export const topicArn = (t: TopicRef): string => `arn:aws:sns:${t.region}:${t.account}:${t.name}`;

export const subscriptionArn = (s: SubscriptionRef): string => `${topicArn(s)}:${s.id}`;

/**
 * Splits an ARN the way SNS checks it first: at least six `:`-separated elements, else
 * "Invalid parameter: <Parameter> Reason: An ARN must have at least 6 elements, not N".
 */
export function arnParts(parameter: string, arn: string): Result<string[]> {
  const parts = arn.split(":");
  if (parts.length < 6)
    return fail(invalidParameter(`${parameter} Reason: An ARN must have at least 6 elements, not ${parts.length}`));
  return ok(parts);
}

/** A topic ARN of this deployment: `arn:aws:sns:<region>:<12-digit account>:<topic name>`. */
export function parseTopicArn(parameter: string, arn: string | undefined): Result<TopicRef> {
  const parts = arnParts(parameter, arn ?? "");
  if (!parts.ok) return parts;
  const [, partition, service, region, account, ...rest] = parts.value;
  const name = rest.join(":");
  if (
    !partition?.startsWith("aws") ||
    service !== "sns" ||
    !region ||
    !/^\d{12}$/.test(account ?? "") ||
    !TOPIC_NAME.test(name.replace(/\.fifo$/, ""))
  ) {
    return fail(invalidParameter(parameter));
  }
  return ok({ account: account!, region, name });
}

/** A subscription ARN names its topic, so requests about it go straight to that topic's object. */
export function parseSubscriptionArn(parameter: string, arn: string | undefined): Result<SubscriptionRef> {
  const parts = arnParts(parameter, arn ?? "");
  if (!parts.ok) return parts;
  const [, , service, region, account, name, id] = parts.value;
  if (parts.value.length !== 7 || service !== "sns" || !/^\d{12}$/.test(account!) || !/^[A-Za-z0-9-]{1,64}$/.test(id!)) {
    return fail(invalidParameter(parameter === "SubscriptionArn" ? "SubscriptionId" : parameter));
  }
  return ok({ region: region!, account: account!, name: name!, id: id! });
}

/** An SQS queue ARN as a subscription endpoint. */
export function parseQueueEndpoint(endpoint: string): { region: string; account: string; name: string } | undefined {
  const m = /^arn:aws[a-z-]*:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]{1,80})$/.exec(endpoint);
  return m ? { region: m[1]!, account: m[2]!, name: m[3]! } : undefined;
}

/** A Firehose delivery stream ARN as a subscription endpoint: `arn:aws:firehose:<region>:<account>:deliverystream/<name>`. */
export function parseFirehoseEndpoint(endpoint: string): { region: string; account: string; name: string } | undefined {
  const m = /^arn:aws[a-z-]*:firehose:([a-z0-9-]+):(\d{12}):deliverystream\/([A-Za-z0-9_.-]{1,64})$/.exec(endpoint);
  return m ? { region: m[1]!, account: m[2]!, name: m[3]! } : undefined;
}

// ---- mobile push ---------------------------------------------------------------------------------

export interface PlatformApplicationRef {
  account: string;
  region: string;
  platform: string;
  name: string;
}

export interface PlatformEndpointRef extends PlatformApplicationRef {
  id: string;
}

export const platformApplicationArn = (r: PlatformApplicationRef): string =>
  `arn:aws:sns:${r.region}:${r.account}:app/${r.platform}/${r.name}`;

export const platformEndpointArn = (r: PlatformEndpointRef): string =>
  `arn:aws:sns:${r.region}:${r.account}:endpoint/${r.platform}/${r.name}/${r.id}`;

/**
 * `…:<type>/<platform>/<name>[/<id>]`: SNS first counts the ARN's elements, then the slashes of its
 * resource part, then looks at the resource type.
 */
function platformResource(parameter: string, arn: string, type: "app" | "endpoint"): Result<PlatformEndpointRef> {
  const parts = arnParts(parameter, arn);
  if (!parts.ok) return parts;
  const segments = parts.value.slice(5).join(":").split("/");
  if (segments.length !== (type === "app" ? 3 : 4))
    return fail(invalidParameter(`${parameter} Reason: Wrong number of slashes in relative portion of the ARN.`));
  const [given, platform, name, id = ""] = segments as [string, string, string, string?];
  if (given !== type) return fail(invalidParameter(parameter));
  return ok({ account: parts.value[4]!, region: parts.value[3]!, platform, name, id });
}

export function parsePlatformApplicationArn(parameter: string, arn: string): Result<PlatformApplicationRef> {
  const parsed = platformResource(parameter, arn, "app");
  if (!parsed.ok) return parsed;
  const { id: _id, ...ref } = parsed.value;
  return ok(ref);
}

export const parsePlatformEndpointArn = (parameter: string, arn: string): Result<PlatformEndpointRef> =>
  platformResource(parameter, arn, "endpoint");
