/**
 * Delivery counters of one delivery stream (introspection today, CloudWatch's AWS/Firehose metrics
 * later): records and bytes accepted and delivered, failed attempts, and the last error.
 */
export type CounterName =
  | "incomingRecords"
  | "incomingBytes"
  | "deliveredRecords"
  | "deliveredBytes"
  | "deliveredObjects"
  | "httpRequests"
  | "failedAttempts"
  | "backedUpRecords"
  | "droppedRecords"
  | "sourceRecords";

export class DeliveryCounters {
  constructor(private readonly sql: SqlStorage) {}

  add(name: CounterName, n: number): void {
    if (n === 0) return;
    this.sql.exec(
      "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value",
      name,
      n,
    );
  }

  all(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const row of this.sql.exec<{ name: string; value: number }>("SELECT name, value FROM counters"))
      out[row.name] = row.value;
    return out;
  }
}
