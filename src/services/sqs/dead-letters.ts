/**
 * Message move tasks with a dead-letter queue as their source: StartMessageMoveTask,
 * ListMessageMoveTasks, CancelMessageMoveTask. Task handles are opaque tokens naming the task and
 * its source queue, so a cancel goes straight to the right queue object.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import type { MoveTask } from "../../domain/sqs/contract";
import { invalidParameter, invalidParameterValue, missingParameter, resourceNotFound } from "../../domain/sqs/errors";
import { isFifoName, parseQueueArn, queueArn, type QueueRef } from "../../domain/sqs/queue-names";
import { decodeToken, encodeToken } from "../../domain/tokens";
import { catalogObject } from "../../durable/names";
import type {
  CancelMessageMoveTaskRequest,
  CancelMessageMoveTaskResult,
  ListMessageMoveTasksRequest,
  ListMessageMoveTasksResult,
  ListMessageMoveTasksResultEntry,
  StartMessageMoveTaskRequest,
  StartMessageMoveTaskResult,
} from "./shapes/types";
import { accessProblem, mapOk, queueStub, type SqsContext } from "./context";

/** Resolves an ARN parameter to an existing queue, with AWS's errors for bad and unknown ARNs. */
async function existingQueue(ctx: SqsContext, parameter: "SourceArn" | "DestinationArn", arn: string): Promise<Result<QueueRef>> {
  if (!arn) return fail(missingParameter(parameter));
  const ref = parseQueueArn(arn);
  if (!ref) {
    return fail(
      invalidParameterValue(
        `You must use this format to specify the ${parameter}: arn:<partition>:<service>:<region>:<account-id>:<resource-id>`,
      ),
    );
  }
  const denied = accessProblem(ctx, ref);
  if (denied) return fail(denied);
  const described = await queueStub(ctx, ref).describe();
  if (!described.ok)
    return fail(resourceNotFound(`The resource that you specified for the ${parameter} parameter doesn't exist.`));
  return ok(ref);
}

/** The destination of a new task: none (each message's source queue), or a queue of the source's type. */
async function destinationOf(ctx: SqsContext, source: QueueRef, arn: string | undefined): Promise<Result<string | null>> {
  if (arn === undefined) return ok(null);
  const destination = await existingQueue(ctx, "DestinationArn", arn);
  if (!destination.ok) return destination;
  const destinationArn = queueArn(destination.value);
  if (destinationArn === queueArn(source)) {
    return fail(invalidParameterValue("Source queue arn and destination queue arn cannot be the same."));
  }
  if (isFifoName(destination.value.name) !== isFifoName(source.name)) {
    return fail(invalidParameterValue("The source queue and destination queue must be of the same queue type."));
  }
  return ok(destinationArn);
}

/** The handler of an action on the dead-letter queue its SourceArn names, once that queue is found. */
const onSourceQueue =
  <I extends { SourceArn: string }, O>(handler: (ctx: SqsContext, input: I, source: QueueRef) => Promise<Result<O>>) =>
  async (ctx: SqsContext, input: I): Promise<Result<O>> => {
    const source = await existingQueue(ctx, "SourceArn", input.SourceArn);
    return source.ok ? handler(ctx, input, source.value) : source;
  };

export const startMessageMoveTask = onSourceQueue<StartMessageMoveTaskRequest, StartMessageMoveTaskResult>(
  async (ctx, input, source) => {
    const sourceArn = queueArn(source);
    const sources = await catalogObject(ctx.env, source.account, source.region).deadLetterSources(sourceArn, 1);
    if (!sources.length) return fail(invalidParameterValue("Source queue must be configured as a Dead Letter Queue."));
    const destinationArn = await destinationOf(ctx, source, input.DestinationArn);
    if (!destinationArn.ok) return destinationArn;
    const rate = input.MaxNumberOfMessagesPerSecond;
    if (rate !== undefined && (rate < 1 || rate > 500)) {
      // Worded like TaskHandle's error (recorded): "Value for parameter …", without the value.
      return fail(
        invalidParameterValue(
          "Value for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: You must enter a number that's between 1 and 500.",
        ),
      );
    }
    const started = await queueStub(ctx, source).startMoveTask(destinationArn.value, rate ?? null);
    return mapOk(started, (taskId) => ({ TaskHandle: encodeToken("T", { taskId, sourceArn }) }));
  },
);

function taskOutput(task: MoveTask): ListMessageMoveTasksResultEntry {
  return {
    TaskHandle: task.status === "RUNNING" ? encodeToken("T", { taskId: task.taskId, sourceArn: task.sourceArn }) : undefined,
    Status: task.status,
    SourceArn: task.sourceArn,
    DestinationArn: task.destinationArn ?? undefined,
    MaxNumberOfMessagesPerSecond: task.maxPerSecond ?? undefined,
    ApproximateNumberOfMessagesMoved: task.moved,
    ApproximateNumberOfMessagesToMove: task.toMove,
    FailureReason: task.failureReason ?? undefined,
    StartedTimestamp: task.startedAt,
  };
}

export const listMessageMoveTasks = onSourceQueue<ListMessageMoveTasksRequest, ListMessageMoveTasksResult>(
  async (ctx, input, source) => {
    const max = input.MaxResults ?? 1;
    if (max < 1 || max > 10) return fail(invalidParameter("MaxResults", max, "You must enter a number that's between 1 and 10."));
    return mapOk(await queueStub(ctx, source).listMoveTasks(max), (tasks) => ({ Results: tasks.map(taskOutput) }));
  },
);

export async function cancelMessageMoveTask(
  ctx: SqsContext,
  input: CancelMessageMoveTaskRequest,
): Promise<Result<CancelMessageMoveTaskResult>> {
  if (!input.TaskHandle) return fail(missingParameter("TaskHandle"));
  const handle = decodeToken<{ taskId?: unknown; sourceArn?: unknown }>("T", input.TaskHandle);
  if (!handle || typeof handle.taskId !== "string" || typeof handle.sourceArn !== "string") {
    return fail(invalidParameterValue("Value for parameter TaskHandle is invalid."));
  }
  const source = await existingQueue(ctx, "SourceArn", handle.sourceArn);
  if (!source.ok) return source;
  const moved = await queueStub(ctx, source.value).cancelMoveTask(handle.taskId);
  return mapOk(moved, (count) => ({ ApproximateNumberOfMessagesMoved: count }));
}
