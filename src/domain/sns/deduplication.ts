/**
 * FIFO topics: which deduplication id a published message has, and the key it is remembered by.
 * @see https://docs.aws.amazon.com/sns/latest/dg/fifo-message-dedup.html
 */
import { fail, ok, type Result } from "../errors";
import type { PublishEntry } from "./contract";
import { invalidParameter } from "./errors";
import type { TopicSettings } from "./subscribers";

export interface Deduplication {
  /** The message's deduplication id: given, or its content's SHA-256 (ContentBasedDeduplication). */
  id: string;
  /** What the topic's window is keyed by: the id, within its message group for FifoThroughputScope=MessageGroup. */
  key: string;
}

export function deduplicationOf(topic: TopicSettings, entry: PublishEntry): Result<Deduplication> {
  const id = entry.deduplicationId ?? (topic.contentBasedDeduplication ? entry.contentDeduplicationId : undefined);
  if (!id) {
    return fail(
      invalidParameter(
        "The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
      ),
    );
  }
  return ok({ id, key: topic.dedupPerMessageGroup ? `${entry.groupId}\n${id}` : id });
}
