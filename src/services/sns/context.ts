/** What every SNS operation handler receives, and the lookups they share. */
import { fail, ok, type Problem, type Result } from "../../domain/errors";
import { topicObject } from "../../durable/names";
import { authorizationError, invalidParameter } from "../../domain/sns/errors";
import { parseSubscriptionArn, parseTopicArn, topicArn, type SubscriptionRef, type TopicRef } from "../../domain/sns/names";
import type { RequestContext } from "../descriptor";
import type { SnsOperations } from "./shapes/types";

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

export function snsContext(request: RequestContext): SnsContext {
  const { caller } = request;
  return {
    env: request.env,
    account: caller.account,
    region: caller.region,
    origin: request.origin,
    accessKeyId: caller.accessKeyId,
    strict: caller.strict,
    anonymous: caller.anonymous ?? false,
    traceHeader: request.traceHeader,
  };
}

/** The handler of one operation, typed by the generated shapes: its decoded input in, its output out. */
export type SnsHandler<Op extends keyof SnsOperations> = (
  ctx: SnsContext,
  input: SnsOperations[Op]["input"],
) => Promise<Result<SnsOperations[Op]["output"]>>;

/** In hosted mode an account may only act on its own topics. */
export function checkAccess(ctx: SnsContext, ref: TopicRef): Problem {
  if (ctx.strict && !ctx.anonymous && ref.account !== ctx.account) {
    return authorizationError(
      `User: arn:aws:iam::${ctx.account}:user/${ctx.accessKeyId} is not authorized to access ${topicArn(ref)}`,
    );
  }
  return undefined;
}

export function topicRef(ctx: SnsContext, parameter: string, arn: string | undefined): Result<TopicRef> {
  const ref = parseTopicArn(parameter, arn);
  if (!ref.ok) return ref;
  // A topic of another region is not reachable here (AWS-recorded `test_cross_region_access`).
  if (!ctx.anonymous && ref.value.region !== ctx.region) return fail(invalidParameter(parameter));
  const denied = checkAccess(ctx, ref.value);
  return denied ? fail(denied) : ref;
}

export function subscriptionRef(ctx: SnsContext, parameter: string, arn: string | undefined): Result<SubscriptionRef> {
  const ref = parseSubscriptionArn(parameter, arn);
  if (!ref.ok) return ref;
  const denied = checkAccess(ctx, ref.value);
  return denied ? fail(denied) : ref;
}

export const topicStub = (ctx: SnsContext, ref: TopicRef) => topicObject(ctx.env, ref);

/** The answer of an operation that returns nothing, from a Durable Object's: `{}` on success. */
export async function done(result: Promise<Result<unknown>> | Result<unknown>): Promise<Result<Record<string, never>>> {
  const answer = await result;
  return answer.ok ? ok({}) : answer;
}
