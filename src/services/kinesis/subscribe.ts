/** SubscribeToShard: an `application/vnd.amazon.eventstream` response of SubscribeToShardEvents. */
import type { KinesisHandler } from "./context";

export const subscribeOperations: Record<string, KinesisHandler> = {};
