/**
 * A bucket's versioning status (PutBucketVersioning / GetBucketVersioning): `Status` Enabled or
 * Suspended (case-sensitive: `enabled` and `Disabled` are MalformedXML, recorded), `MfaDelete`
 * Enabled or Disabled, and a document with neither is IllegalVersioningConfigurationException. A
 * bucket that never had it set answers an empty `<VersioningConfiguration/>`. Only the status is
 * kept: objects are not versioned here yet.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html
 */
import { fail, ok, type Result } from "../errors";
import { malformedXml } from "./errors";
import { versioningElementMissing } from "./settings-errors";
import { rootOf, textOf } from "./xml-values";

export interface VersioningStatus {
  status?: "Enabled" | "Suspended";
  mfaDelete?: "Enabled" | "Disabled";
}

export function parseVersioningDocument(
  document: Record<string, unknown> | undefined,
  previous: VersioningStatus | undefined,
): Result<VersioningStatus> {
  const root = rootOf(document, "VersioningConfiguration");
  if (!root) return fail(document === undefined ? versioningElementMissing() : malformedXml());
  if (Object.keys(root).length === 0) return fail(versioningElementMissing());
  const status = root.Status === undefined ? undefined : textOf(root.Status);
  const mfaDelete = root.MfaDelete === undefined ? undefined : textOf(root.MfaDelete);
  if (status !== undefined && status !== "Enabled" && status !== "Suspended") return fail(malformedXml());
  if (mfaDelete !== undefined && mfaDelete !== "Enabled" && mfaDelete !== "Disabled") return fail(malformedXml());
  return ok({ ...previous, ...(status ? { status } : {}), ...(mfaDelete ? { mfaDelete } : {}) });
}

export const versioningDocument = (versioning: VersioningStatus | undefined) => ({
  VersioningConfiguration: { Status: versioning?.status, MfaDelete: versioning?.mfaDelete },
});
