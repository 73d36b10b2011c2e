/**
 * A queue's message counts from what its storage can count cheaply: the number of stored messages
 * (a counter) and the few messages that are not plainly visible, each found by an index range. Time
 * moves messages from delayed or in flight to visible without any write, so no counter could follow
 * those; but every message outside the ranges below is visible, so only the ranges are ever read.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html
 */
import type { QueueCounts } from "./contract";

/** The parts, which are disjoint. `now`, retention and the FIFO read delay are those of the count. */
export interface CountParts {
  /** Every stored message, whatever its state. */
  total: number;
  /** Past retention and not yet swept by the alarm: counted nowhere. */
  expired: number;
  /**
   * Alive and sent within the FIFO queue's read delay (for any queue, sent after `now`): never visible.
   * `inFlight` of them are hidden by a receive, `unreceived` were never received (delayed); one received
   * before a longer delay was set and visible again is neither, as it is neither receivable nor delayed.
   */
  recent: { n: number; inFlight: number; unreceived: number };
  /** Alive, older than the read delay, hidden until a later `visible_at`; `inFlight` were received. */
  hidden: { n: number; inFlight: number };
}

export function queueCounts({ total, expired, recent, hidden }: CountParts): QueueCounts {
  return {
    visible: total - expired - recent.n - hidden.n,
    inFlight: recent.inFlight + hidden.inFlight,
    // Hidden and never received: delayed by DelaySeconds (or held while being moved).
    delayed: recent.unreceived + (hidden.n - hidden.inFlight),
  };
}
