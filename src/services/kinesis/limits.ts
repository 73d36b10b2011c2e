/**
 * Account quotas and timings from configuration (wrangler.toml vars), with AWS's defaults.
 * https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html
 */
import type { StreamLimits } from "../../durable/catalog-object";
import type { KinesisContext } from "./context";
import { settingsOf } from "../../domain/settings";

/** The regions where AWS's default shard quota is 500 rather than 200. */
const LARGE_QUOTA_REGIONS = new Set(["us-east-1", "us-west-2", "eu-west-1"]);

/** On-demand streams per account (AWS default). */
export const ON_DEMAND_STREAM_LIMIT = 50;

export function shardLimit(env: Env, region: string): number {
  return settingsOf(env).kinesisShardLimit ?? (LARGE_QUOTA_REGIONS.has(region) ? 500 : 200);
}

export const streamLimits = (ctx: KinesisContext): StreamLimits => ({
  account: ctx.account,
  region: ctx.region,
  shardLimit: shardLimit(ctx.env, ctx.region),
  onDemandStreamLimit: ON_DEMAND_STREAM_LIMIT,
});
