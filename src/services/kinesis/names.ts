/** Which stream a request names (every action takes StreamName or StreamARN). */
import { fail, ok, type Result } from "../../domain/errors";
import { accessDenied, invalidArgument } from "../../domain/kinesis/errors";
import { parseStreamArn, type StreamRef } from "../../domain/kinesis/names";
import { checks, STREAM_ARN_PATTERN } from "../../domain/kinesis/validate";
import type { KinesisContext } from "./context";

/**
 * The stream a request is about, from StreamName (the caller's account and region) or StreamARN
 * (its own). In hosted mode an account may only reach its own streams. A malformed name or ARN is
 * AWS's ValidationException (`Value 'x' at 'streamName' failed to satisfy constraint: …`).
 */
export function resolveStream(ctx: KinesisContext, input: { StreamName?: string; StreamARN?: string }): Result<StreamRef> {
  const { StreamName: name, StreamARN: arn } = input;
  // The model's constraints first (ValidationException), as Coral checks them before the operation.
  const problem = checks()
    .name(name, "streamName")
    .string(arn, "streamARN", { pattern: STREAM_ARN_PATTERN, min: 1, max: 2048 })
    .done();
  if (problem) return fail(problem);
  if (arn !== undefined) {
    const ref = parseStreamArn(arn);
    if (!ref) return fail(invalidArgument(`StreamARN ${arn} is invalid.`));
    if (name !== undefined && name !== ref.name)
      return fail(invalidArgument(`StreamName ${name} does not match the stream name in StreamARN ${arn}.`));
    if (ctx.strict && ref.account !== ctx.account)
      return fail(
        accessDenied(
          `User: arn:aws:iam::${ctx.account}:user/${ctx.accessKeyId} is not authorized to perform this action on resource: ${arn}`,
        ),
      );
    return ok(ref);
  }
  if (name === undefined) return fail(invalidArgument("Either StreamName or StreamARN should be provided."));
  return ok({ account: ctx.account, region: ctx.region, name });
}
