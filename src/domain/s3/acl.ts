/**
 * Access control lists as S3 answers them: a canned ACL (`x-amz-acl`) or grant headers
 * (`x-amz-grant-read: uri="…", id="…"`) become the grants GetBucketAcl / GetObjectAcl list, owner
 * first (recorded in test_s3 test_s3_bucket_acl / test_s3_object_acl and their exceptions). The
 * grants are shown, not enforced: access here is the owner's (strict mode) or anyone's.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html
 */
import { fail, ok, type Result } from "../errors";
import { aclArgument, cannedAndGrants, invalidCannedAcl, missingAcl } from "./settings-errors";

export type Permission = "FULL_CONTROL" | "READ" | "WRITE" | "READ_ACP" | "WRITE_ACP";
export type Grantee = { type: "CanonicalUser"; id: string } | { type: "Group"; uri: string } | { type: "Email"; email: string };
export interface Grant {
  grantee: Grantee;
  permission: Permission;
}

/** Stored grants; the owner's FULL_CONTROL is written out as `{ type: "CanonicalUser", id: "owner" }`. */
export type AccessControlList = Grant[];

const GROUPS = "http://acs.amazonaws.com/groups/";
export const ALL_USERS = `${GROUPS}global/AllUsers`;
export const AUTHENTICATED_USERS = `${GROUPS}global/AuthenticatedUsers`;
export const LOG_DELIVERY = `${GROUPS}s3/LogDelivery`;
const KNOWN_GROUPS = [ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY];

export const OWNER = "owner";
const owner = (permission: Permission = "FULL_CONTROL"): Grant => ({ grantee: { type: "CanonicalUser", id: OWNER }, permission });
const group = (uri: string, permission: Permission): Grant => ({ grantee: { type: "Group", uri }, permission });

export const PRIVATE_ACL: AccessControlList = [owner()];

/** The canned ACLs and their grants; the bucket-owner-* ones are objects' (on a bucket, the owner's alone). */
const CANNED: Readonly<Record<string, AccessControlList>> = {
  private: PRIVATE_ACL,
  "public-read": [owner(), group(ALL_USERS, "READ")],
  "public-read-write": [owner(), group(ALL_USERS, "READ"), group(ALL_USERS, "WRITE")],
  "authenticated-read": [owner(), group(AUTHENTICATED_USERS, "READ")],
  "log-delivery-write": [owner(), group(LOG_DELIVERY, "WRITE"), group(LOG_DELIVERY, "READ_ACP")],
  "aws-exec-read": PRIVATE_ACL,
  "bucket-owner-read": PRIVATE_ACL,
  "bucket-owner-full-control": PRIVATE_ACL,
};

const GRANT_HEADERS: Readonly<Record<string, Permission>> = {
  "x-amz-grant-full-control": "FULL_CONTROL",
  "x-amz-grant-read": "READ",
  "x-amz-grant-write": "WRITE",
  "x-amz-grant-read-acp": "READ_ACP",
  "x-amz-grant-write-acp": "WRITE_ACP",
};

/** The grants of one `x-amz-grant-*` header: `uri="…"`, `id="…"` or `emailAddress="…"`, comma-separated. */
function grantsOf(header: string, value: string, permission: Permission): Result<Grant[]> {
  const grants: Grant[] = [];
  for (const part of value.split(",")) {
    const match = /^\s*([A-Za-z]+)\s*=\s*"?([^"]*)"?\s*$/.exec(part);
    const [name, given] = match ? [match[1]!, match[2]!] : ["", ""];
    if (name === "uri") {
      if (!KNOWN_GROUPS.includes(given)) return fail(aclArgument("Invalid group uri", "uri", given));
      grants.push(group(given, permission));
    } else if (name === "id") {
      if (!/^[0-9a-f]{64}$/.test(given)) return fail(aclArgument("Invalid id", "id", given));
      grants.push({ grantee: { type: "CanonicalUser", id: given }, permission });
    } else if (name === "emailAddress") {
      grants.push({ grantee: { type: "Email", email: given }, permission });
    } else {
      return fail(aclArgument("Argument format not recognized", header, value.trim()));
    }
  }
  return ok(grants);
}

/**
 * The ACL a PutBucketAcl / PutObjectAcl (or a create with `x-amz-acl`) asks for from its headers;
 * `required`: a Put*Acl request, which must name one (MissingSecurityHeader otherwise). Undefined:
 * none asked for (a create keeps the default).
 */
export function aclFromHeaders(headers: Headers, required: boolean): Result<AccessControlList | undefined> {
  const canned = headers.get("x-amz-acl");
  const grantHeaders = Object.keys(GRANT_HEADERS).filter((h) => headers.has(h));
  if (canned !== null && grantHeaders.length) return fail(cannedAndGrants());
  if (canned !== null) {
    const acl = CANNED[canned];
    return acl ? ok(acl) : fail(invalidCannedAcl(canned));
  }
  if (!grantHeaders.length) return required ? fail(missingAcl()) : ok(undefined);
  const acl: Grant[] = [];
  for (const header of grantHeaders) {
    const grants = grantsOf(header, headers.get(header)!, GRANT_HEADERS[header]!);
    if (!grants.ok) return grants;
    acl.push(...grants.value);
  }
  return ok(acl);
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function granteeXml(grantee: Grantee, ownerId: string): string {
  const xsi = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
  if (grantee.type === "Group") return `<Grantee ${xsi} xsi:type="Group"><URI>${escape(grantee.uri)}</URI></Grantee>`;
  if (grantee.type === "Email")
    return `<Grantee ${xsi} xsi:type="AmazonCustomerByEmail"><EmailAddress>${escape(grantee.email)}</EmailAddress></Grantee>`;
  const id = grantee.id === OWNER ? ownerId : grantee.id;
  return `<Grantee ${xsi} xsi:type="CanonicalUser"><ID>${escape(id)}</ID></Grantee>`;
}

/**
 * The `<AccessControlPolicy>` document, written here rather than by the protocol's XML writer: a
 * Grantee's type is an `xsi:type` attribute, which the SDKs read and that writer does not write.
 */
export function accessControlPolicyXml(acl: AccessControlList, ownerId: string, namespace: string): string {
  const grants = acl
    .map((g) => `<Grant>${granteeXml(g.grantee, ownerId)}<Permission>${g.permission}</Permission></Grant>`)
    .join("");
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<AccessControlPolicy xmlns="${namespace}">` +
    `<Owner><ID>${escape(ownerId)}</ID></Owner><AccessControlList>${grants}</AccessControlList></AccessControlPolicy>`
  );
}
