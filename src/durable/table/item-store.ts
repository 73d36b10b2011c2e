/**
 * A table's items in SQLite: one row per item keyed by the order-preserving encodings of its hash and
 * range key values (src/domain/dynamodb/key-encoding.ts), so a partition's items are one index range in
 * sort-key order; the item itself as DynamoDB JSON (B as base64). Secondary indexes are rows of
 * (index, index hash, index range, table hash, table range) pointing back at the item, kept in the
 * same transaction as the item.
 */

export interface StoredItem {
  hash: string;
  range: string;
  /** DynamoDB JSON of the whole item. */
  item: string;
  size: number;
  /** Epoch ms the item's Time to Live attribute says it expires, if any. */
  expires?: number | null;
}

export interface IndexEntry {
  index: string;
  hash: string;
  range: string;
}

export interface RangeBounds {
  /** Inclusive or exclusive lower and upper bounds on the encoded range key. */
  low?: { value: string; inclusive: boolean };
  high?: { value: string; inclusive: boolean };
}

type Row = { hash: string; range: string; item: string; size: number };

export class ItemStore {
  constructor(private readonly sql: SqlStorage) {}

  get(hash: string, range: string): StoredItem | undefined {
    return this.sql.exec<Row>("SELECT hash, range, item, size FROM items WHERE hash = ? AND range = ?", hash, range).toArray()[0];
  }

  /** Writes the item and replaces its index entries (call inside a transaction); `indexed`: the table has indexes. */
  put(row: StoredItem, entries: readonly IndexEntry[], indexed = true): void {
    this.sql.exec(
      `INSERT INTO items (hash, range, item, size, expires) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (hash, range) DO UPDATE SET item = excluded.item, size = excluded.size, expires = excluded.expires`,
      row.hash,
      row.range,
      row.item,
      row.size,
      row.expires ?? null,
    );
    if (indexed) this.sql.exec("DELETE FROM index_rows WHERE table_hash = ? AND table_range = ?", row.hash, row.range);
    for (const e of entries)
      this.sql.exec(
        "INSERT INTO index_rows (index_name, hash, range, table_hash, table_range) VALUES (?, ?, ?, ?, ?)",
        e.index,
        e.hash,
        e.range,
        row.hash,
        row.range,
      );
  }

  delete(hash: string, range: string, indexed = true): void {
    this.sql.exec("DELETE FROM items WHERE hash = ? AND range = ?", hash, range);
    if (indexed) this.sql.exec("DELETE FROM index_rows WHERE table_hash = ? AND table_range = ?", hash, range);
  }

  /** Items of one partition in sort-key order (or reversed), within the bounds, after `after`. */
  partition(hash: string, bounds: RangeBounds, forward: boolean, after: string | undefined, limit: number): StoredItem[] {
    const where = ["hash = ?"];
    const args: SqlStorageValue[] = [hash];
    if (bounds.low) {
      where.push(`range ${bounds.low.inclusive ? ">=" : ">"} ?`);
      args.push(bounds.low.value);
    }
    if (bounds.high) {
      where.push(`range ${bounds.high.inclusive ? "<=" : "<"} ?`);
      args.push(bounds.high.value);
    }
    if (after !== undefined) {
      where.push(forward ? "range > ?" : "range < ?");
      args.push(after);
    }
    return this.sql
      .exec<Row>(
        `SELECT hash, range, item, size FROM items WHERE ${where.join(" AND ")} ORDER BY range ${forward ? "ASC" : "DESC"} LIMIT ?`,
        ...args,
        limit,
      )
      .toArray();
  }

  /** Items of one index partition, in the index's sort order (ties by table key), after a position. */
  indexPartition(
    index: string,
    hash: string,
    bounds: RangeBounds,
    forward: boolean,
    after: { range: string; tableHash: string; tableRange: string } | undefined,
    limit: number,
  ): (StoredItem & { indexRange: string })[] {
    const where = ["r.index_name = ?", "r.hash = ?"];
    const args: SqlStorageValue[] = [index, hash];
    if (bounds.low) {
      where.push(`r.range ${bounds.low.inclusive ? ">=" : ">"} ?`);
      args.push(bounds.low.value);
    }
    if (bounds.high) {
      where.push(`r.range ${bounds.high.inclusive ? "<=" : "<"} ?`);
      args.push(bounds.high.value);
    }
    if (after) {
      const op = forward ? ">" : "<";
      where.push(`(r.range, r.table_hash, r.table_range) ${op} (?, ?, ?)`);
      args.push(after.range, after.tableHash, after.tableRange);
    }
    const order = forward ? "ASC" : "DESC";
    return this.sql
      .exec<Row & { indexRange: string }>(
        `SELECT i.hash, i.range, i.item, i.size, r.range AS indexRange FROM index_rows r
         JOIN items i ON i.hash = r.table_hash AND i.range = r.table_range
         WHERE ${where.join(" AND ")} ORDER BY r.range ${order}, r.table_hash ${order}, r.table_range ${order} LIMIT ?`,
        ...args,
        limit,
      )
      .toArray();
  }

  /** Every item in key order after a position (Scan), optionally only an index's items. */
  scan(after: { hash: string; range: string } | undefined, limit: number, index?: string): StoredItem[] {
    if (index)
      return this.sql
        .exec<Row>(
          `SELECT DISTINCT i.hash, i.range, i.item, i.size FROM index_rows r JOIN items i ON i.hash = r.table_hash AND i.range = r.table_range
           WHERE r.index_name = ? AND (i.hash, i.range) > (?, ?) ORDER BY i.hash, i.range LIMIT ?`,
          index,
          after?.hash ?? "",
          after?.range ?? "",
          limit,
        )
        .toArray();
    return this.sql
      .exec<Row>(
        "SELECT hash, range, item, size FROM items WHERE (hash, range) > (?, ?) ORDER BY hash, range LIMIT ?",
        after?.hash ?? "",
        after?.range ?? "",
        limit,
      )
      .toArray();
  }

  /** Every item, a page at a time (a GSI's backfill). */
  *all(): Generator<StoredItem> {
    let after: { hash: string; range: string } | undefined;
    for (;;) {
      const page = this.scan(after, 500);
      yield* page;
      if (page.length < 500) return;
      const last = page[page.length - 1]!;
      after = { hash: last.hash, range: last.range };
    }
  }

  /** One index entry for an item already stored (a backfill; nothing if it is there). */
  addIndexEntry(entry: IndexEntry, item: { hash: string; range: string }): void {
    this.sql.exec(
      "INSERT OR IGNORE INTO index_rows (index_name, hash, range, table_hash, table_range) VALUES (?, ?, ?, ?, ?)",
      entry.index,
      entry.hash,
      entry.range,
      item.hash,
      item.range,
    );
  }

  dropIndex(index: string): void {
    this.sql.exec("DELETE FROM index_rows WHERE index_name = ?", index);
  }

  // ---- Time to Live ----

  /** The earliest expiry of any item. */
  nextExpiry(): number | undefined {
    return (
      this.sql.exec<{ t: number | null }>("SELECT MIN(expires) AS t FROM items WHERE expires IS NOT NULL").one().t ?? undefined
    );
  }

  /** Items expired by `now`, at most `limit`. */
  expired(now: number, limit: number): StoredItem[] {
    return this.sql
      .exec<Row>(
        "SELECT hash, range, item, size FROM items WHERE expires IS NOT NULL AND expires <= ? ORDER BY expires LIMIT ?",
        now,
        limit,
      )
      .toArray();
  }

  setExpiry(hash: string, range: string, expires: number | null): void {
    this.sql.exec("UPDATE items SET expires = ? WHERE hash = ? AND range = ?", expires, hash, range);
  }

  stats(): { items: number; bytes: number } {
    const row = this.sql.exec<{ n: number; b: number | null }>("SELECT COUNT(*) AS n, SUM(size) AS b FROM items").one();
    return { items: row.n, bytes: row.b ?? 0 };
  }

  clear(): void {
    this.sql.exec("DELETE FROM items");
    this.sql.exec("DELETE FROM index_rows");
  }
}
