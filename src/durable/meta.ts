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

/**
 * A MetaTable whose values are also kept in memory after the first read, for objects that read their
 * settings on every request (a DynamoDB table reads its status and Time to Live setting per write).
 * Values are shared, not copied: callers replace them with `set`, never change them in place.
 */
export class CachedMetaTable extends MetaTable {
  readonly #values = new Map<string, unknown>();

  override get<T>(key: string): T | undefined {
    if (this.#values.has(key)) return this.#values.get(key) as T | undefined;
    const value = super.get<T>(key);
    this.#values.set(key, value);
    return value;
  }

  override set(key: string, value: unknown): void {
    super.set(key, value);
    this.#values.set(key, value);
  }

  override delete(key: string): void {
    super.delete(key);
    this.#values.set(key, undefined);
  }
}
