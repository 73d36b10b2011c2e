/**
 * Which data ids exist and what becomes of them. Bytes are written under a fresh id ("writing"),
 * then wait for their object ("written", with a deadline; or "held" without one, as multipart
 * parts are until their upload completes or is aborted), then belong to an object ("live"), and
 * once replaced or deleted are "garbage", removed by the alarm a little later (a GET already
 * streaming the old bytes finishes first). A write that never completed (the process died mid-body)
 * is garbage the next time the object wakes: writes live only in the memory of the object running them.
 */
import { earliest } from "../alarm";

/** How long written bytes wait for the request that wrote them to make them an object. */
export const WRITTEN_TTL_MS = 15 * 60 * 1000;
/** How long replaced bytes stay readable for GETs that already started. */
export const GARBAGE_GRACE_MS = 60 * 1000;

export type DataState = "writing" | "written" | "held" | "live" | "garbage";

export class DataLedger {
  constructor(private readonly sql: SqlStorage) {}

  begin(dataId: string): void {
    this.sql.exec("INSERT INTO data (data_id, state) VALUES (?, 'writing')", dataId);
  }

  written(dataId: string, size: number, now: number): void {
    this.sql.exec("UPDATE data SET state = 'written', size = ?, due = ? WHERE data_id = ?", size, now + WRITTEN_TTL_MS, dataId);
  }

  /** Whether the data id is written and waiting, or held (it can become an object's). */
  isWritten(dataId: string): boolean {
    return this.sql.exec("SELECT 1 FROM data WHERE data_id = ? AND state IN ('written', 'held')", dataId).toArray().length > 0;
  }

  /** Written data kept with no deadline until it becomes an object's or is discarded (multipart parts). */
  hold(dataId: string): boolean {
    return (
      this.sql.exec("UPDATE data SET state = 'held', due = NULL WHERE data_id = ? AND state = 'written'", dataId).rowsWritten > 0
    );
  }

  live(dataId: string): void {
    this.sql.exec("UPDATE data SET state = 'live', due = NULL WHERE data_id = ?", dataId);
  }

  garbage(dataId: string, due: number): void {
    this.sql.exec("UPDATE data SET state = 'garbage', due = ? WHERE data_id = ?", due, dataId);
  }

  /** On wake: writes of an earlier run of the object can never finish. */
  abandonUnfinished(now: number): void {
    this.sql.exec("UPDATE data SET state = 'garbage', due = ? WHERE state = 'writing'", now);
  }

  /** Data ids due for removal (garbage, or written and never claimed), oldest first. */
  due(now: number, limit: number): string[] {
    return this.sql
      .exec<{ data_id: string }>("SELECT data_id FROM data WHERE due IS NOT NULL AND due <= ? ORDER BY due LIMIT ?", now, limit)
      .toArray()
      .map((r) => r.data_id);
  }

  forget(dataId: string): void {
    this.sql.exec("DELETE FROM data WHERE data_id = ?", dataId);
  }

  nextDue(): number | undefined {
    const row = this.sql.exec<{ due: number | null }>("SELECT MIN(due) AS due FROM data WHERE due IS NOT NULL").one();
    return earliest(row.due);
  }
}
