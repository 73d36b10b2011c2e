/**
 * S3 tags: the `<Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>` document of
 * Put{Bucket,Object}Tagging, the `x-amz-tagging` header of PutObject (a URL query string), and the
 * one validation both go through, as AWS checks them: each tag in order (a key of 1–128 and a value
 * of at most 256 characters from Unicode letters, digits, spaces and `+ - = . _ : / @`; no repeated
 * key; no `aws:` prefix), then the count (10 per object, 50 per bucket).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html
 */
import { fail, ok, type Problem, type Result } from "../errors";
import type { Tag } from "./contract";
import { invalidArgument, malformedXml } from "./errors";
import {
  duplicateTagKey,
  invalidTagKey,
  reservedNewBucketTag,
  invalidTagValue,
  systemBucketTag,
  systemObjectTag,
  tooManyBucketTags,
  tooManyObjectTags,
} from "./settings-errors";
import { listOf, nodeOf, rootOf, textOf } from "./xml-values";

/** `new-bucket`: the Tags of CreateBucket's CreateBucketConfiguration, whose `aws:` refusal is worded apart (recorded). */
export type TagTarget = "object" | "bucket" | "new-bucket";

export const MAX_OBJECT_TAGS = 10;
export const MAX_BUCKET_TAGS = 50;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;

const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Characters, not UTF-16 units: AWS counts Unicode characters. */
const lengthOf = (text: string): number => [...text].length;

/** The first problem of a tag set, checked as AWS does: tag by tag, then the count. */
export function tagsProblem(tags: readonly Tag[], target: TagTarget): Problem {
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    if (key === "" || lengthOf(key) > MAX_TAG_KEY_LENGTH || !TAG_CHARACTERS.test(key)) return invalidTagKey(key);
    if (lengthOf(value) > MAX_TAG_VALUE_LENGTH || !TAG_CHARACTERS.test(value)) return invalidTagValue(key, value);
    if (key.toLowerCase().startsWith("aws:"))
      return target === "bucket" ? systemBucketTag(key) : target === "object" ? systemObjectTag(key) : reservedNewBucketTag();
    if (seen.has(key)) return duplicateTagKey(key);
    seen.add(key);
  }
  if (target === "object" && tags.length > MAX_OBJECT_TAGS) return tooManyObjectTags();
  if (target !== "object" && tags.length > MAX_BUCKET_TAGS) return tooManyBucketTags();
  return undefined;
}

/**
 * The tags of a `<Tagging>` document, validated. A tag without its Key or Value is MalformedXML
 * (botocore sends none for a None value, and S3 refuses that); an empty `<TagSet/>` is no tags.
 */
export function parseTaggingDocument(document: Record<string, unknown> | undefined, target: TagTarget): Result<Tag[]> {
  const tagging = rootOf(document, "Tagging");
  if (!tagging) return fail(malformedXml());
  const tagSet = nodeOf(tagging.TagSet);
  if (!tagSet) return fail(malformedXml());
  const tags: Tag[] = [];
  for (const item of listOf(tagSet.Tag)) {
    const tag = nodeOf(item);
    const key = textOf(tag?.Key);
    const value = textOf(tag?.Value);
    if (key === undefined || value === undefined) return fail(malformedXml());
    tags.push({ key, value });
  }
  const problem = tagsProblem(tags, target);
  return problem ? fail(problem) : ok(tags);
}

const DUPLICATE_IN_HEADER =
  "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.";

/**
 * `x-amz-tagging: k1=v1&k2=v2` (PutObject, CreateMultipartUpload, CopyObject with REPLACE) as tags
 * in order, validated like a `<Tagging>` document. A repeated name is refused with the header's own
 * InvalidArgument (recorded), and so is `k1=v1,k2=v2`, whose value `v1,k2=v2` has a character tags
 * may not; a name without `=` is a tag with an empty value (recorded: `wrongquery&wrongagain`).
 */
export function parseTaggingHeader(value: string | undefined): Result<Tag[]> {
  if (value === undefined || value === "") return ok([]);
  const refused = () => fail(invalidArgument(DUPLICATE_IN_HEADER, "x-amz-tagging", value));
  const tags: Tag[] = [];
  const seen = new Set<string>();
  for (const [key, tagValue] of new URLSearchParams(value)) {
    if (seen.has(key)) return refused();
    seen.add(key);
    tags.push({ key, value: tagValue });
  }
  const problem = tagsProblem(tags, "object");
  if (problem?.code === "InvalidTag" && problem.message.startsWith("The Tag")) return refused();
  return problem ? fail(problem) : ok(tags);
}

/** A tag set as S3 writes it: `<TagSet><Tag><Key/><Value/></Tag>…</TagSet>`. */
export const tagSetXml = (tags: readonly Tag[]) => ({ Tag: tags.map((t) => ({ Key: t.key, Value: t.value })) });
