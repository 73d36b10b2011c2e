/** Which delivery stream a request names, and the object that holds it. */
import { fail, type Problem, type Result } from "../../domain/errors";
import type { DeliveryStreamConfig } from "../../domain/firehose/contract";
import { checks } from "../../domain/kinesis/validate";
import { deliveryStreamObject } from "../../durable/names";
import type { FirehoseContext } from "./context";

export const DELIVERY_STREAM_NAME_PATTERN = "[a-zA-Z0-9._-]+";

/** DeliveryStreamName: `[a-zA-Z0-9._-]+`, 1..64 (Coral's ValidationException). */
export const checkStreamName = (name: unknown, path = "deliveryStreamName"): Problem =>
  checks().string(name, path, { pattern: DELIVERY_STREAM_NAME_PATTERN, min: 1, max: 64 }).done();

export const deliveryStreamArn = (ctx: { account: string; region: string }, name: string) =>
  `arn:aws:firehose:${ctx.region}:${ctx.account}:deliverystream/${name}`;

export const streamStub = (ctx: FirehoseContext, name: string) =>
  deliveryStreamObject(ctx.env, { account: ctx.account, region: ctx.region, name });

/** The delivery stream's stored configuration and tags (ResourceNotFoundException when absent). */
export async function describeStream(
  ctx: FirehoseContext,
  name: string,
): Promise<Result<{ config: DeliveryStreamConfig; tags: Record<string, string> }>> {
  const problem = checkStreamName(name);
  if (problem) return fail(problem);
  return (await streamStub(ctx, name).describe()) as Result<{ config: DeliveryStreamConfig; tags: Record<string, string> }>;
}
