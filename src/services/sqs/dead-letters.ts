/**
 * Dead-letter queue tools: ListDeadLetterSourceQueues and message move tasks (StartMessageMoveTask,
 * ListMessageMoveTasks, CancelMessageMoveTask). Task handles are opaque tokens naming the task and
 * its source queue, so a cancel goes straight to the right queue object.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
 */
import type {
  CancelMessageMoveTaskRequest,
  ListDeadLetterSourceQueuesRequest,
  ListMessageMoveTasksRequest,
  StartMessageMoveTaskRequest,
} from "@aws-sdk/client-sqs";
import { catalogObject } from "../../durable/names";
import type { MoveTask } from "../../domain/sqs/contract";
import { AwsError, unwrap } from "../../domain/errors";
import { decodeToken, encodeToken } from "../../domain/tokens";
import { checkAccess, queueRef, queueStub, type SqsContext } from "./context";
import { invalidParameter, invalidParameterValue, missingParameter, resourceNotFound } from "../../domain/sqs/errors";
import { isFifoName, parseQueueArn, queueArn, queueUrl, type QueueRef } from "../../domain/sqs/queue-names";
import { pageRequest, pageResult } from "./queues";

export async function listDeadLetterSourceQueues(ctx: SqsContext, input: ListDeadLetterSourceQueuesRequest) {
  const ref = queueRef(ctx, input.QueueUrl);
  unwrap(await queueStub(ctx, ref).describe());
  const arn = queueArn(ref);
  const { limit, after, paged } = pageRequest(input.MaxResults, input.NextToken, `d:${arn}`);
  const names = await catalogObject(ctx.env, ref.account, ref.region).deadLetterSources(arn, limit + 1, after);
  const { page, nextToken } = pageResult(names, limit, paged, `d:${arn}`);
  return { queueUrls: page.map((name) => queueUrl(ctx.origin, { account: ref.account, name })), NextToken: nextToken };
}

/** Resolves an ARN parameter to an existing queue, with AWS's errors for bad and unknown ARNs. */
async function existingQueue(
  ctx: SqsContext,
  parameter: "SourceArn" | "DestinationArn",
  arn: string | undefined,
): Promise<QueueRef> {
  if (!arn) throw new AwsError(missingParameter(parameter));
  const ref = parseQueueArn(arn);
  if (!ref) {
    throw new AwsError(
      invalidParameterValue(
        `You must use this format to specify the ${parameter}: arn:<partition>:<service>:<region>:<account-id>:<resource-id>`,
      ),
    );
  }
  checkAccess(ctx, ref);
  const described = await queueStub(ctx, ref).describe();
  if (!described.ok)
    throw new AwsError(resourceNotFound(`The resource that you specified for the ${parameter} parameter doesn't exist.`));
  return ref;
}

export async function startMessageMoveTask(ctx: SqsContext, input: StartMessageMoveTaskRequest) {
  const source = await existingQueue(ctx, "SourceArn", input.SourceArn);
  const sourceArn = queueArn(source);
  const sources = await catalogObject(ctx.env, source.account, source.region).deadLetterSources(sourceArn, 1);
  if (!sources.length) throw new AwsError(invalidParameterValue("Source queue must be configured as a Dead Letter Queue."));
  let destinationArn: string | null = null;
  if (input.DestinationArn !== undefined) {
    const destination = await existingQueue(ctx, "DestinationArn", input.DestinationArn);
    destinationArn = queueArn(destination);
    if (destinationArn === sourceArn) {
      throw new AwsError(invalidParameterValue("Source queue arn and destination queue arn cannot be the same."));
    }
    if (isFifoName(destination.name) !== isFifoName(source.name)) {
      throw new AwsError(invalidParameterValue("The source queue and destination queue must be of the same queue type."));
    }
  }
  const rate = input.MaxNumberOfMessagesPerSecond;
  if (rate !== undefined && (rate < 1 || rate > 500)) {
    // Worded like TaskHandle's error (recorded): "Value for parameter …", without the value.
    throw new AwsError(
      invalidParameterValue(
        "Value for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: You must enter a number that's between 1 and 500.",
      ),
    );
  }
  const taskId = unwrap(await queueStub(ctx, source).startMoveTask(destinationArn, rate ?? null));
  return { TaskHandle: encodeToken("T", { taskId, sourceArn }) };
}

function taskOutput(task: MoveTask) {
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

export async function listMessageMoveTasks(ctx: SqsContext, input: ListMessageMoveTasksRequest) {
  const source = await existingQueue(ctx, "SourceArn", input.SourceArn);
  const max = input.MaxResults ?? 1;
  if (max < 1 || max > 10) {
    throw new AwsError(invalidParameter("MaxResults", max, "You must enter a number that's between 1 and 10."));
  }
  const tasks = unwrap(await queueStub(ctx, source).listMoveTasks(max));
  return { Results: tasks.map(taskOutput) };
}

export async function cancelMessageMoveTask(ctx: SqsContext, input: CancelMessageMoveTaskRequest) {
  if (!input.TaskHandle) throw new AwsError(missingParameter("TaskHandle"));
  const handle = decodeToken<{ taskId?: unknown; sourceArn?: unknown }>("T", input.TaskHandle);
  if (!handle || typeof handle.taskId !== "string" || typeof handle.sourceArn !== "string") {
    throw new AwsError(invalidParameterValue("Value for parameter TaskHandle is invalid."));
  }
  const source = await existingQueue(ctx, "SourceArn", handle.sourceArn);
  const moved = unwrap(await queueStub(ctx, source).cancelMoveTask(handle.taskId));
  return { ApproximateNumberOfMessagesMoved: moved };
}
