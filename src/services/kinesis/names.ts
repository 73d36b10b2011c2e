/** Which stream a request names (every action takes StreamName or StreamARN). */
import { accessDenied, invalidArgument } from "../../domain/kinesis/errors";
import type { KinesisContext } from "./context";
import { checks, STREAM_ARN_PATTERN } from "../../domain/kinesis/validate";
import { parseStreamArn, type StreamRef } from "../../domain/kinesis/names";

export { parseStreamArn, streamArn, type StreamRef } from "../../domain/kinesis/names";

/**
 * The stream a request is about, from StreamName (the caller's account and region) or StreamARN
 * (its own). In hosted mode an account may only reach its own streams. A malformed name or ARN is
 * AWS's ValidationException (`Value 'x' at 'streamName' failed to satisfy constraint: …`).
 */
export function resolveStream(ctx: KinesisContext, input: { StreamName?: unknown; StreamARN?: unknown }): StreamRef {
  const name = typeof input.StreamName === "string" ? input.StreamName : undefined;
  const arn = typeof input.StreamARN === "string" ? input.StreamARN : undefined;
  // The model's constraints first (ValidationException), as Coral checks them before the operation.
  checks().name(name, "streamName").string(arn, "streamARN", { pattern: STREAM_ARN_PATTERN, min: 1, max: 2048 }).done();
  if (arn !== undefined) {
    const ref = parseStreamArn(arn);
    if (!ref) throw invalidArgument(`StreamARN ${arn} is invalid.`);
    if (name !== undefined && name !== ref.name)
      throw invalidArgument(`StreamName ${name} does not match the stream name in StreamARN ${arn}.`);
    if (ctx.strict && ref.account !== ctx.account)
      throw accessDenied(
        `User: arn:aws:iam::${ctx.account}:user/${ctx.accessKeyId} is not authorized to perform this action on resource: ${arn}`,
      );
    return ref;
  }
  if (name === undefined) throw invalidArgument("Either StreamName or StreamARN should be provided.");
  return { account: ctx.account, region: ctx.region, name };
}
