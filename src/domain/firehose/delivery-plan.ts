/** STUB (being written): the delivery plan of a stored destination. */
import type { DeliveryPlan, StoredDestination } from "./contract";

export function deliveryPlanOf(destination: StoredDestination): DeliveryPlan {
  const c = destination.config as { BucketARN?: string; BufferingHints?: { SizeInMBs?: number; IntervalInSeconds?: number } };
  return {
    sizeBytes: (c.BufferingHints?.SizeInMBs ?? 5) * 1024 * 1024,
    intervalMs: (c.BufferingHints?.IntervalInSeconds ?? 300) * 1000,
    appendDelimiter: false,
    s3: { bucket: (c.BucketARN ?? "").replace(/^arn:[^:]+:s3:::/, ""), compression: "UNCOMPRESSED" },
    backup: { mode: "None" },
    retryMs: 300_000,
  };
}
