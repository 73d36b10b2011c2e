/**
 * Checks a RedrivePolicy against its target before it is stored: the dead-letter queue must exist,
 * be of the same type, live in the same account and region, and allow this source by its
 * RedriveAllowPolicy.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 */
import type { Problem } from "../../domain/errors";
import { invalidParameter } from "../../domain/sqs/errors";
import { parseRedriveAllowPolicy, parseRedrivePolicy } from "../../domain/sqs/queue-attributes";
import { isFifoName, parseQueueArn, queueArn, type QueueRef } from "../../domain/sqs/queue-names";
import { queueStub, type SqsContext } from "./context";

export async function redriveTargetProblem(ctx: SqsContext, source: QueueRef, redrivePolicyJson: string): Promise<Problem> {
  const policy = parseRedrivePolicy(redrivePolicyJson);
  if (!policy.ok) return policy.error;
  const { deadLetterTargetArn } = policy.value;
  const invalid = (reason: string) => invalidParameter("RedrivePolicy", redrivePolicyJson, reason);
  const target = parseQueueArn(deadLetterTargetArn)!;
  if (target.account !== source.account || target.region !== source.region) {
    return invalid("Dead-letter target must be in the same account and region as the source queue.");
  }
  const described = await queueStub(ctx, target).describe();
  if (!described.ok) return invalid("Dead letter target does not exist.");
  if (isFifoName(target.name) !== isFifoName(source.name)) {
    // Two periods: AWS's text, verbatim (real-AWS errors quoted by Terraform and CloudFormation users).
    return invalid("Dead-letter queue must be same type of queue as the source..");
  }
  const allowJson = described.value.state.attributes.RedriveAllowPolicy;
  const allow = allowJson ? parseRedriveAllowPolicy(allowJson) : undefined;
  if (!allow?.ok) return undefined;
  const sourceArn = queueArn(source);
  const { redrivePermission, sourceQueueArns } = allow.value;
  const allowed =
    redrivePermission === "allowAll" || (redrivePermission === "byQueue" && (sourceQueueArns ?? []).includes(sourceArn));
  return allowed
    ? undefined
    : invalid(`Queue ${deadLetterTargetArn} does not allow ${sourceArn} to use it as a dead-letter queue.`);
}
