/**
 * S3's developer route, beside the other services' under `/_aws/…`: the caller's buckets with their
 * object counts and stored bytes, without paging through ListObjects. Locally any account can be
 * asked for (`?account=`, default 000000000000); with signatures verified, the signed caller's only.
 */
import { ok } from "../../domain/errors";
import { bucketObject, s3AccountObject } from "../../durable/names";
import type { Route } from "../descriptor";

export const s3Routes: readonly Route[] = [
  {
    method: "GET",
    path: "/_aws/s3/buckets",
    async handle({ env, caller, url }) {
      const account = caller?.account ?? url.searchParams.get("account") ?? "000000000000";
      const buckets = await s3AccountObject(env, account).list(account);
      const counted = await Promise.all(
        buckets.map(async (b) => ({
          name: b.name,
          region: b.region,
          createdAt: new Date(b.createdAt).toISOString(),
          ...(await bucketObject(env, b.name).stats()),
        })),
      );
      return ok({ account, buckets: counted });
    },
  },
];
