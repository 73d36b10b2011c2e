/**
 * Subscriptions: Subscribe, ConfirmSubscription, Unsubscribe, ListSubscriptions,
 * ListSubscriptionsByTopic, GetSubscriptionAttributes, SetSubscriptionAttributes.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
 */
import { catalogObject } from "../../durable/names";
import { fail, ok, type Result } from "../../domain/errors";
import { done, subscriptionRef, topicRef, topicStub, type SnsHandler } from "./context";
import type { Subscription } from "./shapes/types";
import { tokenTopicName } from "../../domain/sns/confirmation-token";
import { invalidParameter, invalidParameterText } from "../../domain/sns/errors";
import {
  isFifoTopicName,
  parseQueueEndpoint,
  parseTopicArn,
  subscriptionArn,
  topicArn,
  type TopicRef,
} from "../../domain/sns/names";
import { validateSubscriptionAttribute } from "../../domain/sns/subscription-attributes";
import { nextToken, PAGE, pageAfter } from "./topics";

const PROTOCOLS = new Set(["http", "https", "email", "email-json", "sms", "sqs", "application", "lambda", "firehose"]);

/** The endpoint is fine for its protocol; `resourceAccount` owns it when it is an AWS resource. */
type CheckedEndpoint = Result<{ resourceAccount?: string }>;

const anyAccount: CheckedEndpoint = ok({});
const owned = (account: string | undefined): CheckedEndpoint => ok({ resourceAccount: account });
const badEndpoint = (detail: string): CheckedEndpoint => fail(invalidParameter(detail));

/** Checks the endpoint a protocol needs. */
function checkEndpoint(protocol: string, endpoint: string, topic: TopicRef): CheckedEndpoint {
  switch (protocol) {
    case "sqs": {
      const queue = parseQueueEndpoint(endpoint);
      if (!queue) return badEndpoint("SQS endpoint ARN");
      if (queue.name.endsWith(".fifo") && !isFifoTopicName(topic.name)) {
        return badEndpoint("Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics");
      }
      return owned(queue.account);
    }
    case "http":
    case "https":
      return endpoint.startsWith(`${protocol}://`) && URL.canParse(endpoint)
        ? anyAccount
        : badEndpoint(`Endpoint Reason: Endpoint must match the specified protocol`);
    case "email":
    case "email-json":
      return /^[^@\s]+@[^@\s]+$/.test(endpoint) ? anyAccount : badEndpoint("Email address");
    case "sms":
      // Digits in groups joined by single separators ("+12/34-567.890" is fine, "+15--551234567" is not),
      // and AWS's text has no "Invalid parameter: " (AWS-recorded `test_subscribe_invalid_sms`).
      return /^\+?\d+(?:[-./ ]?\d+)*$/.test(endpoint) && /^(?:\D*\d){5,15}\D*$/.test(endpoint)
        ? anyAccount
        : fail(invalidParameterText(`Invalid SMS endpoint: ${endpoint}`));
    case "lambda": {
      // A Lambda ARN is recorded; an http(s) URL (e.g. a function URL or a local stand-in) gets the Lambda event.
      const m = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:(\d{12}):function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/.exec(endpoint);
      if (m) return owned(m[1]);
      return /^https?:\/\//.test(endpoint) && URL.canParse(endpoint) ? anyAccount : badEndpoint("Lambda endpoint ARN");
    }
    case "firehose": {
      const m = /^arn:aws[a-z-]*:firehose:[a-z0-9-]+:(\d{12}):deliverystream\/[A-Za-z0-9_.-]+$/.exec(endpoint);
      return m ? owned(m[1]) : badEndpoint("Firehose endpoint ARN");
    }
    case "application":
      return /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:endpoint\//.test(endpoint)
        ? anyAccount
        : badEndpoint("Endpoint Reason: Invalid platform endpoint ARN");
    default:
      return badEndpoint(`Amazon SNS does not support this protocol string: ${protocol}`);
  }
}

export const subscribe: SnsHandler<"Subscribe"> = async (ctx, input) => {
  const ref = topicRef(ctx, "TopicArn", input.TopicArn);
  if (!ref.ok) return ref;
  const protocol = input.Protocol;
  if (!PROTOCOLS.has(protocol)) return fail(invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`));
  const endpoint = input.Endpoint ?? "";
  const fifo = isFifoTopicName(ref.value.name);
  if (fifo && protocol !== "sqs")
    return fail(invalidParameter("Invalid parameter: Endpoint Reason: FIFO topics only support Amazon SQS subscriptions"));
  const checked = checkEndpoint(protocol, endpoint, ref.value);
  if (!checked.ok) return checked;
  const attributes: Record<string, string> = {};
  const given = input.Attributes ?? {};
  for (const [name, value] of Object.entries(given)) {
    const result = validateSubscriptionAttribute(
      name,
      value,
      { protocol, filterPolicyScope: given.FilterPolicyScope, filterPolicy: given.FilterPolicy, topicFifo: fifo, endpoint },
      "Attributes Reason: ",
    );
    if (!result.ok) return result;
    if (result.value !== "") attributes[name] = result.value;
  }
  attributes.__principal = `arn:aws:iam::${ctx.account}:user/${ctx.accessKeyId}`;
  const { resourceAccount } = checked.value;
  const sameAccount = resourceAccount === undefined || resourceAccount === ref.value.account;
  const needsConfirmation = ["http", "https", "email", "email-json"].includes(protocol) || !sameAccount;
  const subscribed = await topicStub(ctx, ref.value).subscribe({
    protocol,
    endpoint,
    owner: ctx.account,
    attributes,
    needsConfirmation,
    origin: ctx.origin,
  });
  if (!subscribed.ok) return subscribed;
  const { id, pending } = subscribed.value;
  return ok({
    SubscriptionArn: pending && !input.ReturnSubscriptionArn ? "pending confirmation" : subscriptionArn({ ...ref.value, id }),
  });
};

/** ConfirmSubscription, also reached unauthenticated through SubscribeURL. */
export const confirmSubscription: SnsHandler<"ConfirmSubscription"> = async (ctx, input) => {
  const ref = parseTopicArn("Topic", input.TopicArn);
  if (!ref.ok || (!ctx.anonymous && ref.value.region !== ctx.region)) return fail(invalidParameter("Topic"));
  const token = input.Token;
  // Not hex at all: "Invalid token"; hex but unknown: "Invalid parameter: Token" (AWS-recorded
  // `test_sns_confirm_subscription_wrong_token`, `test_subscribe_external_http_endpoint`).
  if (!/^[0-9a-f]*$/i.test(token)) return fail(invalidParameterText("Invalid token"));
  if (!/^[0-9a-f]{32,1024}$/i.test(token)) return fail(invalidParameter("Token"));
  const authenticateOnUnsubscribe = input.AuthenticateOnUnsubscribe === "true";
  const result = await topicStub(ctx, { ...ref.value, name: tokenTopicName(token) ?? ref.value.name }).confirm(
    token,
    !ctx.anonymous,
    authenticateOnUnsubscribe,
  );
  if (result.ok) return ok({ SubscriptionArn: result.value });
  // A token is looked up in the region, whatever the topic: an unknown topic there means an unknown token.
  // Unauthenticated (SubscribeURL) requests carry no region to check the ARN's against: "Topic" then.
  return fail(result.error.code === "NotFound" ? invalidParameter(ctx.anonymous ? "Topic" : "Token") : result.error);
};

/** Unsubscribe: idempotent; also reached unauthenticated through UnsubscribeURL. */
export const unsubscribe: SnsHandler<"Unsubscribe"> = async (ctx, input) => {
  const ref = subscriptionRef(ctx, "SubscriptionArn", input.SubscriptionArn);
  if (!ref.ok) return ref;
  const result = await topicStub(ctx, ref.value).unsubscribe(ref.value.id, ctx.anonymous, ctx.origin);
  return result.ok || result.error.code === "NotFound" ? ok({}) : result;
};

const listed = (s: {
  arn: string;
  pending: boolean;
  owner: string;
  protocol: string;
  endpoint: string;
  topicArn: string;
}): Subscription => ({
  SubscriptionArn: s.pending ? "PendingConfirmation" : s.arn,
  Owner: s.owner,
  Protocol: s.protocol,
  Endpoint: s.endpoint,
  TopicArn: s.topicArn,
});

/** One page of subscriptions, sorted by ARN, after what the NextToken names within its listing (`scope`). */
function subscriptionPage(
  entries: Parameters<typeof listed>[0][],
  scope: string,
): { Subscriptions: Subscription[]; NextToken?: string } {
  const page = entries.slice(0, PAGE);
  return {
    Subscriptions: page.map(listed),
    NextToken: entries.length > PAGE ? nextToken(page[page.length - 1]!.arn, scope) : undefined,
  };
}

export const listSubscriptionsByTopic: SnsHandler<"ListSubscriptionsByTopic"> = async (ctx, input) => {
  const ref = topicRef(ctx, "TopicArn", input.TopicArn);
  if (!ref.ok) return ref;
  const arn = topicArn(ref.value);
  const scope = `subs:${arn}`;
  const after = pageAfter(input.NextToken, scope);
  if (!after.ok) return after;
  const subscriptions = await topicStub(ctx, ref.value).subscriptions();
  if (!subscriptions.ok) return subscriptions;
  const all = subscriptions.value
    .map((s) => ({ ...s, arn: subscriptionArn({ ...ref.value, id: s.id }), topicArn: arn }))
    .sort((a, b) => (a.arn < b.arn ? -1 : 1))
    .filter((s) => after.value === undefined || s.arn > after.value);
  return ok(subscriptionPage(all, scope));
};

export const listSubscriptions: SnsHandler<"ListSubscriptions"> = async (ctx, input) => {
  const after = pageAfter(input.NextToken, "subs");
  if (!after.ok) return after;
  const entries = await catalogObject(ctx.env, ctx.account, ctx.region).listSubscriptions(PAGE + 1, after.value);
  return ok(subscriptionPage(entries, "subs"));
};

export const getSubscriptionAttributes: SnsHandler<"GetSubscriptionAttributes"> = async (ctx, input) => {
  const ref = subscriptionRef(ctx, "SubscriptionArn", input.SubscriptionArn);
  if (!ref.ok) return ref;
  const attributes = await topicStub(ctx, ref.value).subscriptionAttributes(ref.value.id);
  if (!attributes.ok) return attributes;
  // The scope shows only next to a policy (AWS-recorded `test_set_subscription_filter_policy_scope`).
  if (!attributes.value.FilterPolicy) delete attributes.value.FilterPolicyScope;
  return ok({ Attributes: attributes.value });
};

export const setSubscriptionAttributes: SnsHandler<"SetSubscriptionAttributes"> = async (ctx, input) => {
  const ref = subscriptionRef(ctx, "SubscriptionArn", input.SubscriptionArn);
  if (!ref.ok) return ref;
  const stub = topicStub(ctx, ref.value);
  const current = await stub.subscriptionAttributes(ref.value.id);
  if (!current.ok) return current;
  const name = input.AttributeName;
  const value = validateSubscriptionAttribute(name, input.AttributeValue ?? "", {
    protocol: current.value.Protocol!,
    filterPolicyScope: current.value.FilterPolicyScope,
    filterPolicy: current.value.FilterPolicy,
    topicFifo: isFifoTopicName(ref.value.name),
    endpoint: current.value.Endpoint,
  });
  if (!value.ok) return value;
  return done(stub.setSubscriptionAttribute(ref.value.id, name, value.value));
};
