/**
 * S3AccountObject: the buckets one account owns, for ListBuckets (every region at once, as S3 lists
 * them). Bucket objects remain the truth; the service adds a bucket here after creating it and
 * removes it after deleting it.
 */
import { DurableObject } from "cloudflare:workers";
import type { BucketInfo } from "../domain/s3/contract";
import { migrate, type Migration } from "./sql";

const MIGRATIONS: readonly Migration[] = [
  ["CREATE TABLE buckets (name TEXT PRIMARY KEY, region TEXT NOT NULL, created_at INTEGER NOT NULL)"],
];

export class S3AccountObject extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage.sql, MIGRATIONS);
  }

  add(bucket: BucketInfo): void {
    this.ctx.storage.sql.exec(
      "INSERT INTO buckets (name, region, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
      bucket.name,
      bucket.region,
      bucket.createdAt,
    );
  }

  remove(name: string): void {
    this.ctx.storage.sql.exec("DELETE FROM buckets WHERE name = ?", name);
  }

  /** The account's buckets by name; `owner` is the account. */
  list(owner: string): BucketInfo[] {
    return this.ctx.storage.sql
      .exec<{ name: string; region: string; created_at: number }>("SELECT name, region, created_at FROM buckets ORDER BY name")
      .toArray()
      .map((r) => ({ name: r.name, owner, region: r.region, createdAt: r.created_at }));
  }
}
