/**
 * An object's settings rows: one JSON document per key in its `meta (key TEXT PRIMARY KEY, value TEXT
 * NOT NULL)` table (created by the object's first migration). Values are read once, on wake, into
 * typed fields; this is only their storage.
 */
export class MetaTable {
  constructor(private readonly sql: SqlStorage) {}

  get<T>(key: string): T | undefined {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  set(key: string, value: unknown): void {
    this.sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      key,
      JSON.stringify(value),
    );
  }

  delete(key: string): void {
    this.sql.exec("DELETE FROM meta WHERE key = ?", key);
  }
}
