/**
 * DeleteObjects' request body: `<Delete><Quiet/>?<Object><Key/><VersionId/>?</Object>…</Delete>`, read
 * by its own parser so that keys keep their spaces (S3 keys may begin or end with one), 1 to 1,000
 * objects (more, none, a missing Key, or XML that does not parse: MalformedXML). In an unversioned
 * bucket every object is version `null`; any other version id is answered NoSuchVersion for its key.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
 */
import { XMLParser } from "fast-xml-parser";
import { fail, ok, type Result } from "../errors";
import { malformedXml } from "./errors";

export const MAX_DELETE_OBJECTS = 1000;

export interface DeleteTarget {
  key: string;
  versionId?: string;
}

export interface DeleteRequest {
  quiet: boolean;
  objects: DeleteTarget[];
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  isArray: (_name, jpath) => jpath === "Delete.Object",
});

/** A text element's value: `<Key>a</Key>` is "a", `<Key></Key>` is "", anything else (children) undefined. */
function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  return undefined;
}

export function parseDeleteRequest(text: string): Result<DeleteRequest> {
  let document: Record<string, unknown>;
  try {
    document = parser.parse(text, true) as Record<string, unknown>;
  } catch {
    return fail(malformedXml());
  }
  const root = document.Delete;
  if (root === null || typeof root !== "object") return fail(malformedXml());
  const { Object: entries, Quiet } = root as { Object?: unknown[]; Quiet?: unknown };
  if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_DELETE_OBJECTS) return fail(malformedXml());
  let quiet = false;
  if (Quiet !== undefined) {
    const value = textOf(Quiet)?.trim().toLowerCase();
    if (value !== "true" && value !== "false") return fail(malformedXml());
    quiet = value === "true";
  }
  const objects: DeleteTarget[] = [];
  for (const entry of entries) {
    if (entry === null || typeof entry !== "object") return fail(malformedXml());
    const { Key, VersionId } = entry as { Key?: unknown; VersionId?: unknown };
    const key = textOf(Key);
    if (key === undefined || key === "") return fail(malformedXml());
    const versionId = VersionId === undefined ? undefined : textOf(VersionId)?.trim();
    if (VersionId !== undefined && versionId === undefined) return fail(malformedXml());
    objects.push(versionId ? { key, versionId } : { key });
  }
  return ok({ quiet, objects });
}
