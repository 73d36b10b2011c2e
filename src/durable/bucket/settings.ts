/**
 * A bucket's settings (tagging, policy, CORS, versioning, lifecycle, ACL, encryption): one row each
 * in the bucket object's meta table, `setting:<name>`, as JSON. Each row carries the creation time
 * of the bucket it was set on, so a bucket deleted and created again under the same name starts
 * with none (S3 forgets a deleted bucket's lifecycle configuration: recorded), without the delete
 * having to know about settings.
 */
import type { BucketInfo, BucketSettingName } from "../../domain/s3/contract";
import type { MetaTable } from "../meta";

interface StoredSetting {
  /** The createdAt of the bucket the setting belongs to. */
  bucket: number;
  value: unknown;
}

const rowKey = (name: BucketSettingName) => `setting:${name}`;

const NAMES: readonly BucketSettingName[] = ["tagging", "policy", "cors", "versioning", "lifecycle", "acl", "encryption"];

export class BucketSettings {
  constructor(private readonly meta: MetaTable) {}

  get<T>(bucket: BucketInfo, name: BucketSettingName): T | undefined {
    const stored = this.meta.get<StoredSetting>(rowKey(name));
    return stored && stored.bucket === bucket.createdAt ? (stored.value as T) : undefined;
  }

  put(bucket: BucketInfo, name: BucketSettingName, value: unknown): void {
    this.meta.set(rowKey(name), { bucket: bucket.createdAt, value } satisfies StoredSetting);
  }

  delete(name: BucketSettingName): void {
    this.meta.delete(rowKey(name));
  }

  /** Removes every setting (for the bucket's delete to call; reads ignore a deleted bucket's rows anyway). */
  clear(): void {
    for (const name of NAMES) this.meta.delete(rowKey(name));
  }
}
