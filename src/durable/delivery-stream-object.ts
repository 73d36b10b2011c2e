/**
 * DeliveryStreamObject: one Amazon Data Firehose delivery stream. It holds the stream's configuration
 * (versioned by UpdateDestination), its tags, every accepted record until delivered, the batches cut
 * from the buffer with their retry state, and delivery counters. One alarm, armed at the earliest of:
 * a status change due, the buffer's interval running out, a batch's (re)try, the next source poll.
 * Records are in SQLite before PutRecord answers, so nothing acknowledged is lost to a crash; a batch
 * keeps its object key and request id across retries and restarts.
 */
import { DurableObject } from "cloudflare:workers";
import type { DeliveryStreamConfig, EncryptionState, StoredDestination } from "../domain/firehose/contract";
import { deliveryPlanOf } from "../domain/firehose/delivery-plan";
import {
  concurrentModification,
  invalidArgument,
  putOnKinesisSource,
  streamExists,
  streamNotActive,
  streamNotFound,
} from "../domain/firehose/errors";
import { afterFailure } from "../domain/firehose/retries";
import { fail, ok, type Result } from "../domain/errors";
import { settingsOf } from "../domain/settings";
import { Alarm, earliest } from "./alarm";
import { type BatchRow, type BatchStage, DeliveryBuffer } from "./delivery/buffer";
import { DeliveryCounters } from "./delivery/counters";
import { attemptBatch } from "./delivery/deliver";
import { KINESIS_SOURCE_MIGRATIONS, KinesisSourceReader, type KinesisSourceStatus } from "./delivery/kinesis-source";
import { DELIVERY_STREAM_MIGRATIONS } from "./delivery/schema";
import { MetaTable } from "./meta";
import { migrate } from "./sql";

/** Batches one alarm delivers at most before it yields (the next alarm goes on). */
const BATCHES_PER_ALARM = 50;

export interface DeliveryStreamStats {
  name: string;
  status: string;
  versionId: number;
  buffered: { records: number; bytes: number; oldestArrival?: number };
  batches: {
    id: number;
    stage: BatchStage;
    records: number;
    bytes: number;
    attempts: number;
    nextAt: number;
    lastError?: string;
    lastErrorCode?: string;
    key?: string;
  }[];
  counters: Record<string, number>;
  lastError?: { at: number; code: string; message: string };
  /** KinesisStreamAsSource: each shard's checkpoint and what was read from it. */
  source?: KinesisSourceStatus;
}

export class DeliveryStreamObject extends DurableObject<Env> {
  readonly #meta: MetaTable;
  readonly #buffer: DeliveryBuffer;
  readonly #counters: DeliveryCounters;
  readonly #alarm: Alarm;
  readonly #source: KinesisSourceReader;
  #config: DeliveryStreamConfig | undefined;
  #delivering: Promise<void> | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    migrate(sql, [...DELIVERY_STREAM_MIGRATIONS, ...KINESIS_SOURCE_MIGRATIONS]);
    this.#meta = new MetaTable(sql);
    this.#buffer = new DeliveryBuffer(sql, this.#meta);
    this.#counters = new DeliveryCounters(sql);
    this.#alarm = new Alarm(ctx.storage);
    this.#source = new KinesisSourceReader(sql, env);
    this.#config = this.#meta.get<DeliveryStreamConfig>("config");
    void ctx.blockConcurrencyWhile(async () => {
      await this.#alarm.load();
      this.#rearm(Date.now());
    });
  }

  // ---- control plane ----------------------------------------------------------------------------

  create(config: DeliveryStreamConfig, tags: Record<string, string>): Result<null> {
    if (this.#config) return fail(streamExists(config.name, config.account));
    this.ctx.storage.transactionSync(() => {
      this.#meta.set("config", config);
      this.#meta.set("tags", tags);
      this.#meta.set("status_due", config.createdAt + this.#delay());
    });
    this.#config = config;
    this.#rearm(Date.now());
    return ok(null);
  }

  describe(): Result<{ config: DeliveryStreamConfig; tags: Record<string, string> }> {
    const config = this.#settled();
    if (!config) return fail(this.#notFound());
    return ok({ config, tags: this.#meta.get<Record<string, string>>("tags") ?? {} });
  }

  /** DeleteDeliveryStream: DELETING now, gone after the status delay (buffered data is dropped, as on AWS). */
  destroy(): Result<DeliveryStreamConfig> {
    const config = this.#settled();
    if (!config) return fail(this.#notFound());
    if (config.status === "DELETING") return ok(config);
    const now = Date.now();
    this.#setConfig({ ...config, status: "DELETING" });
    this.#meta.set("status_due", now + this.#delay());
    this.#rearm(now);
    return ok(config);
  }

  updateDestination(expectedVersion: number, destinationId: string, next: StoredDestination): Result<null> {
    const config = this.#settled();
    if (!config) return fail(this.#notFound());
    if (config.status !== "ACTIVE") return fail(streamNotActive(config.name, config.account, config.status));
    if (destinationId !== config.destination.id)
      return fail(
        invalidArgument(`Destination ${destinationId} not found for Firehose ${config.name} under account ${config.account}.`),
      );
    if (expectedVersion !== config.versionId)
      return fail(
        concurrentModification(
          `Cannot update firehose: ${config.name} since the current version id: ${config.versionId} and specified version id: ${expectedVersion} do not match`,
        ),
      );
    this.#setConfig({ ...config, destination: next, versionId: config.versionId + 1, lastUpdatedAt: Date.now() });
    return ok(null);
  }

  tags(): Result<Record<string, string>> {
    if (!this.#settled()) return fail(this.#notFound());
    return ok(this.#meta.get<Record<string, string>>("tags") ?? {});
  }

  /** Adds and removes tags; `limit` is checked on the result (AWS: 50 per delivery stream). */
  tag(add: Record<string, string>, remove: string[], limit: number, limitMessage: string): Result<null> {
    const config = this.#settled();
    if (!config) return fail(this.#notFound());
    const tags = { ...(this.#meta.get<Record<string, string>>("tags") ?? {}), ...add };
    for (const key of remove) delete tags[key];
    if (Object.keys(tags).length > limit) return fail({ code: "LimitExceededException", message: limitMessage });
    this.#meta.set("tags", tags);
    return ok(null);
  }

  /** Start/StopDeliveryStreamEncryption: ENABLING/DISABLING now, settled after the status delay. */
  setEncryption(next: EncryptionState): Result<null> {
    const config = this.#settled();
    if (!config) return fail(this.#notFound());
    if (config.status !== "ACTIVE") return fail(streamNotActive(config.name, config.account, config.status));
    const now = Date.now();
    this.#setConfig({ ...config, encryption: next });
    this.#meta.set("encryption_due", now + this.#delay());
    this.#rearm(now);
    return ok(null);
  }

  // ---- data plane -------------------------------------------------------------------------------

  /** PutRecord / PutRecordBatch (and SNS deliveries): every record is stored before this returns. */
  put(records: Uint8Array[], options: { direct: boolean } = { direct: true }): Result<{ encrypted: boolean }> {
    const config = this.#settled();
    if (!config || config.status === "DELETING") return fail(this.#notFound());
    if (options.direct && config.type === "KinesisStreamAsSource") return fail(putOnKinesisSource());
    if (config.status !== "ACTIVE")
      return fail({
        code: "ResourceNotFoundException",
        message: `Firehose ${config.name} under account ${config.account} is not ACTIVE.`,
      });
    const now = Date.now();
    let bytes = 0;
    for (const r of records) bytes += r.length;
    this.ctx.storage.transactionSync(() => {
      this.#buffer.append(records, now);
      this.#counters.add("incomingRecords", records.length);
      this.#counters.add("incomingBytes", bytes);
    });
    this.#cutIfDue(config, now);
    this.#rearm(now);
    return ok({ encrypted: config.encryption.status === "ENABLED" });
  }

  /** Developer route: cut the buffer and deliver every batch now, retries included; waits for it. */
  async flush(): Promise<DeliveryStreamStats | undefined> {
    const config = this.#settled();
    if (!config) return undefined;
    const now = Date.now();
    if (config.source?.kinesis && config.status === "ACTIVE") await this.#pollSource(config, now);
    this.#cut(config, now);
    await this.#deliverAll(Number.MAX_SAFE_INTEGER);
    this.#rearm(Date.now());
    return this.stats();
  }

  stats(): DeliveryStreamStats | undefined {
    const config = this.#settled();
    if (!config) return undefined;
    const pending = this.#buffer.pending;
    return {
      name: config.name,
      status: config.status,
      versionId: config.versionId,
      buffered: { records: pending.count, bytes: pending.bytes, oldestArrival: pending.oldest },
      batches: this.#buffer.batches().map((b) => ({
        id: b.id,
        stage: b.stage,
        records: b.records,
        bytes: b.bytes,
        attempts: b.attempts,
        nextAt: b.next_at,
        lastError: b.last_error ?? undefined,
        lastErrorCode: b.last_error_code ?? undefined,
        key: b.object_key ?? undefined,
      })),
      counters: this.#counters.all(),
      lastError: this.#meta.get("last_error"),
      source: this.#source.status(),
    };
  }

  override async alarm(): Promise<void> {
    this.#alarm.fired();
    const now = Date.now();
    const config = this.#settled();
    if (config && config.status === "ACTIVE") {
      if (config.source?.kinesis) await this.#pollSource(config, now);
      this.#cutIfDue(config, now);
      await this.#deliverAll(now);
    }
    this.#rearm(Date.now());
  }

  // ---- internals --------------------------------------------------------------------------------

  #delay(): number {
    return settingsOf(this.env).firehoseStatusDelayMs;
  }

  /** ResourceNotFoundException for this object's stream: its name and account come from the object's name. */
  #notFound() {
    // objectName(): `delivery-stream:<account>:<region>:<name>` (names cannot hold a colon).
    const [, account = "", , name = ""] = (this.ctx.id.name ?? "").split(":");
    return streamNotFound(name, account);
  }

  #setConfig(config: DeliveryStreamConfig): void {
    this.#meta.set("config", config);
    this.#config = config;
  }

  /** The configuration with every status change that is due applied (CREATING → ACTIVE, DELETING → gone). */
  #settled(): DeliveryStreamConfig | undefined {
    const config = this.#config;
    if (!config) return undefined;
    const now = Date.now();
    const statusDue = this.#meta.get<number>("status_due");
    if (statusDue !== undefined && statusDue <= now) {
      if (config.status === "CREATING") {
        this.ctx.storage.transactionSync(() => {
          this.#setConfig({ ...config, status: "ACTIVE" });
          this.#meta.delete("status_due");
          if (config.source?.kinesis) this.#source.start(config.source.kinesis);
        });
      } else if (config.status === "DELETING") {
        this.ctx.storage.transactionSync(() => {
          this.#buffer.clear();
          this.#source.clear();
          this.#meta.delete("config");
          this.#meta.delete("tags");
          this.#meta.delete("status_due");
          this.#meta.delete("encryption_due");
        });
        this.#config = undefined;
        return undefined;
      }
    }
    const encryptionDue = this.#meta.get<number>("encryption_due");
    const current = this.#config!;
    if (encryptionDue !== undefined && encryptionDue <= now) {
      const status =
        current.encryption.status === "ENABLING"
          ? "ENABLED"
          : current.encryption.status === "DISABLING"
            ? "DISABLED"
            : current.encryption.status;
      this.ctx.storage.transactionSync(() => {
        this.#setConfig({ ...current, encryption: { ...current.encryption, status } });
        this.#meta.delete("encryption_due");
      });
    }
    return this.#config;
  }

  /** Cuts the buffer when it is full or its oldest record has waited the interval. */
  #cutIfDue(config: DeliveryStreamConfig, now: number): void {
    const plan = deliveryPlanOf(config.destination);
    const pending = this.#buffer.pending;
    if (pending.count === 0) return;
    if (pending.bytes >= plan.sizeBytes || plan.intervalMs === 0 || pending.oldest! + plan.intervalMs <= now)
      this.#cut(config, now);
  }

  #cut(config: DeliveryStreamConfig, now: number): void {
    const plan = deliveryPlanOf(config.destination);
    const stages: BatchStage[] = ["primary"];
    if (plan.backup.mode === "AllData" || plan.backup.mode === "Source") stages.push("copy");
    this.ctx.storage.transactionSync(() => this.#buffer.cut(plan.sizeBytes, stages, now, () => crypto.randomUUID()));
  }

  async #pollSource(config: DeliveryStreamConfig, now: number): Promise<void> {
    const read = await this.#source.poll(
      config.source!.kinesis!,
      now,
      (records, arrival) => {
        this.#buffer.append(records, arrival);
        this.#counters.add("sourceRecords", records.length);
        this.#counters.add("incomingRecords", records.length);
        let bytes = 0;
        for (const r of records) bytes += r.length;
        this.#counters.add("incomingBytes", bytes);
      },
      (fn) => this.ctx.storage.transactionSync(fn),
    );
    if (read) this.#cutIfDue(config, now);
  }

  /** Delivers due batches, one at a time; a second caller waits for the running pass, then runs its own. */
  async #deliverAll(dueBy: number): Promise<void> {
    while (this.#delivering) await this.#delivering;
    const run = (async () => {
      const limit = dueBy === Number.MAX_SAFE_INTEGER ? Infinity : BATCHES_PER_ALARM;
      const tried = new Set<number>();
      for (let n = 0; n < limit; n++) {
        const config = this.#config;
        if (!config || config.status !== "ACTIVE") return;
        const batch = this.#buffer.due(dueBy);
        if (!batch || tried.has(batch.id)) return;
        tried.add(batch.id);
        await this.#attempt(config, batch);
      }
    })();
    this.#delivering = run;
    try {
      await run;
    } finally {
      this.#delivering = undefined;
    }
  }

  async #attempt(config: DeliveryStreamConfig, batch: BatchRow): Promise<void> {
    const plan = deliveryPlanOf(config.destination);
    const now = Date.now();
    let key: string | null = batch.object_key;
    const outcome = await attemptBatch(
      {
        env: this.env,
        config,
        plan,
        buffer: this.#buffer,
        now,
        fixKey: (k) => (key = k),
        httpTimeoutMs: settingsOf(this.env).firehoseHttpTimeoutMs,
      },
      batch,
    );
    const done = Date.now();
    this.ctx.storage.transactionSync(() => {
      this.#buffer.attempting(batch, now, key);
      if (outcome.ok) {
        this.#buffer.complete(batch);
        if (batch.stage === "primary") {
          this.#counters.add("deliveredRecords", outcome.records);
          this.#counters.add("deliveredBytes", outcome.bytes);
        } else if (batch.stage === "failed") this.#counters.add("backedUpRecords", outcome.records);
        if (outcome.key) this.#counters.add("deliveredObjects", 1);
        else this.#counters.add("httpRequests", 1);
        return;
      }
      const error = { code: outcome.code, message: outcome.message };
      this.#counters.add("failedAttempts", 1);
      this.#meta.set("last_error", { at: done, ...error });
      const http = batch.stage === "primary" && plan.http !== undefined;
      // A permanent refusal (HTTP 413) is not retried: the records go to the backup at once.
      const decision = outcome.permanent
        ? { giveUp: true as const }
        : afterFailure(http ? "primary-http" : "s3", batch.attempts + 1, batch.first_attempt_at ?? now, done, plan.retryMs);
      if ("retryAt" in decision) this.#buffer.retryAt(batch, decision.retryAt, error);
      else if (http) this.#buffer.toFailed(batch, done, error, crypto.randomUUID());
      else {
        this.#counters.add("droppedRecords", batch.records);
        this.#buffer.complete(batch);
      }
    });
  }

  #rearm(now: number): void {
    const config = this.#config;
    if (!config) return this.#alarm.arm(undefined, now, true);
    const statusDue = this.#meta.get<number>("status_due");
    const encryptionDue = this.#meta.get<number>("encryption_due");
    let bufferDue: number | undefined;
    let sourceDue: number | undefined;
    if (config.status === "ACTIVE") {
      const pending = this.#buffer.pending;
      if (pending.count) bufferDue = pending.oldest! + deliveryPlanOf(config.destination).intervalMs;
      if (config.source?.kinesis) sourceDue = this.#source.nextPollAt(now);
    }
    this.#alarm.arm(earliest(statusDue, encryptionDue, bufferDue, this.#buffer.nextDue(), sourceDue), now, true);
  }
}
