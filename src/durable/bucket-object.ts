/**
 * BucketObject: one S3 bucket (named by the bucket's name: names are global in a deployment, as on
 * AWS). Its state and core (bytes written as they arrive and visible only once complete, reads a
 * chunk at a time, the sweeping and delivering alarm) are BucketBase's (./bucket/bucket-base.ts);
 * here are the operations of each S3 area on top: notification configuration, tags and bucket
 * settings, multipart uploads, listing and batch deletes, each delegating to its module in ./bucket/.
 */
import { fail, ok, type Result } from "../domain/errors";
import type {
  Access,
  BucketSettingName,
  CorsLookup,
  CorsRule,
  CompletedUpload,
  CompletionRequest,
  ListRequest,
  ListResult,
  PartInfo,
  PartWrite,
  UploadCreate,
  UploadInfo,
  Tag,
} from "../domain/s3/contract";
import type { DeleteObjectOptions, PutObjectOptions, RequestEvent } from "../domain/s3/contract";
import type { NotificationConfiguration } from "../domain/s3/notification-config";
import { noSuchKey } from "../domain/s3/errors";
import type { PartsPage, UploadsPage, UploadsQuery } from "../domain/s3/multipart";
import { GARBAGE_GRACE_MS } from "./bucket/data-ledger";
import { BucketBase } from "./bucket/bucket-base";

export class BucketObject extends BucketBase {
  // ---- event notifications ----

  /** PutBucketNotificationConfiguration, once the destinations were validated: stores it and sends the test events. */
  putNotificationConfiguration(
    access: Access,
    config: NotificationConfiguration,
    event: RequestEvent,
    sendTests: boolean,
  ): Result<null> {
    const found = this.bucketFor(access);
    if (!found.ok) return found;
    const now = Date.now();
    const owed = this.ctx.storage.transactionSync(() => this.notifications.configure(config, found.value, event, sendTests, now));
    if (owed) this.deliverSoon(now);
    return ok(null);
  }

  getNotificationConfiguration(access: Access): Result<NotificationConfiguration> {
    const found = this.bucketFor(access);
    if (!found.ok) return found;
    return ok(this.notifications.configuration);
  }

  // ---- tagging and bucket settings ----
  // Settings live in the meta table (bucket/settings.ts); object tags in the objects' rows.

  /** A bucket setting (undefined: never set, or deleted). */
  getSetting(access: Access, name: BucketSettingName): Result<unknown> {
    const found = this.bucketFor(access);
    return found.ok ? ok(this.settings.get(found.value, name)) : found;
  }

  putSetting(access: Access, name: BucketSettingName, value: unknown): Result<void> {
    const found = this.bucketFor(access);
    if (!found.ok) return found;
    this.settings.put(found.value, name, value);
    return ok(undefined);
  }

  deleteSetting(access: Access, name: BucketSettingName): Result<void> {
    const found = this.bucketFor(access);
    if (!found.ok) return found;
    this.settings.delete(name);
    return ok(undefined);
  }

  /** The CORS rules, for a preflight or an actual request from a browser: asked by anyone. */
  corsRules(): CorsLookup {
    if (!this.bucket) return { exists: false };
    return { exists: true, rules: this.settings.get<CorsRule[]>(this.bucket, "cors") };
  }

  /** An object's tags; `missingKey`: how the NoSuchKey names it (GetObjectTagging says `bucket/key`). */
  getObjectTags(access: Access, key: string, missingKey: string = key): Result<Tag[]> {
    const found = this.bucketFor(access);
    if (!found.ok) return found;
    const object = this.objects.get(key);
    return object ? ok(object.tags) : fail(noSuchKey(missingKey));
  }

  /** Replaces an object's tags (an empty list removes them). */
  putObjectTags(access: Access, key: string, tags: Tag[]): Result<void> {
    const found = this.bucketFor(access);
    if (!found.ok) return found;
    return this.objects.setTags(key, tags) ? ok(undefined) : fail(noSuchKey(key));
  }

  /** Whether the key has an object (Get/PutObjectAcl). */
  hasObject(access: Access, key: string): Result<void> {
    const found = this.find(access, key);
    return found.ok ? ok(undefined) : found;
  }

  // ---- multipart upload ----

  createUpload(access: Access, create: UploadCreate): Result<UploadInfo> {
    const found = this.bucketFor(access);
    if (!found.ok) return found;
    return ok(this.uploads.create(access.account, create, Date.now()));
  }

  /** The upload, checked before a part's body is read (NoSuchUpload costs no write). */
  findUpload(access: Access, key: string, uploadId: string): Result<UploadInfo> {
    const found = this.bucketFor(access);
    if (!found.ok) return found;
    const upload = this.uploads.find(key, uploadId);
    if (!upload.ok) return upload;
    const { settings: _, ...info } = upload.value;
    return ok(info);
  }

  /** Written data (writeData) becomes a part; when the upload is gone meanwhile, the data is swept. */
  recordPart(access: Access, key: string, uploadId: string, part: PartWrite): Result<PartInfo> {
    const found = this.bucketFor(access);
    const now = Date.now();
    const recorded = found.ok ? this.uploads.recordPart(key, uploadId, part, now) : found;
    if (!found.ok) this.discardData(part.dataId);
    this.timer.arm(this.ledger.nextDue(), now);
    return recorded;
  }

  completeUpload(
    access: Access,
    key: string,
    uploadId: string,
    request: CompletionRequest,
    options: PutObjectOptions = {},
  ): Result<CompletedUpload> {
    const found = this.bucketFor(access);
    if (!found.ok) return found;
    const now = Date.now();
    let notified = false;
    const completed = this.uploads.complete(key, uploadId, request, now, ({ key, size, etag }) => {
      notified = this.notify("s3:ObjectCreated:CompleteMultipartUpload", { key, size, eTag: etag }, options.event, now);
    });
    this.timer.arm(this.ledger.nextDue(), now);
    if (notified) this.deliverSoon(now);
    return completed;
  }

  abortUpload(access: Access, key: string, uploadId: string): Result<void> {
    const found = this.bucketFor(access);
    if (!found.ok) return found;
    const now = Date.now();
    const aborted = this.uploads.abort(key, uploadId, now);
    this.timer.arm(this.ledger.nextDue(), now);
    return aborted;
  }

  listParts(
    access: Access,
    key: string,
    uploadId: string,
    query: { "part-number-marker"?: string | null; "max-parts"?: string | null },
  ): Result<{ upload: UploadInfo; page: PartsPage<PartInfo> }> {
    const found = this.bucketFor(access);
    if (!found.ok) return found;
    return this.uploads.listParts(key, uploadId, query);
  }

  listUploads(access: Access, query: UploadsQuery): Result<UploadsPage<UploadInfo>> {
    const found = this.bucketFor(access);
    if (!found.ok) return found;
    return this.uploads.listUploads(query);
  }

  // ---- listing and copying ----

  /** ListObjects / ListObjectsV2: one page, read by indexed range queries (bucket/listing-query.ts). */
  listObjects(access: Access, request: ListRequest): Result<ListResult> {
    const found = this.bucketFor(access);
    if (!found.ok) return found;
    const listed = this.listing.list(request);
    if (!listed.ok) return listed;
    return ok({ ...listed.value, bucket: found.value } as ListResult);
  }

  /** DeleteObjects: the keys' objects removed in one transaction (S3 reports a key without one as deleted too). */
  deleteObjects(access: Access, keys: readonly string[], options: DeleteObjectOptions = {}): Result<{ removed: number }> {
    const found = this.bucketFor(access);
    if (!found.ok) return found;
    const now = Date.now();
    let notified = false;
    const removed = this.ctx.storage.transactionSync(() => {
      let removed = 0;
      for (const key of keys) {
        const object = this.objects.delete(key);
        // AWS reports an ObjectRemoved:Delete event for a key that had no object too (recorded).
        if (this.notify("s3:ObjectRemoved:Delete", { key }, options.event, now)) notified = true;
        if (!object) continue;
        removed++;
        for (const s of object.segments) this.ledger.garbage(s.dataId, now + GARBAGE_GRACE_MS);
      }
      return removed;
    });
    if (removed) this.timer.arm(this.ledger.nextDue(), now);
    if (notified) this.deliverSoon(now);
    return ok({ removed });
  }
}
