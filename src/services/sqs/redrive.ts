/**
 * Checks a RedrivePolicy against its target before it is stored: the dead-letter queue must exist,
 * be of the same type, live in the same account and region, and allow this source by its
 * RedriveAllowPolicy.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 */
import { AwsError } from "../../domain/errors";
import { queueStub, type SqsContext } from "./context";
import { invalidParameter } from "../../domain/sqs/errors";
import { parseRedriveAllowPolicy, parseRedrivePolicy } from "../../domain/sqs/queue-attributes";
import { isFifoName, parseQueueArn, queueArn, type QueueRef } from "../../domain/sqs/queue-names";

export async function checkRedriveTarget(ctx: SqsContext, source: QueueRef, redrivePolicyJson: string): Promise<void> {
  const policy = parseRedrivePolicy(redrivePolicyJson);
  if ("code" in policy) throw new AwsError(policy);
  const invalid = (reason: string) => new AwsError(invalidParameter("RedrivePolicy", redrivePolicyJson, reason));
  const target = parseQueueArn(policy.deadLetterTargetArn)!;
  if (target.account !== source.account || target.region !== source.region) {
    throw invalid("Dead-letter target must be in the same account and region as the source queue.");
  }
  const described = await queueStub(ctx, target).describe();
  if (!described.ok) throw invalid("Dead letter target does not exist.");
  if (isFifoName(target.name) !== isFifoName(source.name)) {
    // Two periods: AWS's text, verbatim (real-AWS errors quoted by Terraform and CloudFormation users).
    throw invalid("Dead-letter queue must be same type of queue as the source..");
  }
  const allowJson = described.value.state.attributes.RedriveAllowPolicy;
  if (!allowJson) return;
  const allow = parseRedriveAllowPolicy(allowJson);
  if ("code" in allow) return;
  const sourceArn = queueArn(source);
  const allowed =
    allow.redrivePermission === "allowAll" ||
    (allow.redrivePermission === "byQueue" && (allow.sourceQueueArns ?? []).includes(sourceArn));
  if (!allowed) {
    throw invalid(`Queue ${policy.deadLetterTargetArn} does not allow ${sourceArn} to use it as a dead-letter queue.`);
  }
}
