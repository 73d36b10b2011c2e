/**
 * BucketObject: one S3 bucket (named by the bucket's name: names are global in a deployment, as on
 * AWS). It owns the bucket's settings, its objects and their bytes. Bodies arrive as ReadableStreams
 * over RPC and are written chunk by chunk as they arrive (object-data.ts); an object becomes visible
 * only when its row is written, in one transaction, after all of its bytes are (object-index.ts);
 * bytes that never became an object, or stopped being one, are swept by the alarm (data-ledger.ts).
 */
import { DurableObject } from "cloudflare:workers";
import { fail, ok, type Result } from "../domain/errors";
import type {
  Access,
  BucketInfo,
  DataSegment,
  ObjectRecord,
  ObjectWrite,
  ReadOptions,
  ReadResult,
  Tag,
  WriteOptions,
  WrittenData,
} from "../domain/s3/contract";
import { accessDenied, bucketNotEmpty, entityTooLarge, incompleteBody, noSuchBucket, noSuchKey } from "../domain/s3/errors";
import { Alarm } from "./alarm";
import { DataLedger, GARBAGE_GRACE_MS } from "./bucket/data-ledger";
import { SqlObjectData } from "./bucket/object-data";
import { ObjectIndex } from "./bucket/object-index";
import { planRead, planWrite } from "./bucket/read-plan";
import { BUCKET_MIGRATIONS } from "./bucket/schema";
import { MetaTable } from "./meta";
import { migrate } from "./sql";

/** Chunks removed per alarm run, so one sweep never holds the object for long. */
const SWEEP_CHUNKS = 256;

const withoutSegments = ({ segments: _, ...rest }: ObjectRecord): Omit<ObjectRecord, "segments"> => rest;

export class BucketObject extends DurableObject<Env> {
  readonly #meta: MetaTable;
  readonly #index: ObjectIndex;
  readonly #ledger: DataLedger;
  readonly #data: SqlObjectData;
  readonly #alarm: Alarm;
  #bucket: BucketInfo | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    migrate(sql, BUCKET_MIGRATIONS);
    this.#meta = new MetaTable(sql);
    this.#index = new ObjectIndex(sql);
    this.#ledger = new DataLedger(sql);
    this.#data = new SqlObjectData(sql, (id) => this.#ledger.begin(id));
    this.#alarm = new Alarm(ctx.storage);
    this.#bucket = this.#meta.get<BucketInfo>("bucket");
    void ctx.blockConcurrencyWhile(async () => {
      await this.#alarm.load();
      const now = Date.now();
      this.#ledger.abandonUnfinished(now);
      this.#alarm.arm(this.#ledger.nextDue(), now);
    });
  }

  /** Creates the bucket; when it exists already, says who has it (the caller words the refusal). */
  create(bucket: BucketInfo): { created: true } | { created: false; existing: BucketInfo } {
    if (this.#bucket) return { created: false, existing: this.#bucket };
    this.#meta.set("bucket", bucket);
    this.#bucket = bucket;
    return { created: true };
  }

  info(): BucketInfo | undefined {
    return this.#bucket;
  }

  /** The bucket if the caller may see it (HeadBucket, GetBucketLocation, and every other bucket call). */
  describe(access: Access): Result<BucketInfo> {
    return this.#bucketFor(access);
  }

  /** Deletes the (empty) bucket. */
  destroy(access: Access): Result<BucketInfo> {
    const found = this.#bucketFor(access);
    if (!found.ok) return found;
    const bucket = found.value;
    if (!this.#index.isEmpty()) return fail(bucketNotEmpty(bucket.name));
    this.#meta.delete("bucket");
    this.#bucket = undefined;
    return ok(bucket);
  }

  /** Writes a body under a new data id; it becomes an object's with putObject, else it is swept. */
  async writeData(
    access: Access,
    body: ReadableStream<Uint8Array> | Uint8Array,
    options: WriteOptions,
  ): Promise<Result<WrittenData>> {
    const found = this.#bucketFor(access);
    if (!found.ok) {
      if (body instanceof ReadableStream) await body.cancel().catch(() => {});
      return found;
    }
    const written = await this.#data.write(body, options);
    if (!written.ok) {
      this.discardData(written.dataId);
      return fail(written.reason === "too-large" ? entityTooLarge(written.size, options.maxBytes) : incompleteBody());
    }
    const now = Date.now();
    this.#ledger.written(written.value.dataId, written.value.size, now);
    this.#alarm.arm(this.#ledger.nextDue(), now);
    return ok(written.value);
  }

  /** Written data the request decided not to keep (a checksum did not match). */
  discardData(dataId: string): void {
    const now = Date.now();
    this.#ledger.garbage(dataId, now);
    this.#alarm.arm(now, now);
  }

  /**
   * Keeps written data without a deadline (UploadPart: a part waits for CompleteMultipartUpload,
   * which passes the parts' data as the object's segments, or for AbortMultipartUpload, which
   * discards them). False when the data is not written (swept, or unknown).
   */
  holdData(access: Access, dataId: string): Result<boolean> {
    const found = this.#bucketFor(access);
    if (!found.ok) return found;
    return ok(this.#ledger.hold(dataId));
  }

  /** Replaces an object's tags (Put/DeleteObjectTagging); NoSuchKey when there is no such object. */
  setObjectTags(access: Access, key: string, tags: Tag[]): Result<void> {
    const found = this.#find(access, key);
    if (!found.ok) return found;
    this.#index.setTags(key, tags);
    return ok(undefined);
  }

  /** Makes written data an object, replacing the key's previous object in the same transaction. */
  putObject(access: Access, write: ObjectWrite, conditions: Record<string, string> = {}): Result<Omit<ObjectRecord, "segments">> {
    const found = this.#bucketFor(access);
    if (!found.ok) return found;
    const missing = write.segments.find((s) => !this.#ledger.isWritten(s.dataId));
    if (missing) throw new Error(`data ${missing.dataId} is not written (swept, or never was)`);
    // Checked against the object as it is now, in the same synchronous step as the swap: no other
    // write can come between (conditional PUT: If-None-Match: *, If-Match).
    const allowed = planWrite(this.#index.get(write.key), conditions);
    if (!allowed.ok) return allowed;
    const now = Date.now();
    const record = this.ctx.storage.transactionSync(() => {
      const { record, replaced } = this.#index.put(write, now);
      for (const s of write.segments) this.#ledger.live(s.dataId);
      for (const s of replaced?.segments ?? []) this.#ledger.garbage(s.dataId, now + GARBAGE_GRACE_MS);
      this.#objectChanged({ kind: "created", object: record, now });
      return record;
    });
    this.#alarm.arm(this.#ledger.nextDue(), now);
    return ok(withoutSegments(record));
  }

  headObject(access: Access, key: string, options: ReadOptions = {}): Result<ReadResult> {
    const found = this.#find(access, key);
    if (!found.ok) return found;
    const plan = planRead(found.value, options);
    if (!plan.ok) return plan;
    return ok({ object: withoutSegments(found.value), ...plan.value });
  }

  /**
   * The object, and where the bytes to serve are: the caller reads them with readChunk, at its
   * client's pace (see object-data.ts).
   */
  getObject(access: Access, key: string, options: ReadOptions = {}): Result<ReadResult & { segments: DataSegment[] }> {
    const found = this.#find(access, key);
    if (!found.ok) return found;
    const object = found.value;
    const plan = planRead(object, options);
    if (!plan.ok) return plan;
    return ok({ object: withoutSegments(object), ...plan.value, segments: object.segments });
  }

  /** One chunk of an object's data (undefined once swept: the object was replaced long ago). */
  readChunk(dataId: string, seq: number): Uint8Array | undefined {
    return this.#data.readChunk(dataId, seq);
  }

  /** Deletes the key's object (S3 answers the same whether there was one). */
  deleteObject(access: Access, key: string): Result<{ deleted: boolean }> {
    const found = this.#bucketFor(access);
    if (!found.ok) return found;
    const now = Date.now();
    const removed = this.ctx.storage.transactionSync(() => {
      const removed = this.#index.delete(key);
      for (const s of removed?.segments ?? []) this.#ledger.garbage(s.dataId, now + GARBAGE_GRACE_MS);
      if (removed) this.#objectChanged({ kind: "removed", object: removed, now });
      return removed;
    });
    this.#alarm.arm(this.#ledger.nextDue(), now);
    return ok({ deleted: removed !== undefined });
  }

  /**
   * Objects in key order for listings: up to `limit` with keys after `after` under `prefix`.
   * (Delimiters, CommonPrefixes and continuation tokens are src/domain/s3/listing.ts's to build on this.)
   */
  scanObjects(access: Access, page: { prefix: string; after?: string; limit: number }): Result<Omit<ObjectRecord, "segments">[]> {
    const found = this.#bucketFor(access);
    if (!found.ok) return found;
    return ok(this.#index.scan(page.prefix, page.after, page.limit).map(withoutSegments));
  }

  /** Object and byte counts, for introspection. */
  stats(): { objects: number; bytes: number } {
    return this.#index.count();
  }

  override async alarm(): Promise<void> {
    this.#alarm.fired();
    const now = Date.now();
    let budget = SWEEP_CHUNKS;
    for (const dataId of this.#ledger.due(now, 64)) {
      if (budget <= 0) break;
      const { removed, done } = this.#data.delete(dataId, budget);
      budget -= Math.max(removed, 1);
      if (done) this.#ledger.forget(dataId);
    }
    this.#alarm.arm(this.#ledger.nextDue(), Date.now(), true);
  }

  /**
   * Hook, inside the transaction that made the change: where S3 event notifications add their outbox
   * row (src/durable/bucket/notification-outbox.ts), so a change and its event commit together.
   */
  #objectChanged(_change: { kind: "created" | "removed"; object: ObjectRecord; now: number }): void {}

  /** The bucket, if it exists and the caller may use it (strict mode: its owner only). */
  #bucketFor(access: Access): Result<BucketInfo> {
    const bucket = this.#bucket;
    if (!bucket) return fail(noSuchBucket(this.#nameOf()));
    if (access.strict && bucket.owner !== access.account) return fail(accessDenied());
    if (access.expectedOwner !== undefined && access.expectedOwner !== bucket.owner) return fail(accessDenied());
    return ok(bucket);
  }

  #find(access: Access, key: string): Result<ObjectRecord> {
    const bucket = this.#bucketFor(access);
    if (!bucket.ok) return bucket;
    const object = this.#index.get(key);
    return object ? ok(object) : fail(noSuchKey(key));
  }

  /** The bucket's name even when it does not exist (the object is named by it). */
  #nameOf(): string {
    return (this.ctx.id.name ?? "").replace(/^bucket:/, "");
  }
}
