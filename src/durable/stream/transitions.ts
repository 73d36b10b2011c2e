/**
 * How a stream's CREATING, UPDATING and DELETING end: ACTIVE (applying a pending reshard first), or
 * gone (shards destroyed, catalog entry dropped, storage wiped). StreamObject runs this from its
 * alarm, and from any call that finds the transition due, so callers always see the status as of now.
 */
import type { CatalogObject } from "../catalog-object";
import type { ShardObject } from "../shard-object";
import { newShard, isOpen } from "../../domain/kinesis/shard-map";
import type { StreamStore } from "./store";
import type { CreateStreamRequest, ReshardPlan, ShardInfo, ShardSpec, StreamState } from "../../domain/kinesis/contract";
import { shardIdOf } from "../../domain/kinesis/sequence-numbers";

/** What completing a transition needs from the object: storage, the catalog and the shard objects. */
export interface TransitionPorts {
  store: StreamStore;
  catalog(state: StreamState): DurableObjectStub<CatalogObject>;
  shard(state: StreamState, shardId: string): DurableObjectStub<ShardObject>;
  spec(state: StreamState, shard: ShardInfo): ShardSpec;
  transaction(fn: () => void): void;
  /** Deletes every row (and the alarm) and re-creates the empty schema. */
  wipe(): Promise<void>;
}

export async function completeTransition(ports: TransitionPorts, state: StreamState): Promise<void> {
  const { store } = ports;
  const catalog = ports.catalog(state);
  if (state.status === "DELETING") {
    await Promise.all(store.shards().map((s) => ports.shard(state, s.shardId).destroy()));
    await catalog.unregisterStream(state.name, state.createdAt);
    await ports.wipe();
    return;
  }
  const next: StreamState = { ...state, status: "ACTIVE", statusDueAt: undefined, pendingReshard: undefined };
  if (state.pendingReshard) await applyReshard(ports, next, state.pendingReshard);
  store.save(next);
  await catalog.updateStream(state.name, state.createdAt, { status: "ACTIVE", openShards: store.shards().filter(isOpen).length });
}

/**
 * Opens the children first (so no writer is ever routed to a shard that is not ready), then closes
 * the parents (their objects answer the ending sequence numbers), then records both in one write.
 * UpdateShardCount's short-lived children are opened and closed with the rest: readers following
 * the lineage pass through them (empty, ended) to the open shards.
 */
async function applyReshard(ports: TransitionPorts, state: StreamState, plan: ReshardPlan): Promise<void> {
  const now = Date.now();
  const base = ports.store.nextShardIndex();
  // The plan's own children were numbered from plan.firstIndex; the store's next index is the truth.
  const index = (i: number) => (plan.firstIndex !== undefined && i >= plan.firstIndex ? i - plan.firstIndex + base : i);
  const children: ShardInfo[] = plan.create.map((c, i) =>
    newShard(base + i, { start: c.startingHashKey, end: c.endingHashKey }, now, {
      parent: index(c.parent),
      adjacentParent: c.adjacentParent === undefined ? undefined : index(c.adjacentParent),
    }),
  );
  await Promise.all(children.map((shard) => ports.shard(state, shard.shardId).open(ports.spec(state, shard))));
  const endings = await Promise.all(
    plan.close.map(index).map(async (i) => ({ index: i, ...(await ports.shard(state, shardIdOf(i)).close(now)) })),
  );
  ports.transaction(() => {
    ports.store.insertShards(children);
    for (const e of endings) ports.store.closeShard(e.index, e.endingSequenceNumber, now);
  });
}

/** A new stream's settings: CREATING until the status delay has passed, AWS's defaults otherwise. */
export const initialState = (req: CreateStreamRequest, now: number, statusDelayMs: number): StreamState => ({
  account: req.account,
  region: req.region,
  name: req.name,
  arn: req.arn,
  createdAt: now,
  status: "CREATING",
  statusDueAt: now + statusDelayMs,
  mode: req.mode,
  retentionHours: 24,
  maxRecordSizeKiB: req.maxRecordSizeKiB,
  encryptionType: "NONE",
  shardLevelMetrics: [],
  warmThroughputMiBps: req.mode === "ON_DEMAND" ? req.warmThroughputMiBps : undefined,
});

/** What a shard object is told about itself; throttling applies to provisioned streams only. */
export const shardSpec = (state: StreamState, shard: ShardInfo, throttling: boolean): ShardSpec => ({
  account: state.account,
  region: state.region,
  streamName: state.name,
  streamArn: state.arn,
  streamCreatedAt: state.createdAt,
  shard,
  retentionHours: state.retentionHours,
  throttled: throttling && state.mode === "PROVISIONED",
});
