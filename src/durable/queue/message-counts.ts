/**
 * The storage side of a queue's message counts (see domain/sqs/message-counts.ts): the number of
 * stored messages, kept in memory by the message store once counted, and the parts that are not
 * plainly visible, each an index range that holds only the messages it counts.
 */
import type { CountParts } from "../../domain/sqs/message-counts";

/** Every stored message: one pass over the smallest index, done once per wake of the object. */
export function countStored(sql: SqlStorage): number {
  return sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM messages").one().n;
}

/**
 * Messages past retention (`sent_at <= aliveAfter`, the oldest end of the sent_at index), those sent
 * within the read delay (`sent_at > recentAfter`, its newest end) and the other hidden ones (a range
 * of the visible_at index; the unary `+` keeps SQLite from serving those terms by the sent_at index,
 * whose range would hold nearly every message). Bound: aliveAfter, now, recentAfter, now, aliveAfter, recentAfter.
 */
export const COUNT_PARTS = `SELECT 0, COUNT(*), 0, 0 FROM messages WHERE sent_at <= ?
  UNION ALL
  SELECT 1, COUNT(*), COALESCE(SUM(visible_at > ? AND receive_count > 0), 0), COALESCE(SUM(receive_count = 0), 0)
    FROM messages WHERE sent_at > ?
  UNION ALL
  SELECT 2, COUNT(*), COALESCE(SUM(receive_count > 0), 0), 0
    FROM messages WHERE visible_at > ? AND +sent_at > ? AND +sent_at <= ?`;

export function countParts(sql: SqlStorage, total: number, now: number, aliveAfter: number, delayMs: number): CountParts {
  const recentAfter = Math.max(aliveAfter, now - delayMs);
  const rows = [...sql.exec(COUNT_PARTS, aliveAfter, now, recentAfter, now, aliveAfter, recentAfter).raw()];
  const part = (i: number) => rows.find((row) => row[0] === i)!.map(Number);
  const [, expired] = part(0);
  const [, recentN, recentInFlight, unreceived] = part(1);
  const [, hiddenN, hiddenInFlight] = part(2);
  return {
    total,
    expired: expired!,
    recent: { n: recentN!, inFlight: recentInFlight!, unreceived: unreceived! },
    hidden: { n: hiddenN!, inFlight: hiddenInFlight! },
  };
}

/** Visible and alive (what a move task will move): everything but the expired and the hidden. */
export function countVisible(sql: SqlStorage, total: number, now: number, aliveAfter: number): number {
  const row = sql
    .exec<{ expired: number; hidden: number }>(
      `SELECT (SELECT COUNT(*) FROM messages WHERE sent_at <= ?) AS expired,
              (SELECT COUNT(*) FROM messages WHERE visible_at > ? AND +sent_at > ?) AS hidden`,
      aliveAfter,
      now,
      aliveAfter,
    )
    .one();
  return total - row.expired - row.hidden;
}
