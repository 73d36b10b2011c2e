/**
 * CatalogObject: the queues of one (account, region). Each queue object registers itself here on
 * create and unregisters on delete; ListQueues and ListDeadLetterSourceQueues read from here. The
 * queue objects remain the truth about a queue; this is their index.
 */
import { DurableObject } from "cloudflare:workers";
import { migrate, type Migration } from "./sql";

const MIGRATIONS: readonly Migration[] = [
  [
    `CREATE TABLE queues (
      name TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL,
      dead_letter_target TEXT
    )`,
    "CREATE INDEX queues_by_dead_letter_target ON queues (dead_letter_target, name)",
  ],
];

export interface CatalogEntry {
  name: string;
  createdAt: number;
  /** ARN of the queue's dead-letter queue, if it has a RedrivePolicy. */
  deadLetterTarget: string | null;
}

export class CatalogObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage.sql, MIGRATIONS);
  }

  /** Adds or updates a queue's entry (idempotent). */
  register(entry: CatalogEntry): void {
    this.ctx.storage.sql.exec(
      `INSERT INTO queues (name, created_at, dead_letter_target) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET created_at = excluded.created_at, dead_letter_target = excluded.dead_letter_target`,
      entry.name,
      entry.createdAt,
      entry.deadLetterTarget,
    );
  }

  unregister(name: string): void {
    this.ctx.storage.sql.exec("DELETE FROM queues WHERE name = ?", name);
  }

  /** Names in order, filtered by a case-sensitive prefix, starting after `after`. */
  list(prefix: string, limit: number, after?: string): string[] {
    return this.ctx.storage.sql
      .exec<{ name: string }>(
        "SELECT name FROM queues WHERE substr(name, 1, ?) = ? AND name > ? ORDER BY name LIMIT ?",
        prefix.length,
        prefix,
        after ?? "",
        limit,
      )
      .toArray()
      .map((r) => r.name);
  }

  /** Queues whose RedrivePolicy names `targetArn` as their dead-letter queue. */
  deadLetterSources(targetArn: string, limit: number, after?: string): string[] {
    return this.ctx.storage.sql
      .exec<{ name: string }>(
        "SELECT name FROM queues WHERE dead_letter_target = ? AND name > ? ORDER BY name LIMIT ?",
        targetArn,
        after ?? "",
        limit,
      )
      .toArray()
      .map((r) => r.name);
  }
}
