/**
 * UpdateDestination: a new destination configuration under the stream's current VersionId; a stale
 * version is a ConcurrentModificationException, checked by the delivery stream object at the swap.
 * https://docs.aws.amazon.com/firehose/latest/APIReference/API_UpdateDestination.html
 */
import { fail, ok } from "../../domain/errors";
import { applyDestinationUpdate } from "../../domain/firehose/destination-config";
import { checks } from "../../domain/kinesis/validate";
import type { FirehoseHandler, FirehoseHandlers } from "./context";
import { describeStream, streamStub } from "./names";

const updateDestination: FirehoseHandler<"UpdateDestination"> = async (ctx, input) => {
  const problem = checks()
    .string(input.CurrentDeliveryStreamVersionId, "currentDeliveryStreamVersionId", { pattern: "[0-9]+", min: 1, max: 50 })
    .string(input.DestinationId, "destinationId", { pattern: "[a-zA-Z0-9-]+", min: 1, max: 100 })
    .done();
  if (problem) return fail(problem);
  const described = await describeStream(ctx, input.DeliveryStreamName);
  if (!described.ok) return described;
  const current = described.value.config.destination;
  const next = applyDestinationUpdate(current, input as unknown as Record<string, unknown>);
  if (!next.ok) return next;
  const done = await streamStub(ctx, input.DeliveryStreamName).updateDestination(
    Number(input.CurrentDeliveryStreamVersionId),
    input.DestinationId,
    next.value,
  );
  return done.ok ? ok({}) : done;
};

export const destinationOperations: FirehoseHandlers<"UpdateDestination"> = { UpdateDestination: updateDestination };
