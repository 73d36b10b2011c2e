/**
 * StreamObject: one per Kinesis stream. Holds the stream's settings, shard map, tags and consumers
 * in SQLite; its alarm completes status transitions (CREATING → ACTIVE, UPDATING → ACTIVE with any
 * pending reshard applied, DELETING → gone) after KINESIS_STATUS_DELAY_MS. Rules live in plain
 * modules under ./stream/; this class sequences storage, the catalog and the shard objects.
 */
import { DurableObject } from "cloudflare:workers";
import { fail, ok, type ErrorInfo, type Result } from "../domain/errors";
import { resourceInUse, shardNotFound, streamNotFound } from "../domain/kinesis/errors";
import type { StreamLimits } from "./catalog-object";
import { Alarm } from "./alarm";
import { catalogObject, shardObject } from "./names";
import { migrate } from "./sql";
import { initialShards, isOpen, liveShards } from "../domain/kinesis/shard-map";
import { planReshard, type ReshardRequest } from "../domain/kinesis/reshard-plan";
import { STREAM_MIGRATIONS } from "./stream/schema";
import { applyChange, type ChangeOutput, type StreamChange } from "../domain/kinesis/stream-changes";
import { StreamStore } from "./stream/store";
import { readTags, resourcePolicy, tagTarget, writeTags } from "./stream/tagging";
import { completeTransition, initialState, shardSpec, type TransitionPorts } from "./stream/transitions";
import { settingsOf } from "../domain/settings";
import * as consumers from "./stream/consumers";
import type {
  CreateStreamRequest,
  ShardInfo,
  ShardSpec,
  StreamRouting,
  StreamState,
  StreamView,
} from "../domain/kinesis/contract";

export class StreamObject extends DurableObject<Env> {
  readonly #store: StreamStore;
  /** Due when the current status transition completes. */
  readonly #alarm: Alarm;
  /** A CreateStream is between its checks and its first write (the catalog call): refuse another. */
  #creating = false;
  /** CreateStream opening its shards: CREATING must not end before they are all open. */
  #opening: Promise<unknown> | null = null;
  /** Completion of a due transition in progress; concurrent callers wait for the same one. */
  #settling: Promise<void> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new StreamStore(ctx.storage.sql);
    this.#alarm = new Alarm(ctx.storage);
    void ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage.sql, STREAM_MIGRATIONS);
      await this.#alarm.load();
    });
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  /** CreateStream: registers with the catalog (quotas), stores the shard map, opens every shard. */
  async create(req: CreateStreamRequest): Promise<Result<null>> {
    await this.#settle();
    if (this.#creating || this.#store.state)
      return fail(resourceInUse(`Stream ${req.name} under account ${req.account} already exists.`));
    this.#creating = true;
    try {
      const now = Date.now();
      const shards = initialShards(req.shardCount, now);
      const reserved = await this.#catalog(req).reserveStream(
        { name: req.name, createdAt: now, status: "CREATING", mode: req.mode, openShards: req.shardCount },
        req,
      );
      if (!reserved.ok) return reserved;
      const state = initialState(req, now, this.#delayMs());
      this.ctx.storage.transactionSync(() => {
        this.#store.save(state);
        this.#store.insertShards(shards);
        this.#store.setTags(req.tags, []);
      });
      this.#arm();
      // Every shard is open before the stream can turn ACTIVE: #settle waits for this.
      this.#opening = Promise.all(shards.map((s) => this.#shard(state, s.shardId).open(this.#spec(state, s))));
      await this.#opening;
    } finally {
      this.#creating = false;
      this.#opening = null;
    }
    await this.#settle();
    return ok(null);
  }

  /**
   * What the Worker needs to route data-plane calls: status, every shard with its hash range, and
   * the incarnation (`createdAt`) that names the shard objects. ResourceNotFoundException when the
   * stream does not exist.
   */
  async routing(): Promise<Result<StreamRouting>> {
    await this.#settle();
    const state = this.#store.state;
    if (!state) return fail(this.#notFound());
    return ok({
      streamName: state.name,
      streamArn: state.arn,
      createdAt: state.createdAt,
      status: state.status,
      mode: state.mode,
      retentionHours: state.retentionHours,
      maxRecordSizeKiB: state.maxRecordSizeKiB,
      encryptionType: state.encryptionType,
      keyId: state.keyId,
      shards: this.#store.shards(),
    });
  }

  /** DescribeStream, DescribeStreamSummary, ListShards. */
  async view(): Promise<Result<StreamView>> {
    await this.#settle();
    const state = this.#store.state;
    if (!state) return fail(this.#notFound());
    const shards = liveShards(this.#store.shards(), state.retentionHours, Date.now());
    return ok({ state, shards, consumerCount: this.#store.consumerCount() });
  }

  /**
   * DeleteStream: allowed in any state (AWS accepts it while CREATING). The stream shows DELETING
   * until the status delay has passed; then its shards are destroyed and it is gone.
   */
  async destroy(enforceConsumerDeletion: boolean): Promise<Result<null>> {
    await this.#settle();
    const state = this.#store.state;
    if (!state) return fail(this.#notFound());
    if (!enforceConsumerDeletion && this.#store.consumerCount() > 0)
      return fail(
        resourceInUse(
          `Stream ${state.name} under account ${state.account} has registered consumers. ` +
            "Use the EnforceConsumerDeletion flag to delete the stream along with its consumers.",
        ),
      );
    if (state.status !== "DELETING") {
      const next: StreamState = { ...state, status: "DELETING", statusDueAt: Date.now() + this.#delayMs() };
      this.#store.save(next);
      await this.#catalog(state).updateStream(state.name, state.createdAt, { status: "DELETING" });
      this.#arm();
    }
    await this.#settle();
    return ok(null);
  }

  /** Retention, mode, record size, warm throughput, monitoring, encryption (see ../domain/kinesis/stream-changes.ts). */
  async change(change: StreamChange, limits?: StreamLimits): Promise<Result<ChangeOutput>> {
    await this.#settle();
    const state = this.#store.state;
    if (!state) return fail(this.#notFound());
    const result = applyChange(state, change);
    if (!result.ok) return result;
    if (limits && result.value.state.mode === "ON_DEMAND" && state.mode !== "ON_DEMAND") {
      const allowed = await this.#catalog(state).switchToOnDemand(state.name, state.createdAt, limits);
      if (!allowed.ok) return allowed;
    }
    const next = result.value.updating
      ? { ...result.value.state, status: "UPDATING" as const, statusDueAt: Date.now() + this.#delayMs() }
      : result.value.state;
    this.#store.save(next);
    if (result.value.updating || next.mode !== state.mode)
      await this.#catalog(state).updateStream(state.name, state.createdAt, { status: next.status, mode: next.mode });
    if (change.kind === "retention" && next.retentionHours !== state.retentionHours) {
      await Promise.all(this.#store.shards().map((s) => this.#shard(next, s.shardId).setRetention(next.retentionHours)));
    }
    if (next.mode !== state.mode) {
      // Throttling applies to provisioned streams only: the open shards learn their new spec.
      const open = this.#store.shards().filter(isOpen);
      await Promise.all(open.map((s) => this.#shard(next, s.shardId).open(this.#spec(next, s))));
    }
    this.#arm();
    await this.#settle();
    return ok(result.value.output);
  }

  /**
   * SplitShard / MergeShards / UpdateShardCount, planned here against the current shard map (see
   * ../domain/kinesis/reshard-plan.ts): the stream goes UPDATING and the plan is applied when that
   * ends. The open shards a plan adds are reserved against the account's quota first.
   */
  async reshard(request: ReshardRequest, limits: StreamLimits): Promise<Result<{ openShards: number }>> {
    await this.#settle();
    const state = this.#store.state;
    if (!state) return fail(this.#notFound());
    const now = Date.now();
    const shards = this.#store.shards();
    const openShards = shards.filter(isOpen).length;
    const planned = planReshard(state, shards, request, { shardLimit: limits.shardLimit, now });
    if (!planned.ok) return planned;
    const { plan, scalingHistory } = planned.value;
    if (plan.create.length === 0) return ok({ openShards });
    const additional = plan.create.length - plan.close.length;
    const reserved = await this.#catalog(state).reserveShards(state.name, state.createdAt, additional, limits);
    if (!reserved.ok) return reserved;
    this.#store.save({
      ...state,
      status: "UPDATING",
      statusDueAt: now + this.#delayMs(),
      pendingReshard: plan,
      scalingHistory,
    });
    await this.#catalog(state).updateStream(state.name, state.createdAt, { status: "UPDATING" });
    this.#arm();
    await this.#settle();
    return ok({ openShards });
  }

  // ---- tags and policies (./stream/tagging.ts) -----------------------------------------------

  /** Tags of the stream, or of one of its consumers (by ARN). */
  async tags(consumerArn?: string): Promise<Result<Record<string, string>>> {
    await this.#settle();
    const target = tagTarget(this.#store, consumerArn, () => this.#notFound());
    return target.ok ? ok(readTags(this.#store, target.value)) : target;
  }

  /** Adds and removes tags; at most 50 per resource (`limitMessage` is the operation's wording). */
  async tag(
    set: Record<string, string>,
    remove: string[],
    options: { consumerArn?: string; limitMessage: string },
  ): Promise<Result<null>> {
    await this.#settle();
    const target = tagTarget(this.#store, options.consumerArn, () => this.#notFound());
    return target.ok ? writeTags(this.#store, target.value, { set, remove, limitMessage: options.limitMessage }) : target;
  }

  /** Get/Put/DeleteResourcePolicy on the stream or a consumer; `{ policy: undefined }` deletes. */
  async policy(consumerArn: string | undefined, update?: { policy: string | undefined }): Promise<Result<string | undefined>> {
    await this.#settle();
    const target = tagTarget(this.#store, consumerArn, () => this.#notFound());
    return target.ok ? ok(resourcePolicy(this.#store, target.value, update)) : target;
  }

  // ---- alarm and transitions -------------------------------------------------------------------

  override async alarm(): Promise<void> {
    this.#alarm.fired();
    await this.#settle();
    this.#arm();
  }

  /** Completes the current transition if it is due (idempotent; the alarm and every call run it). */
  async #settle(): Promise<void> {
    while (this.#settling) await this.#settling;
    const state = this.#store.state;
    if (!state || state.statusDueAt === undefined || state.statusDueAt > Date.now()) return;
    if (state.status === "CREATING" && this.#opening) {
      // Not ACTIVE before every shard is open: finish what the state shows now, after the opens.
      await this.#opening.catch(() => undefined);
      return this.#settle();
    }
    this.#settling = completeTransition(this.#ports(), state).finally(() => {
      this.#settling = null;
    });
    await this.#settling;
  }

  /** Arms the alarm at the earliest due time (status transitions; room for consumers' timers). */
  #arm(): void {
    this.#alarm.arm(this.#store.state?.statusDueAt, Date.now());
  }

  // ---- helpers ---------------------------------------------------------------------------------

  #ports(): TransitionPorts {
    return {
      store: this.#store,
      catalog: (state) => this.#catalog(state),
      shard: (state, shardId) => this.#shard(state, shardId),
      spec: (state, shard) => this.#spec(state, shard),
      transaction: (fn) => this.ctx.storage.transactionSync(fn),
      wipe: async () => {
        await this.#alarm.clear();
        await this.ctx.storage.deleteAll();
        this.#store.forget();
        migrate(this.ctx.storage.sql, STREAM_MIGRATIONS);
      },
    };
  }

  readonly #delayMs = (): number => settingsOf(this.env).kinesisStatusDelayMs;

  #catalog(ref: { account: string; region: string }) {
    return catalogObject(this.env, ref.account, ref.region);
  }

  #shard({ account, region, name, createdAt }: StreamState, shardId: string) {
    return shardObject(this.env, { account, region, stream: name, createdAt, shardId });
  }

  readonly #spec = (state: StreamState, shard: ShardInfo): ShardSpec =>
    shardSpec(state, shard, settingsOf(this.env).kinesisThrottling);

  /** "Stream X under account Y not found.", naming the stream from this object's own name. */
  #notFound(): ErrorInfo {
    const [, account = "", , ...rest] = (this.ctx.id.name ?? "").split(":");
    return streamNotFound(rest.join(":"), account);
  }

  // ---- Consumers -------------------------------------------------------------------------------
  // Enhanced fan-out: RegisterStreamConsumer, DescribeStreamConsumer, ListStreamConsumers,
  // DeregisterStreamConsumer and the SubscribeToShard leases. Rules and SQL in ./stream/consumers.ts;
  // these methods settle the stream, find it, and delegate.

  async registerConsumer(name: string, tags: Record<string, string>): Promise<Result<consumers.ConsumerInfo>> {
    const stream = await this.#consumerStream();
    if (!stream.ok) return stream;
    const sql = this.ctx.storage.sql;
    return this.ctx.storage.transactionSync(() =>
      consumers.registerConsumer(sql, stream.value, { name, tags, now: Date.now(), delayMs: this.#delayMs() }),
    );
  }

  async describeConsumer(key: consumers.ConsumerKey): Promise<Result<consumers.ConsumerInfo & { streamArn: string }>> {
    const stream = await this.#consumerStream();
    if (!stream.ok) return stream;
    const found = consumers.describeConsumer(this.ctx.storage.sql, stream.value, key, Date.now());
    return found.ok ? ok({ ...found.value, streamArn: stream.value.arn }) : found;
  }

  /** One page of consumers; `streamCreatedAt` (epoch ms), when given, must be this incarnation's. */
  async listConsumers(
    after: { createdAt: number; name: string } | undefined,
    limit: number,
    streamCreatedAt?: number,
  ): Promise<Result<{ consumers: consumers.ConsumerInfo[]; more: boolean; streamCreatedAt: number }>> {
    const stream = await this.#consumerStream();
    if (!stream.ok) return stream;
    const state = this.#store.state!;
    if (streamCreatedAt !== undefined && Math.abs(streamCreatedAt - state.createdAt) >= 1000) return fail(this.#notFound());
    const page = consumers.listConsumers(this.ctx.storage.sql, after, limit, Date.now());
    return ok({ ...page, streamCreatedAt: state.createdAt });
  }

  async deregisterConsumer(key: consumers.ConsumerKey): Promise<Result<null>> {
    const stream = await this.#consumerStream();
    if (!stream.ok) return stream;
    const sql = this.ctx.storage.sql;
    const done = this.ctx.storage.transactionSync(() =>
      consumers.deregisterConsumer(sql, stream.value, key, Date.now(), this.#delayMs()),
    );
    return done.ok ? ok(null) : done;
  }

  /**
   * SubscribeToShard: the consumer must be ACTIVE and the shard one of this stream's; grants the
   * consumer's lease on the shard (a later subscription takes it over, see consumers.acquireLease).
   */
  async subscribeToShard(consumerArn: string, shardId: string): Promise<Result<SubscriptionGrant>> {
    const stream = await this.#consumerStream();
    if (!stream.ok) return stream;
    const state = this.#store.state!;
    const shard = this.#store.shards().find((s) => s.shardId === shardId);
    const sql = this.ctx.storage.sql;
    const granted = this.ctx.storage.transactionSync(() =>
      consumers.acquireLease(sql, stream.value, { consumerArn, shardId, now: Date.now() }),
    );
    if (!granted.ok) return granted;
    if (!shard) {
      consumers.releaseLease(sql, granted.value.consumer.name, shardId, granted.value.lease);
      return fail(shardNotFound(shardId, state));
    }
    return ok({
      lease: granted.value.lease,
      consumerName: granted.value.consumer.name,
      streamCreatedAt: state.createdAt,
      shard,
      throttled: state.mode === "PROVISIONED" && settingsOf(this.env).kinesisThrottling,
    });
  }

  /** Asked every 2 s by a running subscription: may it go on, and (for a closed shard) its children. */
  async subscriptionState(
    consumerName: string,
    shardId: string,
    lease: string,
  ): Promise<{ state: consumers.LeaseState; children: consumers.ChildShard[] }> {
    await this.#settle();
    if (!this.#store.state) return { state: "consumer-gone", children: [] };
    const state = consumers.leaseState(this.ctx.storage.sql, consumerName, shardId, lease, Date.now());
    return { state, children: consumers.childShards(this.#store.shards(), shardId) };
  }

  /** The subscription ended (time up, client gone): the consumer may subscribe again at once. */
  async endSubscription(consumerName: string, shardId: string, lease: string): Promise<void> {
    if (!this.#store.state) return;
    consumers.releaseLease(this.ctx.storage.sql, consumerName, shardId, lease);
  }

  /** The stream a consumer call is on; not found when it does not exist. */
  async #consumerStream(): Promise<Result<consumers.StreamRef>> {
    await this.#settle();
    const state = this.#store.state;
    if (!state) return fail(this.#notFound());
    return ok({ name: state.name, arn: state.arn, account: state.account, status: state.status });
  }
}

/** What SubscribeToShard needs to read the shard for the consumer (see StreamObject.subscribeToShard). */
export interface SubscriptionGrant {
  lease: string;
  consumerName: string;
  /** The stream incarnation: names the shard objects. */
  streamCreatedAt: number;
  shard: ShardInfo;
  /** Provisioned stream with throttling on: the 2 MiB/s per consumer and shard applies. */
  throttled: boolean;
}
