/**
 * ListObjectsV2 and ListObjects (V1): the bucket object pages through its keys (the algorithm is
 * src/domain/s3/listing.ts, the reads src/durable/bucket/listing-query.ts); this writes the
 * ListBucketResult in the element order S3 writes it (Name, Prefix, markers or tokens, KeyCount,
 * MaxKeys, Delimiter, EncodingType, IsTruncated, every Contents, then every CommonPrefixes), and a
 * Contents as Key, LastModified, ETag, ChecksumAlgorithm, ChecksumType, Size, Owner, StorageClass.
 * S3 no longer sends an owner's DisplayName (recorded: Owner carries ID only).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html
 */
import { ok, type Result } from "../../domain/errors";
import type { ListedObject, ListRequest } from "../../domain/s3/contract";
import type { ListObjectsQuery } from "../../domain/s3/listing";
import { canonicalUserId } from "../../domain/s3/names";
import { accessOf, bucketStub } from "./context";
import type { S3Request, S3Response, XmlElement } from "./wire";

const QUERY_NAMES = [
  "prefix",
  "delimiter",
  "max-keys",
  "encoding-type",
  "continuation-token",
  "start-after",
  "fetch-owner",
  "marker",
] as const;

function listingQuery(query: URLSearchParams): ListObjectsQuery {
  const out: ListObjectsQuery = {};
  for (const name of QUERY_NAMES) {
    const value = query.get(name);
    if (value !== null) out[name] = value;
  }
  return out;
}

/** LastModified in listings: ISO 8601 to the second, with S3's `.000` milliseconds. */
const listingDate = (epochMs: number): string => new Date(Math.floor(epochMs / 1000) * 1000).toISOString();

function contentsOf(objects: readonly ListedObject[], ownerId: string | undefined): XmlElement[] {
  return objects.map((o) => ({
    Key: o.key,
    LastModified: listingDate(o.lastModified),
    ETag: o.etag,
    ChecksumAlgorithm: o.checksumAlgorithms.length ? o.checksumAlgorithms : undefined,
    ChecksumType: o.checksumAlgorithms.length ? "FULL_OBJECT" : undefined,
    Size: o.size,
    Owner: ownerId === undefined ? undefined : { ID: ownerId },
    StorageClass: o.storageClass,
  }));
}

const commonPrefixesOf = (prefixes: readonly string[]): XmlElement[] | undefined =>
  prefixes.length ? prefixes.map((Prefix) => ({ Prefix })) : undefined;

async function list(request: S3Request, version: 1 | 2): Promise<Result<S3Response>> {
  const listRequest: ListRequest = { version, query: listingQuery(request.query) };
  const listed = await bucketStub(request).listObjects(accessOf(request), listRequest);
  if (!listed.ok) return listed;
  const result = listed.value;
  const owner = canonicalUserId(result.bucket.owner);
  if (result.version === 1) {
    const page = result.page;
    return ok({
      xml: {
        ListBucketResult: {
          Name: result.bucket.name,
          Prefix: page.prefix,
          Marker: page.marker,
          NextMarker: page.nextMarker,
          MaxKeys: page.maxKeys,
          Delimiter: page.delimiter,
          EncodingType: page.encodingType,
          IsTruncated: page.isTruncated,
          Contents: contentsOf(page.contents, owner),
          CommonPrefixes: commonPrefixesOf(page.commonPrefixes),
        },
      },
    });
  }
  const page = result.page;
  return ok({
    xml: {
      ListBucketResult: {
        Name: result.bucket.name,
        Prefix: page.prefix,
        StartAfter: page.startAfter,
        ContinuationToken: page.continuationToken,
        NextContinuationToken: page.nextContinuationToken,
        KeyCount: page.keyCount,
        MaxKeys: page.maxKeys,
        Delimiter: page.delimiter,
        EncodingType: page.encodingType,
        IsTruncated: page.isTruncated,
        Contents: contentsOf(page.contents, page.fetchOwner ? owner : undefined),
        CommonPrefixes: commonPrefixesOf(page.commonPrefixes),
      },
    },
  });
}

export const listObjectsV2 = (request: S3Request) => list(request, 2);

export const listObjects = (request: S3Request) => list(request, 1);
