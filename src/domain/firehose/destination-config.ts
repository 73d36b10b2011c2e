/** STUB (being written): validation of a delivery stream's destination configuration. */
import { ok, type Result } from "../errors";
import type { DestinationKind, StoredDestination } from "./contract";

export const DESTINATION_KINDS: readonly DestinationKind[] = [
  "ExtendedS3",
  "S3",
  "HttpEndpoint",
  "Elasticsearch",
  "Amazonopensearchservice",
  "AmazonOpenSearchServerless",
  "Splunk",
  "Redshift",
  "Snowflake",
  "Iceberg",
];

/** The one destination of a CreateDeliveryStream input (`<Kind>DestinationConfiguration` members). */
export function validateCreateDestination(input: Record<string, unknown>): Result<StoredDestination> {
  for (const kind of DESTINATION_KINDS) {
    const config = input[`${kind}DestinationConfiguration`];
    if (config) return ok({ id: "destinationId-000000000001", kind, config: config as Record<string, unknown> });
  }
  return ok({ id: "destinationId-000000000001", kind: "ExtendedS3", config: {} });
}

/** UpdateDestination: the destination after the update (`<Kind>DestinationUpdate` members). */
export function applyDestinationUpdate(current: StoredDestination, update: Record<string, unknown>): Result<StoredDestination> {
  for (const kind of DESTINATION_KINDS) {
    const patch = update[`${kind}DestinationUpdate`] as Record<string, unknown> | undefined;
    if (patch) return ok({ ...current, kind, config: { ...current.config, ...patch } });
  }
  return ok(current);
}

/** DescribeDeliveryStream's `Destinations[0]`: `{DestinationId, <Kind>DestinationDescription}`. */
export function describeDestination(d: StoredDestination): Record<string, unknown> {
  return { DestinationId: d.id, [`${d.kind}DestinationDescription`]: d.config };
}
