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
  BucketSettingName,
  CorsLookup,
  CorsRule,
  CompletedUpload,
  CompletionRequest,
  ListRequest,
  ListResult,
  DataSegment,
  ObjectRecord,
  PartInfo,
  PartWrite,
  UploadCreate,
  UploadInfo,
  ObjectWrite,
  ReadOptions,
  ReadResult,
  Tag,
  WriteOptions,
  WrittenData,
} from "../domain/s3/contract";
import type { DeleteObjectOptions, PutObjectOptions, RequestEvent } from "../domain/s3/contract";
import type { NotificationConfiguration } from "../domain/s3/notification-config";
import type { S3EventName } from "../domain/s3/notification-events";
import { accessDenied, bucketNotEmpty, entityTooLarge, incompleteBody, noSuchBucket, noSuchKey } from "../domain/s3/errors";
import { Alarm, earliest } from "./alarm";
import type { PartsPage, UploadsPage, UploadsQuery } from "../domain/s3/multipart";
import { DataLedger, GARBAGE_GRACE_MS } from "./bucket/data-ledger";
import { ObjectListing } from "./bucket/listing-query";
import { SqlObjectData } from "./bucket/object-data";
import { ObjectIndex } from "./bucket/object-index";
import { NOTIFICATION_OUTBOX_MIGRATIONS } from "./bucket/notification-outbox";
import { BucketNotifications, type EventObject } from "./bucket/notifications";
import { MULTIPART_MIGRATIONS } from "./bucket/multipart-schema";
import { MultipartStore } from "./bucket/multipart-store";
import { MultipartUploads } from "./bucket/multipart-uploads";
import { planRead, planWrite } from "./bucket/read-plan";
import { BUCKET_MIGRATIONS } from "./bucket/schema";
import { BucketSettings } from "./bucket/settings";
import { MetaTable } from "./meta";
import { migrate } from "./sql";

/** Chunks removed per alarm run, so one sweep never holds the object for long. */
const SWEEP_CHUNKS = 256;

/** How long the alarm waits, as a watchdog, for a pump that was started (it re-arms when the pump ends). */
const NOTIFY_WATCHDOG_MS = 60_000;

const withoutSegments = ({ segments: _, ...rest }: ObjectRecord): Omit<ObjectRecord, "segments"> => rest;

export class BucketObject extends DurableObject<Env> {
  readonly #meta: MetaTable;
  readonly #index: ObjectIndex;
  readonly #ledger: DataLedger;
  readonly #data: SqlObjectData;
  readonly #alarm: Alarm;
  #bucket: BucketInfo | undefined;
  // ---- event notifications (fields) ----
  readonly #notifications: BucketNotifications;
  #pumpScheduled = false;
  // tagging and bucket settings
  readonly #settings: BucketSettings;
  // ---- multipart upload (field) ----
  readonly #uploads: MultipartUploads;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    migrate(sql, [...BUCKET_MIGRATIONS, ...NOTIFICATION_OUTBOX_MIGRATIONS, ...MULTIPART_MIGRATIONS]);
    this.#meta = new MetaTable(sql);
    this.#settings = new BucketSettings(this.#meta);
    this.#index = new ObjectIndex(sql);
    this.#ledger = new DataLedger(sql);
    this.#data = new SqlObjectData(sql, (id) => this.#ledger.begin(id));
    this.#alarm = new Alarm(ctx.storage);
    this.#uploads = new MultipartUploads(new MultipartStore(sql), this.#index, this.#ledger, (fn) =>
      ctx.storage.transactionSync(fn),
    );
    this.#bucket = this.#meta.get<BucketInfo>("bucket");
    this.#notifications = new BucketNotifications(sql, this.#meta, env);
    void ctx.blockConcurrencyWhile(async () => {
      await this.#alarm.load();
      const now = Date.now();
      this.#ledger.abandonUnfinished(now);
      this.#alarm.arm(earliest(this.#ledger.nextDue(), this.#notifications.nextDue()), now);
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
    this.#abortAllUploads(); // multipart upload: AWS deletes a bucket whose uploads are still in progress
    this.ctx.storage.transactionSync(() => {
      this.#meta.delete("bucket");
      this.#notifications.clear(); // [event notifications]
    });
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

  /** Makes written data an object, replacing the key's previous object in the same transaction. */
  putObject(access: Access, write: ObjectWrite, options: PutObjectOptions = {}): Result<Omit<ObjectRecord, "segments">> {
    const found = this.#bucketFor(access);
    if (!found.ok) return found;
    const missing = write.segments.find((s) => !this.#ledger.isWritten(s.dataId));
    if (missing) throw new Error(`data ${missing.dataId} is not written (swept, or never was)`);
    // Checked against the object as it is now, in the same synchronous step as the swap: no other
    // write can come between (conditional PUT: If-None-Match: *, If-Match).
    const allowed = planWrite(write.key, this.#index.get(write.key), options.conditions ?? {});
    if (!allowed.ok) return allowed;
    const now = Date.now();
    let notified = false;
    const record = this.ctx.storage.transactionSync(() => {
      const { record, replaced } = this.#index.put(write, now);
      for (const s of write.segments) this.#ledger.live(s.dataId);
      for (const s of replaced?.segments ?? []) this.#ledger.garbage(s.dataId, now + GARBAGE_GRACE_MS);
      const object = { key: record.key, size: record.size, eTag: record.etag };
      notified = this.#notify(options.eventName ?? "s3:ObjectCreated:Put", object, options.event, now); // [event notifications]
      return record;
    });
    this.#alarm.arm(this.#ledger.nextDue(), now);
    if (notified) this.#deliverSoon(now); // [event notifications]
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
  deleteObject(access: Access, key: string, options: DeleteObjectOptions = {}): Result<{ deleted: boolean }> {
    const found = this.#bucketFor(access);
    if (!found.ok) return found;
    const now = Date.now();
    let notified = false;
    const removed = this.ctx.storage.transactionSync(() => {
      const removed = this.#index.delete(key);
      for (const s of removed?.segments ?? []) this.#ledger.garbage(s.dataId, now + GARBAGE_GRACE_MS);
      // S3 reports a delete whether or not there was an object. [event notifications]
      notified = this.#notify("s3:ObjectRemoved:Delete", { key }, options.event, now);
      return removed;
    });
    this.#alarm.arm(this.#ledger.nextDue(), now);
    if (notified) this.#deliverSoon(now); // [event notifications]
    return ok({ deleted: removed !== undefined });
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
    // [event notifications] retries (and what a pump that went away left), then the next due time of either.
    await this.#notifications.pump().catch((error: unknown) => console.error("bucket notification pump failed", error));
    this.#alarm.arm(earliest(this.#ledger.nextDue(), this.#notifications.nextDue()), Date.now(), true);
  }

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

  // ---- event notifications ----

  /** PutBucketNotificationConfiguration, once the destinations were validated: stores it and sends the test events. */
  putNotificationConfiguration(
    access: Access,
    config: NotificationConfiguration,
    event: RequestEvent,
    sendTests: boolean,
  ): Result<null> {
    const found = this.#bucketFor(access);
    if (!found.ok) return found;
    const now = Date.now();
    const owed = this.ctx.storage.transactionSync(() =>
      this.#notifications.configure(config, found.value, event, sendTests, now),
    );
    if (owed) this.#deliverSoon(now);
    return ok(null);
  }

  getNotificationConfiguration(access: Access): Result<NotificationConfiguration> {
    const found = this.#bucketFor(access);
    if (!found.ok) return found;
    return ok(this.#notifications.configuration);
  }

  /**
   * Records an event about an object: call it INSIDE the transactionSync of the change (so the change
   * and its messages commit together), and when it returns true call `#deliverSoon(now)` after that
   * transaction. Copy: `s3:ObjectCreated:Copy`; CompleteMultipartUpload: `s3:ObjectCreated:CompleteMultipartUpload`
   * (size and ETag of the new object); DeleteObjects: `s3:ObjectRemoved:Delete` once per key, in one
   * transaction, then one `#deliverSoon`.
   */
  #notify(eventName: S3EventName, object: EventObject, event: RequestEvent | undefined, now: number): boolean {
    const bucket = this.#bucket;
    return bucket ? this.#notifications.record(bucket, eventName, object, event, now) : false;
  }

  /**
   * Messages were committed to the outbox: a watchdog alarm, in case this object goes away before the
   * pump is done, and the pump in a later turn, so the request's answer does not wait for delivery
   * (as TopicObject does). When the pump stops, the alarm goes to the next due time.
   */
  #deliverSoon(now: number): void {
    this.#alarm.arm(now + NOTIFY_WATCHDOG_MS, now);
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    setTimeout(() => {
      this.#pumpScheduled = false;
      void this.#notifications
        .pump()
        .catch((error: unknown) => console.error("bucket notification pump failed", error))
        .finally(() => this.#alarm.arm(earliest(this.#ledger.nextDue(), this.#notifications.nextDue()), Date.now(), true));
    }, 0);
  }

  // ---- tagging and bucket settings ----
  // Settings live in the meta table (bucket/settings.ts); object tags in the objects' rows.

  /** A bucket setting (undefined: never set, or deleted). */
  getSetting(access: Access, name: BucketSettingName): Result<unknown> {
    const found = this.#bucketFor(access);
    return found.ok ? ok(this.#settings.get(found.value, name)) : found;
  }

  putSetting(access: Access, name: BucketSettingName, value: unknown): Result<void> {
    const found = this.#bucketFor(access);
    if (!found.ok) return found;
    this.#settings.put(found.value, name, value);
    return ok(undefined);
  }

  deleteSetting(access: Access, name: BucketSettingName): Result<void> {
    const found = this.#bucketFor(access);
    if (!found.ok) return found;
    this.#settings.delete(name);
    return ok(undefined);
  }

  /** The CORS rules, for a preflight or an actual request from a browser: asked by anyone. */
  corsRules(): CorsLookup {
    if (!this.#bucket) return { exists: false };
    return { exists: true, rules: this.#settings.get<CorsRule[]>(this.#bucket, "cors") };
  }

  /** An object's tags; `missingKey`: how the NoSuchKey names it (GetObjectTagging says `bucket/key`). */
  getObjectTags(access: Access, key: string, missingKey: string = key): Result<Tag[]> {
    const found = this.#bucketFor(access);
    if (!found.ok) return found;
    const object = this.#index.get(key);
    return object ? ok(object.tags) : fail(noSuchKey(missingKey));
  }

  /** Replaces an object's tags (an empty list removes them). */
  putObjectTags(access: Access, key: string, tags: Tag[]): Result<void> {
    const found = this.#bucketFor(access);
    if (!found.ok) return found;
    return this.#index.setTags(key, tags) ? ok(undefined) : fail(noSuchKey(key));
  }

  /** Whether the key has an object (Get/PutObjectAcl). */
  hasObject(access: Access, key: string): Result<void> {
    const found = this.#find(access, key);
    return found.ok ? ok(undefined) : found;
  }

  // ---- multipart upload ----

  createUpload(access: Access, create: UploadCreate): Result<UploadInfo> {
    const found = this.#bucketFor(access);
    if (!found.ok) return found;
    return ok(this.#uploads.create(access.account, create, Date.now()));
  }

  /** The upload, checked before a part's body is read (NoSuchUpload costs no write). */
  findUpload(access: Access, key: string, uploadId: string): Result<UploadInfo> {
    const found = this.#bucketFor(access);
    if (!found.ok) return found;
    const upload = this.#uploads.find(key, uploadId);
    if (!upload.ok) return upload;
    const { settings: _, ...info } = upload.value;
    return ok(info);
  }

  /** Written data (writeData) becomes a part; when the upload is gone meanwhile, the data is swept. */
  recordPart(access: Access, key: string, uploadId: string, part: PartWrite): Result<PartInfo> {
    const found = this.#bucketFor(access);
    const now = Date.now();
    const recorded = found.ok ? this.#uploads.recordPart(key, uploadId, part, now) : found;
    if (!found.ok) this.discardData(part.dataId);
    this.#alarm.arm(this.#ledger.nextDue(), now);
    return recorded;
  }

  completeUpload(
    access: Access,
    key: string,
    uploadId: string,
    request: CompletionRequest,
    options: PutObjectOptions = {},
  ): Result<CompletedUpload> {
    const found = this.#bucketFor(access);
    if (!found.ok) return found;
    const now = Date.now();
    let notified = false;
    const completed = this.#uploads.complete(key, uploadId, request, now, ({ key, size, etag }) => {
      notified = this.#notify("s3:ObjectCreated:CompleteMultipartUpload", { key, size, eTag: etag }, options.event, now);
    });
    this.#alarm.arm(this.#ledger.nextDue(), now);
    if (notified) this.#deliverSoon(now);
    return completed;
  }

  abortUpload(access: Access, key: string, uploadId: string): Result<void> {
    const found = this.#bucketFor(access);
    if (!found.ok) return found;
    const now = Date.now();
    const aborted = this.#uploads.abort(key, uploadId, now);
    this.#alarm.arm(this.#ledger.nextDue(), now);
    return aborted;
  }

  listParts(
    access: Access,
    key: string,
    uploadId: string,
    query: { "part-number-marker"?: string | null; "max-parts"?: string | null },
  ): Result<{ upload: UploadInfo; page: PartsPage<PartInfo> }> {
    const found = this.#bucketFor(access);
    if (!found.ok) return found;
    return this.#uploads.listParts(key, uploadId, query);
  }

  listUploads(access: Access, query: UploadsQuery): Result<UploadsPage<UploadInfo>> {
    const found = this.#bucketFor(access);
    if (!found.ok) return found;
    return this.#uploads.listUploads(query);
  }

  #abortAllUploads(): void {
    const now = Date.now();
    this.#uploads.abortAll(now);
    this.#alarm.arm(this.#ledger.nextDue(), now);
  }

  // ---- listing and copying ----

  readonly #listing = new ObjectListing(this.ctx.storage.sql);

  /** ListObjects / ListObjectsV2: one page, read by indexed range queries (bucket/listing-query.ts). */
  listObjects(access: Access, request: ListRequest): Result<ListResult> {
    const found = this.#bucketFor(access);
    if (!found.ok) return found;
    const listed = this.#listing.list(request);
    if (!listed.ok) return listed;
    return ok({ ...listed.value, bucket: found.value } as ListResult);
  }

  /** DeleteObjects: the keys' objects removed in one transaction (S3 reports a key without one as deleted too). */
  deleteObjects(access: Access, keys: readonly string[], options: DeleteObjectOptions = {}): Result<{ removed: number }> {
    const found = this.#bucketFor(access);
    if (!found.ok) return found;
    const now = Date.now();
    let notified = false;
    const removed = this.ctx.storage.transactionSync(() => {
      let removed = 0;
      for (const key of keys) {
        const object = this.#index.delete(key);
        // AWS reports an ObjectRemoved:Delete event for a key that had no object too (recorded).
        if (this.#notify("s3:ObjectRemoved:Delete", { key }, options.event, now)) notified = true;
        if (!object) continue;
        removed++;
        for (const s of object.segments) this.#ledger.garbage(s.dataId, now + GARBAGE_GRACE_MS);
      }
      return removed;
    });
    if (removed) this.#alarm.arm(this.#ledger.nextDue(), now);
    if (notified) this.#deliverSoon(now);
    return ok({ removed });
  }
}
