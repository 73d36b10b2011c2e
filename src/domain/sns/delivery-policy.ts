/**
 * Delivery policies: how often and how far apart SNS retries a failed delivery. HTTP/S policies come
 * from the subscription or the topic (DeliveryPolicy); other protocols use AWS's fixed policies.
 * Retries happen for server-side failures (5xx, network); client-side failures go straight to the
 * subscription's dead-letter queue.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html
 */
import { fail, ok, type Result } from "../errors";
import { invalidParameter } from "./errors";

export interface RetryPolicy {
  minDelayTarget: number;
  maxDelayTarget: number;
  numRetries: number;
  numMaxDelayRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  backoffFunction: "linear" | "arithmetic" | "geometric" | "exponential";
}

const DEFAULT_HTTP_RETRY: RetryPolicy = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numMaxDelayRetries: 0,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  backoffFunction: "linear",
};

const DEFAULT_CONTENT_TYPE = "text/plain; charset=UTF-8";

/** AWS-managed endpoints (SQS, Lambda, Firehose): 3 immediate, 2 at 1 s, 10 backing off to 20 s, 100,000 at 20 s. */
export const AWS_MANAGED_RETRY: RetryPolicy = {
  minDelayTarget: 1,
  maxDelayTarget: 20,
  numRetries: 100_015 - 1,
  numNoDelayRetries: 3,
  numMinDelayRetries: 2,
  numMaxDelayRetries: 100_000,
  backoffFunction: "exponential",
};

/** Customer-managed endpoints (email, SMS, mobile push): 2 at 10 s, 10 backing off to 600 s, 38 at 600 s. */
export const CUSTOMER_MANAGED_RETRY: RetryPolicy = {
  minDelayTarget: 10,
  maxDelayTarget: 600,
  numRetries: 50 - 1,
  numNoDelayRetries: 0,
  numMinDelayRetries: 2,
  numMaxDelayRetries: 38,
  backoffFunction: "exponential",
};

const BACKOFF = new Set(["linear", "arithmetic", "geometric", "exponential"]);
/** HTTP/S policies may not retry for longer than an hour in total. */
const MAX_HTTP_RETRY_SECONDS = 3600;

export type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

/** A stored policy document (a DeliveryPolicy attribute), read once; undefined when there is none. */
export function parsePolicyDocument(value: string | undefined): Json | undefined {
  if (!value) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function checkRetryPolicy(policy: unknown, where: string): Result<RetryPolicy> {
  if (policy === undefined || policy === null) return ok({ ...DEFAULT_HTTP_RETRY });
  if (!isObject(policy)) return fail(invalidParameter(`DeliveryPolicy: ${where} must be an object`));
  const merged = { ...DEFAULT_HTTP_RETRY, ...policy } as RetryPolicy;
  const problem = retryPolicyProblem(merged, where);
  return problem ? fail(problem) : ok(merged);
}

function retryPolicyProblem(merged: RetryPolicy, where: string) {
  for (const key of [
    "minDelayTarget",
    "maxDelayTarget",
    "numRetries",
    "numMaxDelayRetries",
    "numNoDelayRetries",
    "numMinDelayRetries",
  ] as const) {
    const n = merged[key];
    if (!Number.isInteger(n) || n < 0) return invalidParameter(`DeliveryPolicy: ${where}.${key} must be a non-negative integer`);
  }
  if (merged.minDelayTarget < 1 || merged.maxDelayTarget < merged.minDelayTarget) {
    return invalidParameter(`DeliveryPolicy: ${where}.minDelayTarget must be at least 1 and at most maxDelayTarget`);
  }
  if (merged.numRetries > 100) return invalidParameter(`DeliveryPolicy: ${where}.numRetries must be at most 100`);
  if (merged.numNoDelayRetries + merged.numMinDelayRetries + merged.numMaxDelayRetries > merged.numRetries) {
    return invalidParameter(
      `DeliveryPolicy: ${where}: numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries must not exceed numRetries`,
    );
  }
  if (!BACKOFF.has(merged.backoffFunction))
    return invalidParameter(`DeliveryPolicy: ${where}.backoffFunction must be one of linear, arithmetic, geometric, exponential`);
  if (retryDelays(merged).reduce((a, b) => a + b, 0) > MAX_HTTP_RETRY_SECONDS) {
    return invalidParameter(`DeliveryPolicy: ${where}: total retry time must not exceed ${MAX_HTTP_RETRY_SECONDS} seconds`);
  }
  return undefined;
}

/** A topic's DeliveryPolicy: `{"http": {"defaultHealthyRetryPolicy", "disableSubscriptionOverrides", …}}`. */
export function parseTopicDeliveryPolicy(value: string): Result<Json> {
  const policy = parsePolicyDocument(value);
  if (!policy) return fail(invalidParameter("DeliveryPolicy: failed to parse JSON."));
  if (policy.http !== undefined) {
    if (!isObject(policy.http)) return fail(invalidParameter("DeliveryPolicy: http must be an object"));
    const retry = checkRetryPolicy(policy.http.defaultHealthyRetryPolicy, "http.defaultHealthyRetryPolicy");
    if (!retry.ok) return retry;
  }
  return ok(policy);
}

/**
 * A topic's DeliveryPolicy as AWS stores and returns it: null members dropped and
 * `disableSubscriptionOverrides` filled in (AWS-recorded `test_topic_delivery_policy_crud`).
 */
export function storedTopicDeliveryPolicy(policy: Json): string {
  if (!isObject(policy.http)) return JSON.stringify(policy);
  const given = Object.fromEntries(Object.entries(policy.http).filter(([, v]) => v !== null));
  const { defaultRequestPolicy, ...rest } = given;
  const http: Json = { ...rest, disableSubscriptionOverrides: rest.disableSubscriptionOverrides ?? false };
  if (defaultRequestPolicy !== undefined) http.defaultRequestPolicy = defaultRequestPolicy;
  return JSON.stringify({ ...policy, http });
}

/** A topic's `http` delivery policy over AWS's defaults (the members in the order AWS shows them). */
export interface TopicHttpPolicy {
  defaultHealthyRetryPolicy: RetryPolicy;
  defaultThrottlePolicy?: unknown;
  disableSubscriptionOverrides: unknown;
  defaultRequestPolicy: Json;
}

/** The `http` policy HTTP/S deliveries of a topic follow; read once from the stored DeliveryPolicy. */
export function topicHttpPolicy(deliveryPolicy: string | undefined): TopicHttpPolicy {
  const given = parsePolicyDocument(deliveryPolicy)?.http;
  const http = isObject(given) ? given : {};
  return {
    defaultHealthyRetryPolicy: {
      ...DEFAULT_HTTP_RETRY,
      ...(isObject(http.defaultHealthyRetryPolicy) ? http.defaultHealthyRetryPolicy : {}),
    },
    ...(http.defaultThrottlePolicy !== undefined ? { defaultThrottlePolicy: http.defaultThrottlePolicy } : {}),
    disableSubscriptionOverrides: http.disableSubscriptionOverrides ?? false,
    defaultRequestPolicy: {
      headerContentType: DEFAULT_CONTENT_TYPE,
      ...(isObject(http.defaultRequestPolicy) ? http.defaultRequestPolicy : {}),
    },
  };
}

/** What GetTopicAttributes shows as EffectiveDeliveryPolicy: the topic's policy over the defaults. */
export const effectiveTopicDeliveryPolicy = (deliveryPolicy: string | undefined): string =>
  JSON.stringify({ http: topicHttpPolicy(deliveryPolicy) });

/**
 * A subscription's DeliveryPolicy, stored the way AWS returns it (missing parts filled in:
 * AWS-recorded `test_subscribe_external_http_endpoint_content_type`).
 */
export function parseSubscriptionDeliveryPolicy(value: string): Result<string> {
  const policy = parsePolicyDocument(value);
  if (!policy) return fail(invalidParameter("DeliveryPolicy: failed to parse JSON."));
  const retry = checkRetryPolicy(policy.healthyRetryPolicy, "healthyRetryPolicy");
  if (!retry.ok) return retry;
  return ok(
    JSON.stringify({
      // A policy without a healthyRetryPolicy keeps it null (the topic's applies).
      healthyRetryPolicy: policy.healthyRetryPolicy == null ? null : retry.value,
      sicklyRetryPolicy: policy.sicklyRetryPolicy ?? null,
      throttlePolicy: policy.throttlePolicy ?? null,
      requestPolicy: policy.requestPolicy ?? null,
      guaranteed: policy.guaranteed ?? false,
    }),
  );
}

export interface EffectiveHttpPolicy {
  retry: RetryPolicy;
  contentType: string;
  /** At most this many deliveries per second to the endpoint (throttlePolicy), if set. */
  maxReceivesPerSecond?: number;
}

/**
 * The policy an HTTP/S delivery follows: the subscription's (its parsed DeliveryPolicy), unless the
 * topic forbids overrides.
 */
export function effectiveHttpPolicy(topic: TopicHttpPolicy, subscriptionPolicy: Json | undefined): EffectiveHttpPolicy {
  const sub = topic.disableSubscriptionOverrides ? undefined : subscriptionPolicy;
  const retry =
    sub && isObject(sub.healthyRetryPolicy)
      ? ({ ...DEFAULT_HTTP_RETRY, ...sub.healthyRetryPolicy } as RetryPolicy)
      : topic.defaultHealthyRetryPolicy;
  const request = sub && isObject(sub.requestPolicy) ? sub.requestPolicy : topic.defaultRequestPolicy;
  const throttle = (sub && isObject(sub.throttlePolicy) ? sub.throttlePolicy : topic.defaultThrottlePolicy) as Json | undefined;
  return {
    retry,
    contentType: typeof request?.headerContentType === "string" ? request.headerContentType : DEFAULT_CONTENT_TYPE,
    maxReceivesPerSecond: typeof throttle?.maxReceivesPerSecond === "number" ? throttle.maxReceivesPerSecond : undefined,
  };
}

/** The subscription's EffectiveDeliveryPolicy attribute (HTTP/S subscriptions). */
export function effectiveSubscriptionDeliveryPolicy(
  topicPolicy: string | undefined,
  subscriptionPolicy: string | undefined,
): string {
  const topic = topicHttpPolicy(topicPolicy);
  const sub = parsePolicyDocument(subscriptionPolicy) ?? {};
  return JSON.stringify({
    healthyRetryPolicy: isObject(sub.healthyRetryPolicy)
      ? { ...DEFAULT_HTTP_RETRY, ...sub.healthyRetryPolicy }
      : topic.defaultHealthyRetryPolicy,
    sicklyRetryPolicy: sub.sicklyRetryPolicy ?? null,
    throttlePolicy: sub.throttlePolicy ?? topic.defaultThrottlePolicy ?? null,
    requestPolicy: isObject(sub.requestPolicy) ? sub.requestPolicy : topic.defaultRequestPolicy,
    guaranteed: sub.guaranteed ?? false,
  });
}

/**
 * Delays (seconds) before each retry: the no-delay phase, the pre-backoff phase at minDelayTarget,
 * the backoff phase growing to maxDelayTarget by the backoff function, the post-backoff phase at maxDelayTarget.
 */
export function retryDelays(policy: RetryPolicy): number[] {
  const backoff = Math.max(
    0,
    policy.numRetries - policy.numNoDelayRetries - policy.numMinDelayRetries - policy.numMaxDelayRetries,
  );
  const delays: number[] = [];
  for (let i = 0; i < policy.numNoDelayRetries; i++) delays.push(0);
  for (let i = 0; i < policy.numMinDelayRetries; i++) delays.push(policy.minDelayTarget);
  for (let i = 1; i <= backoff; i++) delays.push(backoffDelay(policy, i, backoff));
  for (let i = 0; i < policy.numMaxDelayRetries && delays.length < policy.numRetries; i++) delays.push(policy.maxDelayTarget);
  return delays.slice(0, policy.numRetries);
}

/** The delay before the `attempt`-th retry (1-based); undefined when the policy is exhausted. */
export function nextRetryDelay(policy: RetryPolicy, attempt: number): number | undefined {
  if (attempt > policy.numRetries) return undefined;
  const noDelay = policy.numNoDelayRetries;
  const minDelay = noDelay + policy.numMinDelayRetries;
  const backoff = Math.max(0, policy.numRetries - minDelay - policy.numMaxDelayRetries);
  if (attempt <= noDelay) return 0;
  if (attempt <= minDelay) return policy.minDelayTarget;
  if (attempt <= minDelay + backoff) return backoffDelay(policy, attempt - minDelay, backoff);
  return policy.maxDelayTarget;
}

function backoffDelay(policy: RetryPolicy, step: number, steps: number): number {
  const { minDelayTarget: min, maxDelayTarget: max } = policy;
  if (steps <= 0 || max === min) return min;
  const t = step / steps;
  switch (policy.backoffFunction) {
    case "arithmetic":
      return Math.round(min + (max - min) * ((step * (step + 1)) / (steps * (steps + 1))));
    case "geometric":
      return Math.round(min * Math.pow(max / min, t));
    case "exponential":
      return Math.round(min + (max - min) * ((Math.pow(2, step) - 1) / (Math.pow(2, steps) - 1)));
    default:
      return Math.round(min + (max - min) * t);
  }
}
