/**
 * Queue tags: up to 50 per queue, keys 1–128 and values 0–256 characters, case-sensitive; a new value
 * replaces the old one and removing a missing key is a no-op.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-queue-tags.html
 */
import type { ErrorInfo, Problem } from "../errors";
import { invalidParameterValue } from "./errors";

export const MAX_TAGS = 50;

export function validateTags(tags: Record<string, string>): Problem {
  for (const [key, value] of Object.entries(tags)) {
    const problem = validateTagKey(key);
    if (problem) return problem;
    if ([...value].length > 256) return invalidParameterValue("Tag values must be between 0 and 256 characters in length.");
  }
  return undefined;
}

export function validateTagKey(key: string): Problem {
  const length = [...key].length;
  if (length < 1 || length > 128) return invalidParameterValue("Tag keys must be between 1 and 128 characters in length.");
  if (key.toLowerCase().startsWith("aws:")) {
    return invalidParameterValue("Tag keys must not start with 'aws:'. This prefix is reserved for AWS use.");
  }
  return undefined;
}

export const tooManyTags = (queueName: string): ErrorInfo => invalidParameterValue(`Too many tags added for queue ${queueName}.`);
