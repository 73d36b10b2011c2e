/**
 * FIFO queue rules: message-group ordering and locking on receive, the
 * 5-minute deduplication window, sequence numbers, and retried receives (ReceiveRequestAttemptId).
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html
 */

/** SQS's deduplication interval, also how long a receive attempt id is remembered. */
export const DEDUP_WINDOW_MS = 5 * 60 * 1000;

/** How many candidates a FIFO receive looks at to fill its answer from as few groups as possible. */
export const FIFO_CANDIDATES = 100;

/**
 * SequenceNumber as SQS shows it: a 20-digit decimal, strictly increasing in the queue (not
 * consecutive), derived from the message's position in the queue.
 */
export const sequenceNumber = (seq: number): string => String(18_000_000_000_000_000_000n + BigInt(seq) * 1000n);

/** DeduplicationScope: whether the same deduplication id in two message groups is a duplicate (`queue`). */
export type DedupScope = "queue" | "messageGroup";

export const dedupKey = (scope: DedupScope, groupId: string, deduplicationId: string): string =>
  scope === "messageGroup" ? `${groupId}\n${deduplicationId}` : deduplicationId;

/**
 * Picks what a FIFO receive returns from candidates in queue order (each already the deliverable
 * head of its group): as many messages of the first group as fit, then the next group's, "still in
 * FIFO order" within each group.
 */
export function pickByGroup<Row extends { group_id: string | null }>(candidates: Row[], max: number): Row[] {
  const groups = new Map<string, Row[]>();
  for (const row of candidates) {
    const key = row.group_id ?? "";
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  const picked: Row[] = [];
  for (const rows of groups.values()) {
    for (const row of rows) {
      if (picked.length >= max) return picked;
      picked.push(row);
    }
  }
  return picked;
}
