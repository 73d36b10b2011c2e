/**
 * The bucket's multipart uploads and their parts, in SQLite (multipart-schema.ts). Only rows: the
 * parts' bytes are data ids of the bucket's object data, and what becomes of them (live while an
 * upload holds them, garbage once replaced, aborted or left out of the completed object) is the
 * caller's to tell the data ledger, in the same transaction.
 */
import type { ContentHeaders, PartInfo, PartWrite, Tag, UploadChecksumSettings, UploadInfo } from "../../domain/s3/contract";

/** What an upload keeps until it completes. */
export interface UploadSettings {
  headers: ContentHeaders;
  metadata: Record<string, string>;
  tags: Tag[];
  checksum: UploadChecksumSettings;
  /** The key's object when the upload began (undefined: none), to see a write in between. */
  before?: { etag: string; lastModified: number };
}

export type Upload = UploadInfo & { settings: UploadSettings };

export type StoredPartRow = PartInfo & { dataId: string };

interface UploadRow {
  upload_id: string;
  key: string;
  initiated: number;
  owner: string;
  settings: string;
  [column: string]: SqlStorageValue;
}

interface PartRow {
  part_number: number;
  data_id: string;
  size: number;
  etag: string;
  last_modified: number;
  checksums: string;
  [column: string]: SqlStorageValue;
}

const toUpload = (row: UploadRow): Upload => {
  const settings = JSON.parse(row.settings) as UploadSettings;
  return {
    uploadId: row.upload_id,
    key: row.key,
    initiated: row.initiated,
    owner: row.owner,
    checksum: settings.checksum,
    storageClass: settings.headers["x-amz-storage-class"] ?? "STANDARD",
    settings,
  };
};

const toPart = (row: PartRow): StoredPartRow => ({
  partNumber: row.part_number,
  dataId: row.data_id,
  size: row.size,
  etag: row.etag,
  lastModified: row.last_modified,
  checksums: JSON.parse(row.checksums) as PartInfo["checksums"],
});

export class MultipartStore {
  constructor(private readonly sql: SqlStorage) {}

  create(uploadId: string, key: string, owner: string, settings: UploadSettings, now: number): Upload {
    this.sql.exec(
      "INSERT INTO uploads (upload_id, key, initiated, owner, settings) VALUES (?, ?, ?, ?, ?)",
      uploadId,
      key,
      now,
      owner,
      JSON.stringify(settings),
    );
    return this.get(uploadId)!;
  }

  get(uploadId: string): Upload | undefined {
    const row = this.sql.exec<UploadRow>("SELECT * FROM uploads WHERE upload_id = ?", uploadId).toArray()[0];
    return row ? toUpload(row) : undefined;
  }

  /** Uploads whose key starts with `prefix`, by key (UTF-8 byte order) and then initiation. */
  list(prefix: string): Upload[] {
    const rows = prefix
      ? this.sql
          .exec<UploadRow>(
            "SELECT * FROM uploads WHERE substr(key, 1, ?) = ? ORDER BY key, initiated, rowid",
            prefix.length,
            prefix,
          )
          .toArray()
      : this.sql.exec<UploadRow>("SELECT * FROM uploads ORDER BY key, initiated, rowid").toArray();
    return rows.map(toUpload);
  }

  /** Records a part; returns the part of that number it replaced, if any. */
  putPart(uploadId: string, part: PartWrite, now: number): StoredPartRow | undefined {
    const replaced = this.part(uploadId, part.partNumber);
    this.sql.exec(
      `INSERT INTO parts (upload_id, part_number, data_id, size, etag, last_modified, checksums) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (upload_id, part_number) DO UPDATE SET data_id = excluded.data_id, size = excluded.size,
         etag = excluded.etag, last_modified = excluded.last_modified, checksums = excluded.checksums`,
      uploadId,
      part.partNumber,
      part.dataId,
      part.size,
      part.etag,
      now,
      JSON.stringify(part.checksums),
    );
    return replaced;
  }

  part(uploadId: string, partNumber: number): StoredPartRow | undefined {
    const row = this.sql
      .exec<PartRow>("SELECT * FROM parts WHERE upload_id = ? AND part_number = ?", uploadId, partNumber)
      .toArray()[0];
    return row ? toPart(row) : undefined;
  }

  /** The upload's parts by part number. */
  parts(uploadId: string): StoredPartRow[] {
    return this.sql.exec<PartRow>("SELECT * FROM parts WHERE upload_id = ? ORDER BY part_number", uploadId).toArray().map(toPart);
  }

  /** Removes the upload and its part rows; returns the parts (their data is the caller's to release). */
  delete(uploadId: string): StoredPartRow[] {
    const parts = this.parts(uploadId);
    this.sql.exec("DELETE FROM parts WHERE upload_id = ?", uploadId);
    this.sql.exec("DELETE FROM uploads WHERE upload_id = ?", uploadId);
    return parts;
  }

  /** Every upload's id (DeleteBucket removes them all). */
  uploadIds(): string[] {
    return this.sql
      .exec<{ upload_id: string }>("SELECT upload_id FROM uploads")
      .toArray()
      .map((r) => r.upload_id);
  }
}
