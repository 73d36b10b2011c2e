/**
 * What every SQS operation handler receives, and the lookups they share: which queue a QueueUrl
 * names, and the RPC stub for it.
 */
import { fail, ok, type Problem, type Result } from "../../domain/errors";
import { accessDenied, missingParameter, queueDoesNotExist } from "../../domain/sqs/errors";
import { parseQueueUrl, queuePath, queueUrl, type QueueRef } from "../../domain/sqs/queue-names";
import { queueObject } from "../../durable/names";
import type { RequestContext } from "../descriptor";

export interface SqsContext {
  env: Env;
  /** Caller's account (from the access key) and region (from the credential scope). */
  account: string;
  region: string;
  /** `scheme://host` of the request: queue URLs point back here. */
  origin: string;
  /** SenderId of sent messages: the caller's access key id. */
  senderId: string;
  protocol: "json" | "query";
  /** True when signatures are verified (hosted mode): accounts are isolated from each other. */
  strict: boolean;
  /** Queue URL taken from the request path (query requests sent to a queue URL). */
  queueUrlFromPath?: string;
}

export function sqsContext(request: RequestContext): SqsContext {
  const path = request.url.pathname;
  return {
    env: request.env,
    account: request.caller.account,
    region: request.caller.region,
    origin: request.origin,
    senderId: request.caller.accessKeyId,
    // SQS has no CBOR protocol: the dispatcher never hands it one.
    protocol: request.protocol === "query" ? "query" : "json",
    strict: request.caller.strict,
    queueUrlFromPath: request.protocol === "query" && queuePath(path) ? `${request.origin}${path}` : undefined,
  };
}

/** The queue a QueueUrl names; the region comes from the URL's host when it has one, else the request. */
export function queueRef(ctx: SqsContext, url: string | undefined): Result<QueueRef> {
  const value = url || ctx.queueUrlFromPath;
  if (!value) return fail(missingParameter("QueueUrl"));
  const parsed = parseQueueUrl(value);
  if (!parsed) return fail(queueDoesNotExist());
  const ref = { account: parsed.account, region: parsed.region ?? ctx.region, name: parsed.name };
  const denied = accessProblem(ctx, ref);
  return denied ? fail(denied) : ok(ref);
}

/** In hosted mode each account sees only its own queues. */
export function accessProblem(ctx: SqsContext, ref: QueueRef): Problem {
  if (ctx.strict && ref.account !== ctx.account) {
    return accessDenied(`Access to the resource ${queueUrl(ctx.origin, ref)} is denied.`);
  }
  return undefined;
}

export const queueStub = (ctx: SqsContext, ref: QueueRef) => queueObject(ctx.env, ref);

/**
 * The handler of an action on the queue its QueueUrl names: the queue is resolved (and access
 * checked) first, before any other parameter, as AWS does.
 */
export const onQueue =
  <I extends { QueueUrl: string }, O>(handler: (ctx: SqsContext, input: I, ref: QueueRef) => Promise<Result<O>>) =>
  (ctx: SqsContext, input: I): Promise<Result<O>> => {
    const ref = queueRef(ctx, input.QueueUrl);
    return ref.ok ? handler(ctx, input, ref.value) : Promise.resolve(ref);
  };

/** A handler's answer from a result it got: `output` of the value, or the failure as it came. */
export const mapOk = <T, U>(result: Result<T>, output: (value: T) => U): Result<U> =>
  result.ok ? ok(output(result.value)) : result;
