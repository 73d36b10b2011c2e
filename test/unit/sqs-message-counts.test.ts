/**
 * Message counts from a stored-message counter and a few index ranges instead of a scan
 * (src/domain/sqs/message-counts.ts), and which GetQueueAttributes names need counts at all.
 */
import { describe, expect, it } from "vitest";
import { queueCounts, type CountParts } from "../../src/domain/sqs/message-counts";
import { wantsCounts } from "../../src/domain/sqs/queue-attributes";

interface Row {
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
}

/** The counts as the queue computed them by scanning every message (the formula the parts must equal). */
function scanned(rows: Row[], now: number, aliveAfter: number, delayMs: number) {
  const live = rows.filter((r) => r.sentAt > aliveAfter);
  const delayedUntil = now - delayMs;
  return {
    visible: live.filter((r) => r.visibleAt <= now && r.sentAt <= delayedUntil).length,
    inFlight: live.filter((r) => r.visibleAt > now && r.receiveCount > 0).length,
    delayed: live.filter((r) => r.receiveCount === 0 && (r.visibleAt > now || r.sentAt > delayedUntil)).length,
  };
}

/** The parts as the storage's index ranges select them (src/durable/queue/message-counts.ts). */
function parts(rows: Row[], now: number, aliveAfter: number, delayMs: number): CountParts {
  const recentAfter = Math.max(aliveAfter, now - delayMs);
  const recent = rows.filter((r) => r.sentAt > recentAfter);
  const hidden = rows.filter((r) => r.visibleAt > now && r.sentAt > aliveAfter && r.sentAt <= recentAfter);
  return {
    total: rows.length,
    expired: rows.filter((r) => r.sentAt <= aliveAfter).length,
    recent: {
      n: recent.length,
      inFlight: recent.filter((r) => r.visibleAt > now && r.receiveCount > 0).length,
      unreceived: recent.filter((r) => r.receiveCount === 0).length,
    },
    hidden: { n: hidden.length, inFlight: hidden.filter((r) => r.receiveCount > 0).length },
  };
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
}

describe("message counts from a counter and the not-yet-visible ranges", () => {
  it("equal the full scan's counts for any mix of messages, retention and read delay", () => {
    const pick = random(7);
    for (let round = 0; round < 500; round++) {
      const now = 1_000_000;
      const rows: Row[] = Array.from({ length: pick(40) }, () => ({
        // Around every boundary: expired, within the read delay, sent "later" (another clock), hidden, visible.
        sentAt: now - 2000 + pick(2100),
        visibleAt: now - 1000 + pick(2000),
        receiveCount: pick(3) === 0 ? 0 : pick(4),
      }));
      const aliveAfter = now - pick(2000);
      const delayMs = pick(3) === 0 ? 0 : pick(2500);
      expect(queueCounts(parts(rows, now, aliveAfter, delayMs)), `round ${round}`).toEqual(
        scanned(rows, now, aliveAfter, delayMs),
      );
    }
  });

  it("count every message visible when none is hidden, delayed or expired", () => {
    const counts = queueCounts({
      total: 500_000,
      expired: 0,
      recent: { n: 0, inFlight: 0, unreceived: 0 },
      hidden: { n: 0, inFlight: 0 },
    });
    expect(counts).toEqual({ visible: 500_000, inFlight: 0, delayed: 0 });
  });
});

describe("GetQueueAttributes names that need message counts", () => {
  it.each([
    [["All"], true],
    [["ApproximateNumberOfMessages"], true],
    [["QueueArn", "ApproximateNumberOfMessagesDelayed"], true],
    [["ApproximateNumberOfMessagesNotVisible"], true],
    [["QueueArn", "VisibilityTimeout", "CreatedTimestamp"], false],
    [[], false],
  ])("%j → %s", (names, expected) => {
    expect(wantsCounts(names)).toBe(expected);
  });
});
