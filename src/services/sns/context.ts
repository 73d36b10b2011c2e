/** What every SNS operation handler receives, and the lookups they share. */
import { AwsError, type ErrorInfo } from "../../domain/errors";
import { topicObject } from "../../durable/names";
import { authorizationError, invalidParameter } from "../../domain/sns/errors";
import { parseSubscriptionArn, parseTopicArn, topicArn, type SubscriptionRef, type TopicRef } from "../../domain/sns/names";

export interface SnsContext {
  env: Env;
  account: string;
  region: string;
  /** `scheme://host` of the request: SubscribeURL, UnsubscribeURL and SigningCertURL point back here. */
  origin: string;
  accessKeyId: string;
  /** Signatures are verified (hosted mode): accounts are isolated. */
  strict: boolean;
  /** The request carried no credentials (only ConfirmSubscription and Unsubscribe allow that). */
  anonymous: boolean;
  /** X-Ray trace header of the request, passed on to SQS subscribers. */
  traceHeader?: string;
}

export type SnsHandler = (ctx: SnsContext, input: Record<string, unknown>) => Promise<object>;

export function orThrow<T extends object>(value: T | ErrorInfo): T {
  if ("code" in value && "message" in value && typeof (value as ErrorInfo).code === "string")
    throw new AwsError(value as ErrorInfo);
  return value as T;
}

/** In hosted mode an account may only act on its own topics. */
export function checkAccess(ctx: SnsContext, ref: TopicRef): void {
  if (ctx.strict && !ctx.anonymous && ref.account !== ctx.account) {
    throw new AwsError(
      authorizationError(
        `User: arn:aws:iam::${ctx.account}:user/${ctx.accessKeyId} is not authorized to access ${topicArn(ref)}`,
      ),
    );
  }
}

export function topicRef(ctx: SnsContext, parameter: string, arn: string | undefined): TopicRef {
  const ref = orThrow(parseTopicArn(parameter, arn));
  // A topic of another region is not reachable here (AWS-recorded `test_cross_region_access`).
  if (!ctx.anonymous && ref.region !== ctx.region) throw new AwsError(invalidParameter(parameter));
  checkAccess(ctx, ref);
  return ref;
}

export function subscriptionRef(ctx: SnsContext, parameter: string, arn: string | undefined): SubscriptionRef {
  const ref = orThrow(parseSubscriptionArn(parameter, arn));
  checkAccess(ctx, ref);
  return ref;
}

export const topicStub = (ctx: SnsContext, ref: TopicRef) => topicObject(ctx.env, ref);
