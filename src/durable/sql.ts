/**
 * Schema migrations for Durable Object SQLite storage: an ordered list of statements per object kind,
 * applied on wake and recorded in `_schema_migrations` (SQLite's `PRAGMA user_version` is not
 * available to Durable Objects).
 */
export type Migration = readonly string[];

export function migrate(sql: SqlStorage, migrations: readonly Migration[]): void {
  sql.exec("CREATE TABLE IF NOT EXISTS _schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)");
  const row = sql.exec<{ v: number | null }>("SELECT MAX(version) AS v FROM _schema_migrations").one();
  for (let version = (row.v ?? 0) + 1; version <= migrations.length; version++) {
    for (const statement of migrations[version - 1]!) sql.exec(statement);
    sql.exec("INSERT INTO _schema_migrations (version, applied_at) VALUES (?, ?)", version, Date.now());
  }
}
