/**
 * SNS names and ARNs: topics (`arn:aws:sns:<region>:<account>:<name>`), subscriptions (the topic ARN
 * plus `:<id>`), platform applications (`…:app/<platform>/<name>`) and endpoints
 * (`…:endpoint/<platform>/<application>/<id>`). ARN errors are worded as AWS words them.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
 */
import type { ErrorInfo } from "../errors";
import { invalidParameter } from "./errors";

export interface TopicRef {
  account: string;
  region: string;
  name: string;
}

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_TOPIC_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;

export const isFifoTopicName = (name: string): boolean => name.endsWith(".fifo");

/** 1–256 of `[A-Za-z0-9_-]`; FIFO topics (and only they) end in `.fifo`. */
export function validateTopicName(name: string, fifo: boolean): ErrorInfo | undefined {
  const valid = fifo ? FIFO_TOPIC_NAME.test(name) : TOPIC_NAME.test(name);
  return valid ? undefined : invalidParameter("Topic Name");
}

export const topicArn = (t: TopicRef): string => `arn:aws:sns:${t.region}:${t.account}:${t.name}`;

/**
 * Splits an ARN the way SNS checks it first: at least six `:`-separated elements, else
 * "Invalid parameter: <Parameter> Reason: An ARN must have at least 6 elements, not N".
 */
export function arnParts(parameter: string, arn: string): string[] | ErrorInfo {
  const parts = arn.split(":");
  if (parts.length < 6) return invalidParameter(`${parameter} Reason: An ARN must have at least 6 elements, not ${parts.length}`);
  return parts;
}

/** A topic ARN of this deployment: `arn:aws:sns:<region>:<12-digit account>:<topic name>`. */
export function parseTopicArn(parameter: string, arn: string | undefined): TopicRef | ErrorInfo {
  const parts = arnParts(parameter, arn ?? "");
  if (!Array.isArray(parts)) return parts;
  const [, partition, service, region, account, ...rest] = parts;
  const name = rest.join(":");
  if (
    !partition?.startsWith("aws") ||
    service !== "sns" ||
    !region ||
    !/^\d{12}$/.test(account ?? "") ||
    !TOPIC_NAME.test(name.replace(/\.fifo$/, ""))
  ) {
    return invalidParameter(parameter);
  }
  return { account: account!, region, name };
}

export interface SubscriptionRef extends TopicRef {
  id: string;
}

export const subscriptionArn = (s: SubscriptionRef): string => `${topicArn(s)}:${s.id}`;

/** A subscription ARN names its topic, so requests about it go straight to that topic's object. */
export function parseSubscriptionArn(parameter: string, arn: string | undefined): SubscriptionRef | ErrorInfo {
  const parts = arnParts(parameter, arn ?? "");
  if (!Array.isArray(parts)) return parts;
  if (parts.length !== 7 || parts[2] !== "sns" || !/^\d{12}$/.test(parts[4]!) || !/^[A-Za-z0-9-]{1,64}$/.test(parts[6]!)) {
    return invalidParameter(parameter === "SubscriptionArn" ? "SubscriptionId" : parameter);
  }
  return { region: parts[3]!, account: parts[4]!, name: parts[5]!, id: parts[6]! };
}

/** An SQS queue ARN as a subscription endpoint. */
export function parseQueueEndpoint(endpoint: string): { region: string; account: string; name: string } | undefined {
  const m = /^arn:aws[a-z-]*:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]{1,80})$/.exec(endpoint);
  return m ? { region: m[1]!, account: m[2]!, name: m[3]! } : undefined;
}
