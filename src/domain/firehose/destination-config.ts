/**
 * A delivery stream's one destination: validated from CreateDeliveryStream's
 * `<Kind>DestinationConfiguration`, changed by UpdateDestination's `<Kind>DestinationUpdate`, stored in
 * AWS's input shape with the defaults AWS reports filled in. Checks run as AWS runs them: Coral's model
 * constraints first (one ValidationException, ./constraint-check.ts), then the service's rules
 * (InvalidArgumentException, ./destination-rules.ts).
 * https://docs.aws.amazon.com/firehose/latest/APIReference/API_CreateDeliveryStream.html
 * https://docs.aws.amazon.com/firehose/latest/APIReference/API_UpdateDestination.html
 */
import { fail, ok, type Result } from "../errors";
import { checkShape, firstMissing, memberPath, Violations } from "./constraint-check";
import type { DestinationKind, StoredDestination } from "./contract";
import { withDefaults } from "./destination-defaults";
import { checkBufferingPairs, checkDestination } from "./destination-rules";
import { invalidArgument } from "./errors";

export { describeDestination } from "./destination-describe";

export const DESTINATION_KINDS: readonly DestinationKind[] = [
  "ExtendedS3",
  "S3",
  "HttpEndpoint",
  "Elasticsearch",
  "Amazonopensearchservice",
  "AmazonOpenSearchServerless",
  "Splunk",
  "Redshift",
  "Snowflake",
  "Iceberg",
];

/** The destination members in the order of CreateDeliveryStreamInput and UpdateDestinationInput: Coral's order. */
const MODEL_ORDER: readonly DestinationKind[] = [
  "S3",
  "ExtendedS3",
  "Redshift",
  "Elasticsearch",
  "Amazonopensearchservice",
  "Splunk",
  "HttpEndpoint",
  "AmazonOpenSearchServerless",
  "Snowflake",
  "Iceberg",
];

/** The one destination a stream has (AWS numbers them, and a stream has only this one). */
export const DESTINATION_ID = "destinationId-000000000001";

type Config = Record<string, unknown>;

const isObject = (v: unknown): v is Config => typeof v === "object" && v !== null && !Array.isArray(v);
const given = (input: Config, member: string): boolean => input[member] !== undefined && input[member] !== null;

/**
 * AWS's text for a request with no destination or several is not published; this is moto's
 * (getmoto/moto moto/firehose/models.py), which tests written against moto already expect.
 */
export const ONE_DESTINATION = "Exactly one destination configuration is supported for a Firehose";
/** Worded after ONE_DESTINATION for UpdateDestination (AWS's text is not published). */
export const ONE_DESTINATION_UPDATE = "Exactly one destination update is supported for a Firehose";

/** The one destination of a CreateDeliveryStream input (`<Kind>DestinationConfiguration` members). */
export function validateCreateDestination(input: Record<string, unknown>): Result<StoredDestination> {
  const present = MODEL_ORDER.filter((k) => given(input, `${k}DestinationConfiguration`));
  const violations = new Violations();
  for (const kind of present) {
    const member = `${kind}DestinationConfiguration`;
    checkShape(member, input[member], memberPath("", member), violations);
  }
  const invalid = violations.done();
  if (invalid) return fail(invalid);
  const [kind] = present;
  if (present.length !== 1 || !kind) return fail(invalidArgument(ONE_DESTINATION));
  const config = input[`${kind}DestinationConfiguration`] as Config;
  return finish(kind, config, config);
}

/** The rules on what the client sent and on the destination as it will be; then AWS's defaults. */
function finish(kind: DestinationKind, config: Config, sent: Config): Result<StoredDestination> {
  const problem = checkBufferingPairs(sent) ?? checkDestination(kind, config);
  if (problem) return fail(problem);
  return ok({ id: DESTINATION_ID, kind, config: withDefaults(kind, config) });
}

// ---- UpdateDestination ----------------------------------------------------------------------

/** "Switching between Amazon OpenSearch Service and other services is not supported." (API reference) */
const OPENSEARCH_SERVICE: readonly DestinationKind[] = ["Elasticsearch", "Amazonopensearchservice"];
const S3_KINDS: readonly DestinationKind[] = ["S3", "ExtendedS3"];

/** Update members that name a configuration member otherwise (the S3 locations, which merge). */
const RENAMED: Record<string, string> = { S3Update: "S3Configuration", S3BackupUpdate: "S3BackupConfiguration" };
const MERGED = new Set(["S3Configuration", "S3BackupConfiguration"]);

/**
 * UpdateDestination: the destination after the update (`<Kind>DestinationUpdate` members). The same
 * type merges: "If any of the parameters are not specified in the call, the existing values are
 * retained"; each member given replaces the stored one, except the S3 locations (S3Update,
 * S3BackupUpdate, Iceberg's S3Configuration), whose members merge one by one. S3 and ExtendedS3 are
 * one type (the deprecated S3 destination is an ExtendedS3 one without the extended members), and an
 * ExtendedS3 update turns an S3 destination into ExtendedS3. Another type replaces the destination:
 * "Firehose does not merge any parameters. In this case, all parameters must be specified."
 */
export function applyDestinationUpdate(current: StoredDestination, update: Record<string, unknown>): Result<StoredDestination> {
  const present = MODEL_ORDER.filter((k) => given(update, `${k}DestinationUpdate`));
  const violations = new Violations();
  for (const kind of present) {
    const member = `${kind}DestinationUpdate`;
    checkShape(member, update[member], memberPath("", member), violations);
  }
  const invalid = violations.done();
  if (invalid) return fail(invalid);
  const [requested] = present;
  if (present.length !== 1 || !requested) return fail(invalidArgument(ONE_DESTINATION_UPDATE));
  const patch = update[`${requested}DestinationUpdate`] as Config;

  if (OPENSEARCH_SERVICE.includes(current.kind) !== OPENSEARCH_SERVICE.includes(requested))
    return fail(invalidArgument("Switching between Amazon OpenSearch Service and other services is not supported."));

  const sameType = requested === current.kind || (S3_KINDS.includes(requested) && S3_KINDS.includes(current.kind));
  const kind: DestinationKind =
    sameType && S3_KINDS.includes(requested) ? (requested === "S3" ? current.kind : "ExtendedS3") : requested;
  const config = sameType ? merge(current.config, patch) : renamed(patch);

  const missing = firstMissing(`${kind}DestinationConfiguration`, config);
  if (missing) {
    // Named as the client names it: the update's S3Update, not the configuration's S3Configuration.
    const named =
      kind === "Iceberg"
        ? missing
        : missing.replace(/^S3Configuration\b/, "S3Update").replace(/^S3BackupConfiguration\b/, "S3BackupUpdate");
    return fail(
      invalidArgument(
        sameType
          ? `${named} must be specified.`
          : `${named} must be specified: the destination type changes, so Firehose does not merge any parameters.`,
      ),
    );
  }
  const transition = sameType ? backupModeChange(kind, current.config, config) : undefined;
  if (transition) return fail(transition);
  const done = finish(kind, config, patch);
  return done.ok ? ok({ ...done.value, id: current.id }) : done;
}

function renamed(patch: Config): Config {
  const out: Config = {};
  for (const [name, value] of Object.entries(patch)) out[RENAMED[name] ?? name] = structuredClone(value);
  return out;
}

function merge(stored: Config, patch: Config): Config {
  const out: Config = structuredClone(stored);
  for (const [name, value] of Object.entries(renamed(patch))) {
    const before = out[name];
    out[name] = MERGED.has(name) && isObject(before) && isObject(value) ? { ...before, ...value } : value;
  }
  return out;
}

/**
 * One-way backup modes. S3BackupMode (ExtendedS3, Redshift): "If backup is enabled, you can't update
 * the Firehose stream to disable it." SplunkS3BackupMode: "You can update this backup mode from
 * FailedEventsOnly to AllEvents. You can't update it from AllEvents to FailedEventsOnly." The texts
 * are worded after those sentences (AWS's error texts are not published).
 */
function backupModeChange(kind: DestinationKind, before: Config, after: Config) {
  if ((kind === "ExtendedS3" || kind === "Redshift") && before.S3BackupMode === "Enabled" && after.S3BackupMode === "Disabled")
    return invalidArgument(
      "S3BackupMode cannot be changed from Enabled to Disabled: once backup is enabled, it cannot be disabled.",
    );
  if (kind === "Splunk" && before.S3BackupMode === "AllEvents" && after.S3BackupMode === "FailedEventsOnly")
    return invalidArgument("S3BackupMode cannot be changed from AllEvents to FailedEventsOnly.");
  return undefined;
}
