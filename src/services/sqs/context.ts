/**
 * What every SQS operation handler receives, and the lookups they share: which queue a QueueUrl
 * names, and the RPC stub for it.
 */
import { AwsError } from "../../domain/errors";
import { queueObject } from "../../durable/names";
import { accessDenied, missingParameter, queueDoesNotExist } from "../../domain/sqs/errors";
import { parseQueueUrl, queueUrl, type QueueRef } from "../../domain/sqs/queue-names";

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

export type SqsHandler = (ctx: SqsContext, input: Record<string, unknown>) => Promise<object>;

/** The queue a QueueUrl names; the region comes from the URL's host when it has one, else the request. */
export function queueRef(ctx: SqsContext, url: unknown): QueueRef {
  const value = typeof url === "string" && url ? url : ctx.queueUrlFromPath;
  if (!value) throw new AwsError(missingParameter("QueueUrl"));
  const parsed = parseQueueUrl(value);
  if (!parsed) throw new AwsError(queueDoesNotExist());
  const ref = { account: parsed.account, region: parsed.region ?? ctx.region, name: parsed.name };
  checkAccess(ctx, ref);
  return ref;
}

/** In hosted mode each account sees only its own queues. */
export function checkAccess(ctx: SqsContext, ref: QueueRef): void {
  if (ctx.strict && ref.account !== ctx.account) {
    throw new AwsError(accessDenied(`Access to the resource ${queueUrl(ctx.origin, ref)} is denied.`));
  }
}

export const queueStub = (ctx: SqsContext, ref: QueueRef) => queueObject(ctx.env, ref);
