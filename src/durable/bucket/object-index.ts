/**
 * The bucket's objects: one row per key, pointing at the data segments that hold its bytes. A new
 * object replaces the old row in one statement, so a reader sees the old object or the new one,
 * never a mix; the old object's data is then handed to the ledger as garbage.
 */
import type { ObjectRecord, ObjectWrite, Tag } from "../../domain/s3/contract";

interface ObjectRow {
  key: string;
  size: number;
  etag: string;
  last_modified: number;
  headers: string;
  metadata: string;
  checksums: string;
  tags: string;
  segments: string;
  [column: string]: SqlStorageValue;
}

const toRecord = (row: ObjectRow): ObjectRecord => ({
  key: row.key,
  size: row.size,
  etag: row.etag,
  lastModified: row.last_modified,
  headers: JSON.parse(row.headers) as ObjectRecord["headers"],
  metadata: JSON.parse(row.metadata) as ObjectRecord["metadata"],
  checksums: JSON.parse(row.checksums) as ObjectRecord["checksums"],
  tags: JSON.parse(row.tags) as ObjectRecord["tags"],
  segments: JSON.parse(row.segments) as ObjectRecord["segments"],
});

export class ObjectIndex {
  constructor(private readonly sql: SqlStorage) {}

  get(key: string): ObjectRecord | undefined {
    const row = this.sql.exec<ObjectRow>("SELECT * FROM objects WHERE key = ?", key).toArray()[0];
    return row ? toRecord(row) : undefined;
  }

  /** Writes the object's row (insert or replace); returns the replaced object, if any. */
  put(write: ObjectWrite, now: number): { record: ObjectRecord; replaced?: ObjectRecord } {
    const replaced = this.get(write.key);
    const record: ObjectRecord = { ...write, lastModified: now };
    this.sql.exec(
      `INSERT INTO objects (key, size, etag, last_modified, headers, metadata, checksums, tags, segments)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET size = excluded.size, etag = excluded.etag, last_modified = excluded.last_modified,
         headers = excluded.headers, metadata = excluded.metadata, checksums = excluded.checksums, tags = excluded.tags,
         segments = excluded.segments`,
      record.key,
      record.size,
      record.etag,
      record.lastModified,
      JSON.stringify(record.headers),
      JSON.stringify(record.metadata),
      JSON.stringify(record.checksums),
      JSON.stringify(record.tags),
      JSON.stringify(record.segments),
    );
    return replaced ? { record, replaced } : { record };
  }

  /** Removes the object's row; returns it, if there was one. */
  delete(key: string): ObjectRecord | undefined {
    const existing = this.get(key);
    if (existing) this.sql.exec("DELETE FROM objects WHERE key = ?", key);
    return existing;
  }

  /** Updates an object's tags in place (Put/DeleteObjectTagging); false when there is no such key. */
  setTags(key: string, tags: Tag[]): boolean {
    return this.sql.exec("UPDATE objects SET tags = ? WHERE key = ?", JSON.stringify(tags), key).rowsWritten > 0;
  }

  /**
   * Up to `limit` objects in key order (UTF-8 binary order, as S3 lists), with keys after `after`
   * and starting with `prefix`: the scan ListObjects(V2) pages are built from.
   */
  scan(prefix: string, after: string | undefined, limit: number): ObjectRecord[] {
    const from = after !== undefined && after >= prefix ? after : undefined;
    const rows = this.sql
      .exec<ObjectRow>(
        from === undefined
          ? "SELECT * FROM objects WHERE key >= ? ORDER BY key LIMIT ?"
          : "SELECT * FROM objects WHERE key > ? ORDER BY key LIMIT ?",
        from ?? prefix,
        limit,
      )
      .toArray();
    const records: ObjectRecord[] = [];
    for (const row of rows) {
      if (!row.key.startsWith(prefix)) break;
      records.push(toRecord(row));
    }
    return records;
  }

  isEmpty(): boolean {
    return this.sql.exec("SELECT 1 FROM objects LIMIT 1").toArray().length === 0;
  }

  count(): { objects: number; bytes: number } {
    const row = this.sql.exec<{ n: number; bytes: number | null }>("SELECT COUNT(*) AS n, SUM(size) AS bytes FROM objects").one();
    return { objects: row.n, bytes: row.bytes ?? 0 };
  }
}
