/**
 * The state and core of a bucket object (BucketObject, ../bucket-object.ts, adds the operations of
 * each S3 area on top): its stores, the bucket's lifecycle, writing and reading object bytes, the one
 * alarm (sweeping bytes no object uses, delivering event notifications), and the helpers the areas
 * share. Helpers are protected methods: RPC exposes them too, but stubs exist only inside this Worker.
 */
import { DurableObject } from "cloudflare:workers";
import { fail, ok, type Result } from "../../domain/errors";
import type {
  Access,
  BucketInfo,
  DataSegment,
  ObjectRecord,
  ObjectWrite,
  ReadOptions,
  ReadResult,
  WriteOptions,
  WrittenData,
} from "../../domain/s3/contract";
import type { DeleteObjectOptions, PutObjectOptions, RequestEvent } from "../../domain/s3/contract";
import type { S3EventName } from "../../domain/s3/notification-events";
import { accessDenied, bucketNotEmpty, entityTooLarge, incompleteBody, noSuchBucket, noSuchKey } from "../../domain/s3/errors";
import { Alarm, earliest } from "../alarm";
import { DataLedger, GARBAGE_GRACE_MS } from "./data-ledger";
import { ObjectListing } from "./listing-query";
import { SqlObjectData } from "./object-data";
import { ObjectIndex } from "./object-index";
import { NOTIFICATION_OUTBOX_MIGRATIONS } from "./notification-outbox";
import { BucketNotifications, type EventObject } from "./notifications";
import { MULTIPART_MIGRATIONS } from "./multipart-schema";
import { MultipartStore } from "./multipart-store";
import { MultipartUploads } from "./multipart-uploads";
import { planRead, planWrite } from "./read-plan";
import { BUCKET_MIGRATIONS } from "./schema";
import { BucketSettings } from "./settings";
import { MetaTable } from "../meta";
import { migrate } from "../sql";

/** Chunks removed per alarm run, so one sweep never holds the object for long. */
const SWEEP_CHUNKS = 256;

/** How long the alarm waits, as a watchdog, for a pump that was started (it re-arms when the pump ends). */
const NOTIFY_WATCHDOG_MS = 60_000;

const withoutSegments = ({ segments: _, ...rest }: ObjectRecord): Omit<ObjectRecord, "segments"> => rest;

export abstract class BucketBase extends DurableObject<Env> {
  protected readonly meta: MetaTable;
  protected readonly objects: ObjectIndex;
  protected readonly ledger: DataLedger;
  protected readonly data: SqlObjectData;
  protected readonly timer: Alarm;
  protected bucket: BucketInfo | undefined;
  protected readonly notifications: BucketNotifications;
  protected pumpScheduled = false;
  // tagging and bucket settings
  protected readonly settings: BucketSettings;
  protected readonly uploads: MultipartUploads;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    migrate(sql, [...BUCKET_MIGRATIONS, ...NOTIFICATION_OUTBOX_MIGRATIONS, ...MULTIPART_MIGRATIONS]);
    this.meta = new MetaTable(sql);
    this.settings = new BucketSettings(this.meta);
    this.objects = new ObjectIndex(sql);
    this.ledger = new DataLedger(sql);
    this.data = new SqlObjectData(sql, (id) => this.ledger.begin(id));
    this.timer = new Alarm(ctx.storage);
    this.uploads = new MultipartUploads(new MultipartStore(sql), this.objects, this.ledger, (fn) =>
      ctx.storage.transactionSync(fn),
    );
    this.bucket = this.meta.get<BucketInfo>("bucket");
    this.notifications = new BucketNotifications(sql, this.meta, env);
    void ctx.blockConcurrencyWhile(async () => {
      await this.timer.load();
      const now = Date.now();
      this.ledger.abandonUnfinished(now);
      this.timer.arm(earliest(this.ledger.nextDue(), this.notifications.nextDue()), now);
    });
  }

  /** Creates the bucket; when it exists already, says who has it (the caller words the refusal). */
  create(bucket: BucketInfo): { created: true } | { created: false; existing: BucketInfo } {
    if (this.bucket) return { created: false, existing: this.bucket };
    this.meta.set("bucket", bucket);
    this.bucket = bucket;
    return { created: true };
  }

  info(): BucketInfo | undefined {
    return this.bucket;
  }

  /** The bucket if the caller may see it (HeadBucket, GetBucketLocation, and every other bucket call). */
  describe(access: Access): Result<BucketInfo> {
    return this.bucketFor(access);
  }

  /** Deletes the (empty) bucket. */
  destroy(access: Access): Result<BucketInfo> {
    const found = this.bucketFor(access);
    if (!found.ok) return found;
    const bucket = found.value;
    if (!this.objects.isEmpty()) return fail(bucketNotEmpty(bucket.name));
    this.abortAllUploads(); // multipart upload: AWS deletes a bucket whose uploads are still in progress
    this.ctx.storage.transactionSync(() => {
      this.meta.delete("bucket");
      this.notifications.clear(); // [event notifications]
    });
    this.bucket = undefined;
    return ok(bucket);
  }

  /** Writes a body under a new data id; it becomes an object's with putObject, else it is swept. */
  async writeData(
    access: Access,
    body: ReadableStream<Uint8Array> | Uint8Array,
    options: WriteOptions,
  ): Promise<Result<WrittenData>> {
    const found = this.bucketFor(access);
    if (!found.ok) {
      if (body instanceof ReadableStream) await body.cancel().catch(() => {});
      return found;
    }
    const written = await this.data.write(body, options);
    if (!written.ok) {
      this.discardData(written.dataId);
      return fail(written.reason === "too-large" ? entityTooLarge(written.size, options.maxBytes) : incompleteBody());
    }
    const now = Date.now();
    this.ledger.written(written.value.dataId, written.value.size, now);
    this.timer.arm(this.ledger.nextDue(), now);
    return ok(written.value);
  }

  /** Written data the request decided not to keep (a checksum did not match). */
  discardData(dataId: string): void {
    const now = Date.now();
    this.ledger.garbage(dataId, now);
    this.timer.arm(now, now);
  }

  /** Makes written data an object, replacing the key's previous object in the same transaction. */
  putObject(access: Access, write: ObjectWrite, options: PutObjectOptions = {}): Result<Omit<ObjectRecord, "segments">> {
    const found = this.bucketFor(access);
    if (!found.ok) return found;
    const missing = write.segments.find((s) => !this.ledger.isWritten(s.dataId));
    if (missing) throw new Error(`data ${missing.dataId} is not written (swept, or never was)`);
    // Checked against the object as it is now, in the same synchronous step as the swap: no other
    // write can come between (conditional PUT: If-None-Match: *, If-Match).
    const allowed = planWrite(write.key, this.objects.get(write.key), options.conditions ?? {});
    if (!allowed.ok) return allowed;
    const now = Date.now();
    let notified = false;
    const record = this.ctx.storage.transactionSync(() => {
      const { record, replaced } = this.objects.put(write, now);
      for (const s of write.segments) this.ledger.live(s.dataId);
      for (const s of replaced?.segments ?? []) this.ledger.garbage(s.dataId, now + GARBAGE_GRACE_MS);
      const object = { key: record.key, size: record.size, eTag: record.etag };
      notified = this.notify(options.eventName ?? "s3:ObjectCreated:Put", object, options.event, now); // [event notifications]
      return record;
    });
    this.timer.arm(this.ledger.nextDue(), now);
    if (notified) this.deliverSoon(now); // [event notifications]
    return ok(withoutSegments(record));
  }

  headObject(access: Access, key: string, options: ReadOptions = {}): Result<ReadResult> {
    const found = this.find(access, key);
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
    const found = this.find(access, key);
    if (!found.ok) return found;
    const object = found.value;
    const plan = planRead(object, options);
    if (!plan.ok) return plan;
    return ok({ object: withoutSegments(object), ...plan.value, segments: object.segments });
  }

  /** One chunk of an object's data (undefined once swept: the object was replaced long ago). */
  readChunk(dataId: string, seq: number): Uint8Array | undefined {
    return this.data.readChunk(dataId, seq);
  }

  /** Deletes the key's object (S3 answers the same whether there was one). */
  deleteObject(access: Access, key: string, options: DeleteObjectOptions = {}): Result<{ deleted: boolean }> {
    const found = this.bucketFor(access);
    if (!found.ok) return found;
    const now = Date.now();
    let notified = false;
    const removed = this.ctx.storage.transactionSync(() => {
      const removed = this.objects.delete(key);
      for (const s of removed?.segments ?? []) this.ledger.garbage(s.dataId, now + GARBAGE_GRACE_MS);
      // S3 reports a delete whether or not there was an object. [event notifications]
      notified = this.notify("s3:ObjectRemoved:Delete", { key }, options.event, now);
      return removed;
    });
    this.timer.arm(this.ledger.nextDue(), now);
    if (notified) this.deliverSoon(now); // [event notifications]
    return ok({ deleted: removed !== undefined });
  }

  /** Object and byte counts, for introspection. */
  stats(): { objects: number; bytes: number } {
    return this.objects.count();
  }

  override async alarm(): Promise<void> {
    this.timer.fired();
    const now = Date.now();
    let budget = SWEEP_CHUNKS;
    for (const dataId of this.ledger.due(now, 64)) {
      if (budget <= 0) break;
      const { removed, done } = this.data.delete(dataId, budget);
      budget -= Math.max(removed, 1);
      if (done) this.ledger.forget(dataId);
    }
    // [event notifications] retries (and what a pump that went away left), then the next due time of either.
    await this.notifications.pump().catch((error: unknown) => console.error("bucket notification pump failed", error));
    this.timer.arm(earliest(this.ledger.nextDue(), this.notifications.nextDue()), Date.now(), true);
  }

  /** The bucket, if it exists and the caller may use it (strict mode: its owner only). */
  protected bucketFor(access: Access): Result<BucketInfo> {
    const bucket = this.bucket;
    if (!bucket) return fail(noSuchBucket(this.nameOf()));
    if (access.strict && bucket.owner !== access.account) return fail(accessDenied());
    if (access.expectedOwner !== undefined && access.expectedOwner !== bucket.owner) return fail(accessDenied());
    return ok(bucket);
  }

  protected find(access: Access, key: string): Result<ObjectRecord> {
    const bucket = this.bucketFor(access);
    if (!bucket.ok) return bucket;
    const object = this.objects.get(key);
    return object ? ok(object) : fail(noSuchKey(key));
  }

  /** The bucket's name even when it does not exist (the object is named by it). */
  protected nameOf(): string {
    return (this.ctx.id.name ?? "").replace(/^bucket:/, "");
  }

  /**
   * Records an event about an object: call it INSIDE the transactionSync of the change (so the change
   * and its messages commit together), and when it returns true call `deliverSoon(now)` after that
   * transaction. Copy: `s3:ObjectCreated:Copy`; CompleteMultipartUpload: `s3:ObjectCreated:CompleteMultipartUpload`
   * (size and ETag of the new object); DeleteObjects: `s3:ObjectRemoved:Delete` once per key, in one
   * transaction, then one `deliverSoon`.
   */
  protected notify(eventName: S3EventName, object: EventObject, event: RequestEvent | undefined, now: number): boolean {
    const bucket = this.bucket;
    return bucket ? this.notifications.record(bucket, eventName, object, event, now) : false;
  }

  /**
   * Messages were committed to the outbox: a watchdog alarm, in case this object goes away before the
   * pump is done, and the pump in a later turn, so the request's answer does not wait for delivery
   * (as TopicObject does). When the pump stops, the alarm goes to the next due time.
   */
  protected deliverSoon(now: number): void {
    this.timer.arm(now + NOTIFY_WATCHDOG_MS, now);
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setTimeout(() => {
      this.pumpScheduled = false;
      void this.notifications
        .pump()
        .catch((error: unknown) => console.error("bucket notification pump failed", error))
        .finally(() => this.timer.arm(earliest(this.ledger.nextDue(), this.notifications.nextDue()), Date.now(), true));
    }, 0);
  }

  protected abortAllUploads(): void {
    const now = Date.now();
    this.uploads.abortAll(now);
    this.timer.arm(this.ledger.nextDue(), now);
  }

  protected readonly listing = new ObjectListing(this.ctx.storage.sql);
}
