/**
 * Account quotas and timings from configuration (wrangler.toml vars), with AWS's defaults.
 * https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html
 */
import type { StreamLimits } from "../../durable/catalog-object";
import type { KinesisContext } from "./context";

/** The regions where AWS's default shard quota is 500 rather than 200. */
const LARGE_QUOTA_REGIONS = new Set(["us-east-1", "us-west-2", "eu-west-1"]);

/** On-demand streams per account (AWS default). */
export const ON_DEMAND_STREAM_LIMIT = 50;

export function shardLimit(env: Env, region: string): number {
  const configured = Number.parseInt(String(env.KINESIS_SHARD_LIMIT ?? ""), 10);
  if (Number.isSafeInteger(configured) && configured >= 0) return configured;
  return LARGE_QUOTA_REGIONS.has(region) ? 500 : 200;
}

export const streamLimits = (ctx: KinesisContext): StreamLimits => ({
  account: ctx.account,
  region: ctx.region,
  shardLimit: shardLimit(ctx.env, ctx.region),
  onDemandStreamLimit: ON_DEMAND_STREAM_LIMIT,
});

/** ms a stream spends CREATING/UPDATING/DELETING (KINESIS_STATUS_DELAY_MS; 0 = at once). */
export function statusDelayMs(env: Env): number {
  const ms = Number(String(env.KINESIS_STATUS_DELAY_MS ?? ""));
  return Number.isFinite(ms) && ms >= 0 ? ms : 500;
}

export const throttlingOn = (env: Env): boolean => String(env.KINESIS_THROTTLING ?? "true") !== "false";
