/**
 * The `<AccessControlPolicy>` body of PutBucketAcl / PutObjectAcl, read as S3 reads it (recorded in
 * test_s3 test_s3_bucket_acl_exceptions): first its shape (an Owner with an ID; each Grant with a
 * Grantee whose `xsi:type` is CanonicalUser, Group or AmazonCustomerByEmail, and a known
 * Permission), else MalformedACLError; then its values (64-hex canonical ids, known group URIs),
 * else InvalidArgument naming `CanonicalUser/ID` or `Group/URI`. The Grantee's type is an
 * attribute, so this reads the document itself, attributes kept.
 */
import { XMLParser } from "fast-xml-parser";
import { fail, ok, type Result } from "../errors";
import { ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY, type AccessControlList, type Grant, type Permission } from "./acl";
import { aclArgument, malformedAcl } from "./settings-errors";
import { listOf, nodeOf, textOf } from "./xml-values";

const PERMISSIONS: readonly Permission[] = ["FULL_CONTROL", "READ", "WRITE", "READ_ACP", "WRITE_ACP"];
const GROUP_URIS = [ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY];
const CANONICAL_ID = /^[0-9a-f]{64}$/;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
});

function grantOf(item: unknown): Grant | undefined {
  const grant = nodeOf(item);
  const grantee = nodeOf(grant?.Grantee);
  const permission = textOf(grant?.Permission) as Permission | undefined;
  if (!grantee || !permission || !PERMISSIONS.includes(permission)) return undefined;
  const type = textOf(grantee["@type"]);
  const id = textOf(grantee.ID);
  const uri = textOf(grantee.URI);
  const email = textOf(grantee.EmailAddress);
  if (type === "CanonicalUser" && id !== undefined) return { grantee: { type, id }, permission };
  if (type === "Group" && uri !== undefined) return { grantee: { type, uri }, permission };
  if (type === "AmazonCustomerByEmail" && email !== undefined) return { grantee: { type: "Email", email }, permission };
  return undefined;
}

export function parseAccessControlPolicy(text: string): Result<AccessControlList> {
  let document: Record<string, unknown>;
  try {
    document = parser.parse(text, true) as Record<string, unknown>;
  } catch {
    return fail(malformedAcl());
  }
  const policy = nodeOf(document.AccessControlPolicy);
  const ownerId = textOf(nodeOf(policy?.Owner)?.ID);
  if (!policy || ownerId === undefined) return fail(malformedAcl());
  const list = policy.AccessControlList === undefined ? {} : nodeOf(policy.AccessControlList);
  if (!list) return fail(malformedAcl());
  const grants: Grant[] = [];
  for (const item of listOf(list.Grant)) {
    const grant = grantOf(item);
    if (!grant) return fail(malformedAcl());
    grants.push(grant);
  }
  if (!CANONICAL_ID.test(ownerId)) return fail(aclArgument("Invalid id", "CanonicalUser/ID", ownerId));
  for (const { grantee } of grants) {
    if (grantee.type === "CanonicalUser" && !CANONICAL_ID.test(grantee.id))
      return fail(aclArgument("Invalid id", "CanonicalUser/ID", grantee.id));
    if (grantee.type === "Group" && !GROUP_URIS.includes(grantee.uri))
      return fail(aclArgument("Invalid group uri", "Group/URI", grantee.uri));
  }
  return ok(grants);
}
