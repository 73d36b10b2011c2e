/**
 * The key source of ListObjects and ListObjectsV2 (src/domain/s3/listing.ts): one indexed range read
 * of the objects table per call, `key` between the start and the end of the prefix, in SQLite's
 * BINARY order (UTF-8 bytes, as S3 lists). Only the columns a listing shows are read, and the stored
 * storage class is picked out of the headers by SQLite, so a page of 1,000 keys parses no JSON but
 * the small checksum map.
 */
import type { ChecksumAlgorithm } from "../../domain/s3/checksums";
import type { ListedObject, ListRequest } from "../../domain/s3/contract";
import {
  compareUtf8,
  listObjectsV1,
  listObjectsV2,
  prefixEnd,
  type KeySource,
  type KeyStart,
  type ListObjectsV1Output,
  type ListObjectsV2Output,
} from "../../domain/s3/listing";
import { ok, type Result } from "../../domain/errors";

interface ListingRow {
  key: string;
  size: number;
  etag: string;
  last_modified: number;
  checksums: string;
  storage_class: string | null;
  [column: string]: SqlStorageValue;
}

const COLUMNS = `key, size, etag, last_modified, checksums, json_extract(headers, '$."x-amz-storage-class"') AS storage_class`;

const toListed = (row: ListingRow): ListedObject => ({
  key: row.key,
  size: row.size,
  etag: row.etag,
  lastModified: row.last_modified,
  checksumAlgorithms: row.checksums === "{}" ? [] : (Object.keys(JSON.parse(row.checksums)) as ChecksumAlgorithm[]),
  storageClass: row.storage_class ?? "STANDARD",
});

/** The lower bound of a read: the later of the start and the prefix (`>` after a key, `>=` from a bound). */
function lowerBound(start: KeyStart, prefix: string): { op: ">" | ">="; value: string } | undefined {
  if (start === undefined) return prefix === "" ? undefined : { op: ">=", value: prefix };
  if ("after" in start)
    return compareUtf8(start.after, prefix) >= 0 ? { op: ">", value: start.after } : { op: ">=", value: prefix };
  return { op: ">=", value: compareUtf8(start.from, prefix) >= 0 ? start.from : prefix };
}

export class ObjectListing {
  constructor(private readonly sql: SqlStorage) {}

  /** Up to `limit` objects past `start` under `prefix`, ascending by key: one range scan of the key index. */
  readonly source: KeySource<ListedObject> = (start, prefix, limit) => {
    const conditions: string[] = [];
    const bindings: SqlStorageValue[] = [];
    const lower = lowerBound(start, prefix);
    if (lower) {
      conditions.push(`key ${lower.op} ?`);
      bindings.push(lower.value);
    }
    const upper = prefix === "" ? undefined : prefixEnd(prefix);
    if (upper !== undefined) {
      conditions.push("key < ?");
      bindings.push(upper);
    }
    const where = conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
    const cap = Number.isFinite(limit) ? limit : -1; // SQLite: a negative LIMIT is none
    return this.sql
      .exec<ListingRow>(`SELECT ${COLUMNS} FROM objects ${where} ORDER BY key LIMIT ?`, ...bindings, cap)
      .toArray()
      .map(toListed);
  };

  list(
    request: ListRequest,
  ): Result<{ version: 1; page: ListObjectsV1Output<ListedObject> } | { version: 2; page: ListObjectsV2Output<ListedObject> }> {
    if (request.version === 1) {
      const page = listObjectsV1(this.source, request.query);
      return page.ok ? ok({ version: 1 as const, page: page.value }) : page;
    }
    const page = listObjectsV2(this.source, request.query);
    return page.ok ? ok({ version: 2 as const, page: page.value }) : page;
  }
}
