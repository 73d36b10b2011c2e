/**
 * What the bucket object does for multipart uploads: uploads and parts are rows (multipart-store.ts),
 * a part's bytes are a data id the ledger keeps live while the upload holds it; completing makes the
 * parts' data ids the object's segments, in order, in one transaction with the object row (so readers
 * see the old object or the whole new one), and hands the parts left out to the sweep, as an abort
 * hands all of them.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import { badChecksum, entityTooLarge } from "../../domain/s3/errors";
import type { CompletedUpload, CompletionRequest, PartInfo, PartWrite, UploadCreate, UploadInfo } from "../../domain/s3/contract";
import { CHECKSUM_ALGORITHMS } from "../../domain/s3/checksums";
import {
  formatUploadId,
  listPartsPage,
  listUploadsPage,
  multipartEtag,
  validateCompletion,
  type PartsPage,
  type StoredPart,
  type UploadsPage,
  type UploadsQuery,
} from "../../domain/s3/multipart";
import { uploadChecksumOf } from "../../domain/s3/multipart-checksum";
import { checkWriteConditions } from "../../domain/s3/preconditions";
import { conditionalRequestConflict, noSuchUpload } from "../../domain/s3/rule-errors";
import { GARBAGE_GRACE_MS, type DataLedger } from "./data-ledger";
import type { MultipartStore, Upload } from "./multipart-store";
import type { ObjectIndex } from "./object-index";

/** S3's largest object: 5 TiB. */
export const MAX_OBJECT_BYTES = 5 * 1024 ** 4;

const publicInfo = ({ settings: _, ...info }: Upload): UploadInfo => info;

export class MultipartUploads {
  constructor(
    private readonly store: MultipartStore,
    private readonly index: ObjectIndex,
    private readonly ledger: DataLedger,
    private readonly transaction: <T>(fn: () => T) => T,
  ) {}

  create(owner: string, create: UploadCreate, now: number): UploadInfo {
    const current = this.index.get(create.key);
    const uploadId = formatUploadId(crypto.getRandomValues(new Uint8Array(48)));
    const upload = this.store.create(
      uploadId,
      create.key,
      owner,
      {
        headers: create.headers,
        metadata: create.metadata,
        tags: create.tags,
        checksum: create.checksum,
        ...(current ? { before: { etag: current.etag, lastModified: current.lastModified } } : {}),
      },
      now,
    );
    return publicInfo(upload);
  }

  /** The upload of that id for that key (another key's upload is NoSuchUpload, recorded). */
  find(key: string, uploadId: string): Result<Upload> {
    const upload = this.store.get(uploadId);
    return upload && upload.key === key ? ok(upload) : fail(noSuchUpload(uploadId));
  }

  /** Makes written data part `partNumber` of the upload; if the upload is gone, the data is garbage. */
  recordPart(key: string, uploadId: string, part: PartWrite, now: number): Result<PartInfo> {
    if (!this.ledger.isWritten(part.dataId)) throw new Error(`data ${part.dataId} is not written (swept, or never was)`);
    return this.transaction(() => {
      const upload = this.find(key, uploadId);
      if (!upload.ok) {
        this.ledger.garbage(part.dataId, now);
        return upload;
      }
      const replaced = this.store.putPart(uploadId, part, now);
      this.ledger.live(part.dataId);
      if (replaced) this.ledger.garbage(replaced.dataId, now + GARBAGE_GRACE_MS);
      return ok({ ...part, lastModified: now });
    });
  }

  abort(key: string, uploadId: string, now: number): Result<void> {
    return this.transaction(() => {
      const upload = this.find(key, uploadId);
      if (!upload.ok) return upload;
      for (const part of this.store.delete(uploadId)) this.ledger.garbage(part.dataId, now + GARBAGE_GRACE_MS);
      return ok(undefined);
    });
  }

  /** DeleteBucket: uploads in progress do not keep a bucket alive on AWS; their data is swept. */
  abortAll(now: number): void {
    this.transaction(() => {
      for (const uploadId of this.store.uploadIds()) {
        for (const part of this.store.delete(uploadId)) this.ledger.garbage(part.dataId, now);
      }
    });
  }

  listParts(
    key: string,
    uploadId: string,
    query: { "part-number-marker"?: string | null; "max-parts"?: string | null },
  ): Result<{ upload: UploadInfo; page: PartsPage<PartInfo> }> {
    const upload = this.find(key, uploadId);
    if (!upload.ok) return upload;
    const page = listPartsPage(
      this.store.parts(uploadId).map(({ dataId: _, ...part }) => part),
      query,
    );
    if (!page.ok) return page;
    return ok({ upload: publicInfo(upload.value), page: page.value });
  }

  listUploads(query: UploadsQuery): Result<UploadsPage<UploadInfo>> {
    return listUploadsPage(this.store.list(query.prefix ?? "").map(publicInfo), query);
  }

  /**
   * CompleteMultipartUpload: the parts in AWS's order of checks (multipart.ts validateCompletion), the
   * write conditions against the key's object (and ConditionalRequestConflict when the key was
   * written since the upload began), then the object row and the ledger in one transaction.
   */
  complete(
    key: string,
    uploadId: string,
    request: CompletionRequest,
    now: number,
    /** Runs inside the completion's transaction (the bucket's event notification commits with it). */
    inTransaction: (object: { key: string; size: number; etag: string }) => void = () => {},
  ): Result<CompletedUpload> {
    const found = this.find(key, uploadId);
    if (!found.ok) return found;
    const upload = found.value;
    const algorithm = upload.checksum.algorithm;
    const rows = this.store.parts(uploadId);
    const stored = new Map<number, StoredPart>(
      rows.map((p) => [
        p.partNumber,
        {
          partNumber: p.partNumber,
          etag: p.etag,
          size: p.size,
          ...(algorithm && p.checksums[algorithm] ? { checksum: p.checksums[algorithm] } : {}),
        },
      ]),
    );
    const validated = validateCompletion({
      uploadId,
      requested: request.parts,
      stored,
      upload: upload.checksum,
      checksumType: request.checksumType,
      objectSize: request.objectSize,
    });
    if (!validated.ok) return validated;
    const byNumber = new Map(rows.map((p) => [p.partNumber, p]));
    const parts = validated.value.map((p) => byNumber.get(p.partNumber)!);
    const size = parts.reduce((n, p) => n + p.size, 0);
    if (size > MAX_OBJECT_BYTES) return fail(entityTooLarge(size, MAX_OBJECT_BYTES));

    const current = this.index.get(key);
    const conditional = request.ifMatch || request.ifNoneMatch;
    if (conditional) {
      const problem = checkWriteConditions({ ifMatch: request.ifMatch, ifNoneMatch: request.ifNoneMatch }, key, current);
      if (problem) return fail(problem);
      const before = upload.settings.before;
      const changed = before
        ? !current || current.etag !== before.etag || current.lastModified !== before.lastModified
        : current !== undefined;
      if (changed) return fail(conditionalRequestConflict(request.ifMatch ? "If-Match" : "If-None-Match", key));
    }

    const checksum = uploadChecksumOf(upload.checksum, parts);
    // A FULL_OBJECT upload's completion may state the whole object's checksum: any other value, or
    // one of another algorithm, is BadDigest naming the upload's algorithm (recorded).
    if (algorithm && upload.checksum.type === "FULL_OBJECT") {
      const claimed = request.fullObjectChecksums ?? {};
      const wrong = CHECKSUM_ALGORITHMS.some((name) => claimed[name] !== undefined && claimed[name] !== checksum.checksums[name]);
      if (wrong) return fail(badChecksum(algorithm.toLowerCase()));
    }
    const etag = multipartEtag(parts.map((p) => p.etag));
    const used = new Set(parts.map((p) => p.dataId));
    this.transaction(() => {
      const { replaced } = this.index.put(
        {
          key,
          size,
          etag,
          headers: upload.settings.headers,
          metadata: upload.settings.metadata,
          checksums: checksum.checksums,
          tags: upload.settings.tags,
          segments: parts.map((p) => ({ dataId: p.dataId, size: p.size })),
        },
        now,
      );
      for (const part of this.store.delete(uploadId)) {
        if (!used.has(part.dataId)) this.ledger.garbage(part.dataId, now);
      }
      for (const s of replaced?.segments ?? []) this.ledger.garbage(s.dataId, now + GARBAGE_GRACE_MS);
      inTransaction({ key, size, etag });
    });
    return ok({ etag, size, ...checksum });
  }
}
