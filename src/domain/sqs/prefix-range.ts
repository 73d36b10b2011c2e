/**
 * ListQueues' QueueNamePrefix as a range of names an index can seek: the names starting with a
 * prefix are exactly those from the prefix up to (not including) the prefix with its last character
 * incremented, in SQLite's binary (byte) order.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueues.html
 */

/** Names `n` with `from <= n < below` are the names starting with the prefix. */
export interface NameRange {
  from: string;
  below: string;
}

/**
 * The range of a prefix ending in a printable ASCII character (queue names are ASCII): its UTF-8
 * encoding ends in that one byte, so incrementing it gives the next prefix in byte order, whatever
 * came before it. Other prefixes (ending in a non-ASCII character, or DEL, whose successor is not a
 * single byte) and controls have no range here: the caller filters instead. The empty prefix has no range (all names).
 */
export function prefixRange(prefix: string): NameRange | undefined {
  const last = prefix.charCodeAt(prefix.length - 1);
  if (!(last >= 0x20 && last <= 0x7e)) return undefined;
  return { from: prefix, below: prefix.slice(0, -1) + String.fromCharCode(last + 1) };
}
