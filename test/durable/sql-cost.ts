/**
 * A cost that does not depend on the machine's load: the rows SQLite read for the statements a call
 * ran inside an object (run it inside `runInDurableObject`, with the object's own `sql`).
 */
export function rowsReadBy(sql: SqlStorage, fn: () => unknown): number {
  const exec = sql.exec;
  const cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
  sql.exec = ((query: string, ...bindings: unknown[]) => {
    const cursor = exec.call(sql, query, ...bindings);
    cursors.push(cursor);
    return cursor;
  }) as typeof exec;
  try {
    fn();
  } finally {
    sql.exec = exec;
  }
  return cursors.reduce((sum, cursor) => sum + cursor.rowsRead, 0);
}
