/**
 * A bucket's NotificationConfiguration: read from the parsed XML of PutBucketNotificationConfiguration,
 * checked by AWS's rules, and written back for GetBucketNotificationConfiguration. The checks run in
 * AWS's order: first everything the document alone can tell (ARNs, event names, filter rules, overlaps;
 * the first problem is the error), then whether the destinations exist, which needs I/O: the caller asks
 * the queues and topics and hands the answers to `destinationProblem` (all failures in one error,
 * `ArgumentName1`/`ArgumentValue1`, ...), which keeps this module pure. Texts are AWS-recorded
 * (`test_s3_notifications_sqs|sns|lambda`, `test_s3_api` TestS3BucketNotificationConfiguration).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
 */
import type { ErrorInfo } from "../errors";
import { configurationsOverlap, isSupportedEvent, type EventSelector, type KeyFilter } from "./notification-events";

/**
 * An S3 error with the extra elements its XML error document carries (`ArgumentName`, ...), in order:
 * the same shape as the S3 errors of src/domain/s3/errors.ts (`S3ErrorInfo`), declared here so this
 * module stands alone.
 */
export interface NotificationError extends ErrorInfo {
  fields?: Record<string, string>;
}

export type DestinationKind = "queue" | "topic" | "lambda";

export interface FilterRule {
  name: "Prefix" | "Suffix";
  value: string;
}

/** One QueueConfiguration, TopicConfiguration or CloudFunctionConfiguration. */
export interface DestinationConfiguration extends EventSelector {
  id: string;
  kind: DestinationKind;
  arn: string;
  events: string[];
  /** The rules as given (names in AWS's casing), for Get; `filter` is what matching reads. */
  rules: FilterRule[];
  filter: KeyFilter;
}

/** What a bucket stores (JSON-serialisable). No configuration at all is `{ destinations: [], eventBridge: false }`. */
export interface NotificationConfiguration {
  destinations: DestinationConfiguration[];
  /** EventBridgeConfiguration is present: every event also goes to the account's default event bus. */
  eventBridge: boolean;
}

export const EMPTY_NOTIFICATION_CONFIGURATION: NotificationConfiguration = { destinations: [], eventBridge: false };

/** The wire names of each kind: the configuration element and its destination element (the ArgumentName). */
const ELEMENTS: Record<DestinationKind, { configuration: string; destination: string; service: string }> = {
  topic: { configuration: "TopicConfiguration", destination: "Topic", service: "sns" },
  queue: { configuration: "QueueConfiguration", destination: "Queue", service: "sqs" },
  lambda: { configuration: "CloudFunctionConfiguration", destination: "CloudFunction", service: "lambda" },
};
/** AWS's order, in documents it reads and writes. */
const KINDS: readonly DestinationKind[] = ["topic", "queue", "lambda"];

const MAX_FILTER_VALUE_BYTES = 1024;

const malformedXml = (): NotificationError => ({
  code: "MalformedXML",
  status: 400,
  message: "The XML you provided was not well-formed or did not validate against our published schema",
});

const invalidArgument = (message: string, fields?: Record<string, string>): NotificationError => ({
  code: "InvalidArgument",
  status: 400,
  message,
  ...(fields ? { fields } : {}),
});

const argument = (message: string, name: string, value: string) =>
  invalidArgument(message, { ArgumentName: name, ArgumentValue: value });

// ---- reading the parsed XML -----------------------------------------------------------------------

/** Elements named `name` under a parsed node: none, one or several (parsers give one as a value). */
function children(node: unknown, name: string): unknown[] {
  if (!node || typeof node !== "object") return [];
  const v = (node as Record<string, unknown>)[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** The text of a leaf element (parsers may turn `123` into a number), or undefined if it has children. */
function text(node: unknown): string | undefined {
  if (node === null || node === undefined) return "";
  if (typeof node === "string" || typeof node === "number" || typeof node === "boolean") return String(node);
  if (typeof node === "object" && "#text" in node) return String((node as Record<string, unknown>)["#text"]);
  return undefined;
}

/** Element names of a node, without attributes and text (`@_…`, `#text`, `:@`). */
function elementNames(node: unknown): string[] {
  if (!node || typeof node !== "object") return [];
  return Object.keys(node).filter((k) => !k.startsWith("@") && !k.startsWith("#") && !k.startsWith(":"));
}

const onlyElements = (node: unknown, allowed: readonly string[]): boolean => elementNames(node).every((n) => allowed.includes(n));

/** The one leaf element `name` (undefined if absent; MalformedXML if repeated or not a leaf). */
function single(node: unknown, name: string): { value?: string; malformed?: true } {
  const found = children(node, name);
  if (found.length === 0) return {};
  const value = found.length === 1 ? text(found[0]) : undefined;
  return value === undefined ? { malformed: true } : { value };
}

// ---- parsing and form checks ------------------------------------------------------------------------

/** A Result whose error keeps its type (assignable to `Result<T>`). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: NotificationError };

export interface ParseOptions {
  /** Ids for configurations sent without one (AWS's are a base64-encoded random UUID). */
  newId?: () => string;
  /** The bucket's region: destinations must be in it (unchecked when absent). */
  bucketRegion?: string;
}

const defaultId = () => btoa(crypto.randomUUID());

/**
 * The document of PutBucketNotificationConfiguration as parsed XML (`{ NotificationConfiguration: … }`),
 * checked by everything but destination existence. An empty document removes every configuration.
 */
export function parseNotificationConfiguration(document: unknown, options: ParseOptions = {}): Parsed<NotificationConfiguration> {
  const roots = children(document, "NotificationConfiguration");
  if (roots.length !== 1) return { ok: false, error: malformedXml() };
  const root = roots[0];
  const allowed = [...KINDS.map((k) => ELEMENTS[k].configuration), "EventBridgeConfiguration"];
  const rootText = text(root);
  if (rootText !== undefined ? rootText.trim() !== "" : !onlyElements(root, allowed)) return { ok: false, error: malformedXml() };
  const newId = options.newId ?? defaultId;
  const destinations: DestinationConfiguration[] = [];
  for (const kind of KINDS) {
    for (const node of children(root, ELEMENTS[kind].configuration)) {
      const parsed = parseDestination(kind, node, newId, options.bucketRegion);
      if ("error" in parsed) return { ok: false, error: parsed.error };
      destinations.push(parsed.value);
    }
  }
  const problem = crossCheck(destinations);
  if (problem) return { ok: false, error: problem };
  const eventBridge = children(root, "EventBridgeConfiguration");
  if (eventBridge.length > 1) return { ok: false, error: malformedXml() };
  return { ok: true, value: { destinations, eventBridge: eventBridge.length === 1 } };
}

function parseDestination(
  kind: DestinationKind,
  node: unknown,
  newId: () => string,
  bucketRegion: string | undefined,
): { value: DestinationConfiguration } | { error: NotificationError } {
  const { destination, service } = ELEMENTS[kind];
  if (text(node) !== undefined || !onlyElements(node, ["Id", destination, "Event", "Filter"])) return { error: malformedXml() };
  const id = single(node, "Id");
  const arn = single(node, destination);
  const events = children(node, "Event").map(text);
  if (id.malformed || arn.malformed || arn.value === undefined || !events.length || events.some((e) => e === undefined)) {
    return { error: malformedXml() };
  }
  if (!parsesAsArn(arn.value, service)) return { error: argument("The ARN could not be parsed", destination, arn.value) };
  if (bucketRegion !== undefined && arn.value.split(":")[3] !== bucketRegion) {
    const message = "The notification destination service region is not valid for the bucket location constraint";
    return { error: argument(message, destination, arn.value) };
  }
  const unsupported = events.find((e) => !isSupportedEvent(e!));
  if (unsupported !== undefined) {
    return { error: argument("The event is not supported for notifications", "Event", unsupported) };
  }
  const rules = parseFilter(children(node, "Filter"));
  if ("error" in rules) return rules;
  const filter: KeyFilter = {};
  for (const rule of rules.value) filter[rule.name === "Prefix" ? "prefix" : "suffix"] = rule.value;
  return {
    value: { id: id.value || newId(), kind, arn: arn.value, events: events as string[], rules: rules.value, filter },
  };
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>` of the destination's service. */
function parsesAsArn(arn: string, service: string): boolean {
  const parts = arn.split(":");
  return (
    parts.length >= 6 && parts[0] === "arn" && /^aws/.test(parts[1]!) && parts[2] === service && parts.slice(5).join(":") !== ""
  );
}

/** `<Filter><S3Key><FilterRule><Name/><Value/></FilterRule>…</S3Key></Filter>`: one prefix and one suffix at most. */
function parseFilter(filters: unknown[]): { value: FilterRule[] } | { error: NotificationError } {
  if (filters.length === 0) return { value: [] };
  const filter = filters[0];
  if (filters.length > 1 || !onlyElements(filter, ["S3Key"])) return { error: malformedXml() };
  const keys = children(filter, "S3Key");
  if (keys.length > 1 || !onlyElements(keys[0], ["FilterRule"])) return { error: malformedXml() };
  const rules: FilterRule[] = [];
  for (const node of children(keys[0], "FilterRule")) {
    if (!onlyElements(node, ["Name", "Value"])) return { error: malformedXml() };
    const name = single(node, "Name");
    const value = single(node, "Value");
    // A rule without its Name or its Value does not validate against the schema (an empty Value does).
    if (name.value === undefined || value.value === undefined) return { error: malformedXml() };
    const normalised =
      name.value.toLowerCase() === "prefix" ? "Prefix" : name.value.toLowerCase() === "suffix" ? "Suffix" : undefined;
    if (!normalised)
      return { error: argument("filter rule name must be either prefix or suffix", "FilterRule.Name", name.value) };
    if (rules.some((r) => r.name === normalised)) {
      const which = normalised.toLowerCase();
      return { error: argument(`Cannot specify more than one ${which} rule in a filter.`, "FilterRule.Name", name.value) };
    }
    if (new TextEncoder().encode(value.value).length > MAX_FILTER_VALUE_BYTES) {
      return {
        error: argument(
          "Size of filter rule value cannot exceed 1024 bytes in UTF-8 representation",
          "FilterRule.Value",
          value.value,
        ),
      };
    }
    rules.push({ name: normalised, value: value.value });
  }
  return { value: rules };
}

/** Checks between configurations: unique ids, and no event about a key that two configurations would take. */
function crossCheck(destinations: DestinationConfiguration[]): NotificationError | undefined {
  const ids = new Set<string>();
  for (const d of destinations) {
    if (ids.has(d.id)) return invalidArgument("Same ID used for multiple configurations. IDs must be unique.");
    ids.add(d.id);
  }
  for (let i = 0; i < destinations.length; i++) {
    for (let j = 0; j < i; j++) {
      const [a, b] = [destinations[i]!, destinations[j]!];
      if (!configurationsOverlap(a, b)) continue;
      if (!a.rules.length && !b.rules.length) {
        return invalidArgument("Configurations overlap. Configurations on the same bucket cannot share a common event type.");
      }
      return invalidArgument(
        "Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.",
      );
    }
  }
  return undefined;
}

// ---- destination checks (answers from the caller) ---------------------------------------------------

export interface Destination {
  kind: DestinationKind;
  arn: string;
}

/** What the caller found out about a destination: there and writable, not there, or refusing this bucket. */
export type DestinationAnswer = "exists" | "missing" | "denied";

/** The destinations to ask about (each ARN once, in document order), unless SkipDestinationValidation. */
export function destinationsToCheck(config: NotificationConfiguration): Destination[] {
  const seen = new Map<string, Destination>();
  for (const d of config.destinations) if (!seen.has(d.arn)) seen.set(d.arn, { kind: d.kind, arn: d.arn });
  return [...seen.values()];
}

/** Each destination that failed, as AWS numbers them in one "Unable to validate" error. */
export function destinationProblem(
  config: NotificationConfiguration,
  answers: ReadonlyMap<string, DestinationAnswer>,
): NotificationError | undefined {
  const fields: Record<string, string> = {};
  let n = 0;
  for (const d of destinationsToCheck(config)) {
    let answer = answers.get(d.arn) ?? "missing";
    // FIFO queues and topics cannot be destinations: S3's test message (no MessageGroupId) cannot be sent.
    if (answer === "exists" && d.kind !== "lambda" && d.arn.endsWith(".fifo")) answer = "denied";
    if (answer === "exists") continue;
    n++;
    const [name, value] = failedDestination(d, answer);
    fields[`ArgumentName${n}`] = name;
    fields[`ArgumentValue${n}`] = value;
  }
  return n ? invalidArgument("Unable to validate the following destination configurations", fields) : undefined;
}

function failedDestination({ kind, arn }: Destination, answer: "missing" | "denied"): [string, string] {
  // Lambda's check is an invocation permission check: a missing function reads as not authorised.
  if (kind === "lambda") return [`${arn}, null`, `Not authorized to invoke function [${arn}]`];
  const noun = kind === "queue" ? "queue" : "topic";
  return answer === "missing"
    ? [arn, `The destination ${noun} does not exist`]
    : [arn, `Permissions on the destination ${noun} do not allow S3 to publish notifications from this bucket`];
}

// ---- writing ------------------------------------------------------------------------------------------

/** An XML element tree: a string is text, an array repeats the element, an object holds children in order. */
export type XmlTree = string | XmlTree[] | { [element: string]: XmlTree };

/** The body of GetBucketNotificationConfiguration (`{ NotificationConfiguration: … }`), in AWS's element order. */
export function notificationConfigurationDocument(config: NotificationConfiguration): { NotificationConfiguration: XmlTree } {
  const body: Record<string, XmlTree> = {};
  for (const kind of KINDS) {
    const list = config.destinations.filter((d) => d.kind === kind);
    if (!list.length) continue;
    body[ELEMENTS[kind].configuration] = list.map((d) => {
      const element: Record<string, XmlTree> = { Id: d.id, [ELEMENTS[kind].destination]: d.arn, Event: [...d.events] };
      if (d.rules.length) element.Filter = { S3Key: { FilterRule: d.rules.map((r) => ({ Name: r.name, Value: r.value })) } };
      return element;
    });
  }
  if (config.eventBridge) body.EventBridgeConfiguration = "";
  return { NotificationConfiguration: body };
}
