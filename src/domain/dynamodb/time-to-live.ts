/**
 * Time to Live: an item expires at the epoch-seconds Number in its TTL attribute. Anything else (not
 * a Number, or a value more than five years in the past, which DynamoDB ignores) does not expire it.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
 */
import type { Item } from "./contract";

const FIVE_YEARS_MS = 5 * 365 * 24 * 3_600_000;

/** Epoch ms the item expires at, or null. */
export function expiryOf(item: Item, attribute: string | undefined, now: number): number | null {
  if (!attribute) return null;
  const value = item[attribute];
  if (!value || !("N" in value)) return null;
  const ms = Number(value.N) * 1000;
  if (!Number.isFinite(ms) || ms < now - FIVE_YEARS_MS) return null;
  return Math.floor(ms);
}
