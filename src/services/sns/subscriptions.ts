/**
 * Subscriptions: Subscribe, ConfirmSubscription, Unsubscribe, ListSubscriptions,
 * ListSubscriptionsByTopic, GetSubscriptionAttributes, SetSubscriptionAttributes.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
 */
import type {
  ConfirmSubscriptionInput,
  GetSubscriptionAttributesInput,
  ListSubscriptionsByTopicInput,
  ListSubscriptionsInput,
  SetSubscriptionAttributesInput,
  SubscribeInput,
  UnsubscribeInput,
} from "@aws-sdk/client-sns";
import { catalogObject } from "../../durable/names";
import { AwsError, unwrap, type ErrorInfo } from "../../domain/errors";
import { orThrow, subscriptionRef, topicRef, topicStub, type SnsContext } from "./context";
import { invalidParameter } from "../../domain/sns/errors";
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

/** Checks the endpoint a protocol needs; returns the account that owns it when it is an AWS resource. */
function checkEndpoint(protocol: string, endpoint: string, topic: TopicRef): ErrorInfo | { resourceAccount?: string } {
  switch (protocol) {
    case "sqs": {
      const queue = parseQueueEndpoint(endpoint);
      if (!queue) return invalidParameter("SQS endpoint ARN");
      if (queue.name.endsWith(".fifo") && !isFifoTopicName(topic.name)) {
        return invalidParameter(
          "Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics",
        );
      }
      return { resourceAccount: queue.account };
    }
    case "http":
    case "https":
      return endpoint.startsWith(`${protocol}://`) && URL.canParse(endpoint)
        ? {}
        : invalidParameter(`Endpoint Reason: Endpoint must match the specified protocol`);
    case "email":
    case "email-json":
      return /^[^@\s]+@[^@\s]+$/.test(endpoint) ? {} : invalidParameter("Email address");
    case "sms":
      // Digits in groups joined by single separators ("+12/34-567.890" is fine, "+15--551234567" is not),
      // and AWS's text has no "Invalid parameter: " (AWS-recorded `test_subscribe_invalid_sms`).
      return /^\+?\d+(?:[-./ ]?\d+)*$/.test(endpoint) && /^(?:\D*\d){5,15}\D*$/.test(endpoint)
        ? {}
        : { code: "InvalidParameter", status: 400, message: `Invalid SMS endpoint: ${endpoint}` };
    case "lambda": {
      // A Lambda ARN is recorded; an http(s) URL (e.g. a function URL or a local stand-in) gets the Lambda event.
      const m = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:(\d{12}):function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/.exec(endpoint);
      if (m) return { resourceAccount: m[1] };
      return /^https?:\/\//.test(endpoint) && URL.canParse(endpoint) ? {} : invalidParameter("Lambda endpoint ARN");
    }
    case "firehose": {
      const m = /^arn:aws[a-z-]*:firehose:[a-z0-9-]+:(\d{12}):deliverystream\/[A-Za-z0-9_.-]+$/.exec(endpoint);
      return m ? { resourceAccount: m[1] } : invalidParameter("Firehose endpoint ARN");
    }
    case "application":
      return /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:endpoint\//.test(endpoint)
        ? {}
        : invalidParameter("Endpoint Reason: Invalid platform endpoint ARN");
    default:
      return invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
  }
}

export async function subscribe(ctx: SnsContext, input: SubscribeInput) {
  const ref = topicRef(ctx, "TopicArn", input.TopicArn);
  const protocol = input.Protocol ?? "";
  if (!PROTOCOLS.has(protocol))
    throw new AwsError(invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`));
  const endpoint = input.Endpoint ?? "";
  const fifo = isFifoTopicName(ref.name);
  if (fifo && protocol !== "sqs")
    throw new AwsError(invalidParameter("Invalid parameter: Endpoint Reason: FIFO topics only support Amazon SQS subscriptions"));
  const checked = orThrow(checkEndpoint(protocol, endpoint, ref));
  const attributes: Record<string, string> = {};
  const given = input.Attributes ?? {};
  for (const [name, value] of Object.entries(given)) {
    const result = validateSubscriptionAttribute(
      name,
      value,
      { protocol, filterPolicyScope: given.FilterPolicyScope, filterPolicy: given.FilterPolicy, topicFifo: fifo, endpoint },
      "Attributes Reason: ",
    );
    if ("code" in result) throw new AwsError(result);
    if (result.value !== "") attributes[name] = result.value;
  }
  attributes.__principal = `arn:aws:iam::${ctx.account}:user/${ctx.accessKeyId}`;
  const sameAccount = checked.resourceAccount === undefined || checked.resourceAccount === ref.account;
  const needsConfirmation = ["http", "https", "email", "email-json"].includes(protocol) || !sameAccount;
  const result = unwrap(
    await topicStub(ctx, ref).subscribe({
      protocol,
      endpoint,
      owner: ctx.account,
      attributes,
      needsConfirmation,
      origin: ctx.origin,
    }),
  );
  const arn = subscriptionArn({ ...ref, id: result.id });
  return { SubscriptionArn: result.pending && !input.ReturnSubscriptionArn ? "pending confirmation" : arn };
}

/** The topic a confirmation token was issued for (after its 64 random bytes; see TopicObject). */
function tokenTopicName(token: string): string | undefined {
  const hex = token.slice(128);
  if (!hex || hex.length % 2) return undefined;
  const name = String.fromCharCode(...(hex.match(/../g) ?? []).map((h) => parseInt(h, 16)));
  return /^[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(name) ? name : undefined;
}

/** ConfirmSubscription, also reached unauthenticated through SubscribeURL. */
export async function confirmSubscription(ctx: SnsContext, input: ConfirmSubscriptionInput) {
  const ref = parseTopicArn("Topic", input.TopicArn);
  if ("code" in ref || (!ctx.anonymous && ref.region !== ctx.region)) throw new AwsError(invalidParameter("Topic"));
  const token = input.Token ?? "";
  // Not hex at all: "Invalid token"; hex but unknown: "Invalid parameter: Token" (AWS-recorded
  // `test_sns_confirm_subscription_wrong_token`, `test_subscribe_external_http_endpoint`).
  if (!/^[0-9a-f]*$/i.test(token)) throw new AwsError({ code: "InvalidParameter", status: 400, message: "Invalid token" });
  if (!/^[0-9a-f]{32,1024}$/i.test(token)) throw new AwsError(invalidParameter("Token"));
  const authenticateOnUnsubscribe = input.AuthenticateOnUnsubscribe === "true";
  const result = await topicStub(ctx, { ...ref, name: tokenTopicName(token) ?? ref.name }).confirm(
    token,
    !ctx.anonymous,
    authenticateOnUnsubscribe,
  );
  // A token is looked up in the region, whatever the topic: an unknown topic there means an unknown token.
  // Unauthenticated (SubscribeURL) requests carry no region to check the ARN's against: "Topic" then.
  if (!result.ok)
    throw new AwsError(result.error.code === "NotFound" ? invalidParameter(ctx.anonymous ? "Topic" : "Token") : result.error);
  return { SubscriptionArn: result.value };
}

/** Unsubscribe: idempotent; also reached unauthenticated through UnsubscribeURL. */
export async function unsubscribe(ctx: SnsContext, input: UnsubscribeInput) {
  const ref = subscriptionRef(ctx, "SubscriptionArn", input.SubscriptionArn);
  const result = await topicStub(ctx, ref).unsubscribe(ref.id, ctx.anonymous, ctx.origin);
  if (!result.ok && result.error.code !== "NotFound") throw new AwsError(result.error);
  return {};
}

const listed = (s: { arn: string; pending: boolean; owner: string; protocol: string; endpoint: string; topicArn: string }) => ({
  SubscriptionArn: s.pending ? "PendingConfirmation" : s.arn,
  Owner: s.owner,
  Protocol: s.protocol,
  Endpoint: s.endpoint,
  TopicArn: s.topicArn,
});

export async function listSubscriptionsByTopic(ctx: SnsContext, input: ListSubscriptionsByTopicInput) {
  const ref = topicRef(ctx, "TopicArn", input.TopicArn);
  const arn = topicArn(ref);
  const after = pageAfter(input.NextToken, `subs:${arn}`);
  const all = unwrap(await topicStub(ctx, ref).subscriptions())
    .map((s) => ({ ...s, arn: subscriptionArn({ ...ref, id: s.id }), topicArn: arn }))
    .sort((a, b) => (a.arn < b.arn ? -1 : 1))
    .filter((s) => after === undefined || s.arn > after);
  const page = all.slice(0, PAGE);
  return {
    Subscriptions: page.map(listed),
    NextToken: all.length > PAGE ? nextToken(page[page.length - 1]!.arn, `subs:${arn}`) : undefined,
  };
}

export async function listSubscriptions(ctx: SnsContext, input: ListSubscriptionsInput) {
  const after = pageAfter(input.NextToken, "subs");
  const entries = await catalogObject(ctx.env, ctx.account, ctx.region).listSubscriptions(PAGE + 1, after);
  const page = entries.slice(0, PAGE);
  return {
    Subscriptions: page.map(listed),
    NextToken: entries.length > PAGE ? nextToken(page[page.length - 1]!.arn, "subs") : undefined,
  };
}

export async function getSubscriptionAttributes(ctx: SnsContext, input: GetSubscriptionAttributesInput) {
  const ref = subscriptionRef(ctx, "SubscriptionArn", input.SubscriptionArn);
  const attributes = unwrap(await topicStub(ctx, ref).subscriptionAttributes(ref.id));
  // The scope shows only next to a policy (AWS-recorded `test_set_subscription_filter_policy_scope`).
  if (!attributes.FilterPolicy) delete attributes.FilterPolicyScope;
  return { Attributes: attributes };
}

export async function setSubscriptionAttributes(ctx: SnsContext, input: SetSubscriptionAttributesInput) {
  const ref = subscriptionRef(ctx, "SubscriptionArn", input.SubscriptionArn);
  const stub = topicStub(ctx, ref);
  const current = unwrap(await stub.subscriptionAttributes(ref.id));
  const name = input.AttributeName ?? "";
  const result = validateSubscriptionAttribute(name, input.AttributeValue ?? "", {
    protocol: current.Protocol!,
    filterPolicyScope: current.FilterPolicyScope,
    filterPolicy: current.FilterPolicy,
    topicFifo: isFifoTopicName(ref.name),
    endpoint: current.Endpoint,
  });
  if ("code" in result) throw new AwsError(result);
  unwrap(await stub.setSubscriptionAttribute(ref.id, name, result.value));
  return {};
}
