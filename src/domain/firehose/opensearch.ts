/**
 * The OpenSearch / Elasticsearch destination: one `_bulk` request per batch, the index name rotated
 * by each record's arrival time, and the bulk answer judged item by item.
 *
 * - Delivery format: https://docs.aws.amazon.com/firehose/latest/dev/basic-deliver.html ("a bulk
 *   request to index multiple records"; records must be UTF-8, single-line JSON objects)
 * - Index rotation: https://docs.aws.amazon.com/firehose/latest/dev/es-index-rotation.html
 * - Document IDs: https://docs.aws.amazon.com/firehose/latest/APIReference/API_DocumentIdOptions.html
 * - Failure handling: https://docs.aws.amazon.com/firehose/latest/dev/retry.html (failed documents
 *   are retried for the retry duration, then written to S3 with `errorCode`/`errorMessage` as
 *   OpenSearch returned them)
 *
 * This module imports nothing from ./http-delivery (which dispatches to it), so that the two never
 * form an import cycle; its verdict has the same shape as `HttpVerdict`.
 */

export type IndexRotationPeriod = "NoRotation" | "OneHour" | "OneDay" | "OneWeek" | "OneMonth";

export interface BulkTarget {
  endpoint: string;
  indexName: string;
  typeName?: string;
  indexRotationPeriod: IndexRotationPeriod;
  documentIdFormat: "FIREHOSE_DEFAULT" | "NO_DOCUMENT_ID";
}

export interface BulkContext {
  requestId: string;
  /** Epoch ms of this attempt: the rotation time of a record whose arrival is not given. */
  now: number;
  /** Epoch ms each record arrived (the index rotation uses it, in UTC). */
  arrivals: number[];
  /** Stable ids of the records (FIREHOSE_DEFAULT); see `documentIdOf`. */
  recordIds?: string[];
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * The week number of OneWeek: AWS says weeks start on Sunday (US convention) and gives
 * `myindex-2016-w08` for 2016-02-25T13:00:00Z. Counting Sunday-started weeks from the year's first
 * Sunday (the days before it are week 00: C's `strftime` `%U`) is the rule that meets both; Java's US
 * `ww` (week 1 holds 1 January) would give w09 for that instant, contradicting AWS's own example.
 * (ISO weeks also give w08 there, but start on Monday.) The rest of AWS's note ("the first week
 * is the first week that contains a Saturday") leaves the days before the first Sunday open: an
 * assumption until a recording against AWS settles it.
 */
export function sundayWeekOfYear(date: Date): number {
  const jan1 = Date.UTC(date.getUTCFullYear(), 0, 1);
  const dayOfYear = Math.floor((date.getTime() - jan1) / 86_400_000);
  // `%U`: (yday + 7 - wday) / 7, wday 0 = Sunday; a year that starts on a Sunday has no week 00.
  return Math.floor((dayOfYear + 7 - date.getUTCDay()) / 7);
}

/** The index a record goes to: the configured name plus a part of its UTC arrival time. */
export function indexNameFor(indexName: string, period: IndexRotationPeriod, arrivalMs: number): string {
  const d = new Date(arrivalMs);
  const yyyy = pad(d.getUTCFullYear(), 4);
  const MM = pad(d.getUTCMonth() + 1);
  const dd = pad(d.getUTCDate());
  switch (period) {
    case "NoRotation":
      return indexName;
    case "OneHour":
      return `${indexName}-${yyyy}-${MM}-${dd}-${pad(d.getUTCHours())}`;
    case "OneDay":
      return `${indexName}-${yyyy}-${MM}-${dd}`;
    case "OneWeek":
      return `${indexName}-${yyyy}-w${pad(sundayWeekOfYear(d))}`;
    case "OneMonth":
      return `${indexName}-${yyyy}-${MM}`;
  }
}

/**
 * FIREHOSE_DEFAULT: "a unique document ID for each record based on a unique internal identifier…
 * stable across multiple delivery attempts". The caller's record ids are that identifier when it
 * passes them; otherwise the batch's request id (the same on every retry) and the record's place.
 * AWS does not document the ID's format.
 */
export function documentIdOf(ctx: BulkContext, index: number): string {
  return ctx.recordIds?.[index] ?? `${ctx.requestId}-${index}`;
}

/** `<endpoint>/_bulk`, without doubling a slash the endpoint already ends with. */
export function bulkUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, "")}/_bulk`;
}

const decoder = new TextDecoder();

/**
 * The document line: the record's bytes as UTF-8. A line break would split the document across
 * NDJSON lines and misalign every action after it; in valid JSON a raw CR or LF can only be
 * whitespace between tokens, so turning it into a space keeps the document the same. A record that
 * is not JSON is sent anyway: OpenSearch rejects that one item (mapper_parsing_exception), as it
 * does on AWS, and the others are indexed.
 */
function documentLine(record: Uint8Array): string {
  return decoder.decode(record).replace(/[\r\n]/g, " ");
}

/** The NDJSON body of `_bulk`: an `index` action line and a document line per record. */
export function bulkBody(target: BulkTarget, records: Uint8Array[], ctx: BulkContext): string {
  const lines: string[] = [];
  records.forEach((record, i) => {
    const action: Record<string, string> = {
      _index: indexNameFor(target.indexName, target.indexRotationPeriod, ctx.arrivals[i] ?? ctx.now),
    };
    // TypeName is only for Elasticsearch 6.x (one type per index); 7.x leaves it empty.
    if (target.typeName) action._type = target.typeName;
    if (target.documentIdFormat === "FIREHOSE_DEFAULT") action._id = documentIdOf(ctx, i);
    lines.push(JSON.stringify({ index: action }), documentLine(record));
  });
  // The bulk API requires the body to end with a newline.
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

export interface BulkRequestParts {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The request parts. Content-Type: the bulk API's documented type is application/x-ndjson (it also
 * takes application/json); AWS does not say which Firehose sends. AWS signs the request with SigV4
 * for Amazon OpenSearch Service domains; a local cluster needs no signature, so none is sent.
 */
export function buildBulkRequest(target: BulkTarget, records: Uint8Array[], ctx: BulkContext): BulkRequestParts {
  return {
    url: bulkUrl(target.endpoint),
    headers: { "Content-Type": "application/x-ndjson" },
    body: bulkBody(target, records, ctx),
  };
}

export interface BulkItemError {
  /** The record's place in the batch. */
  index: number;
  /** The item's HTTP status as a string (AWS's `errorCode` in the S3 backup document). */
  code: string;
  /** The item's error as OpenSearch returned it (AWS's `errorMessage`). */
  message: string;
}

export type BulkVerdict =
  { ok: true } | { ok: false; reason: string; code: string; failedItems?: number[]; itemErrors?: BulkItemError[] };

const TRUNCATE_AT = 1024;
const truncated = (text: string) => (text.length > TRUNCATE_AT ? `${text.slice(0, TRUNCATE_AT)}…` : text);

type BulkItem = Record<string, { status?: number; error?: unknown } | undefined>;

/**
 * The `_bulk` answer: delivered when the status is 200 and `errors` is false. A 200 with
 * `errors: true` fails the batch and names the failed items (AWS retries only those; the caller
 * may retry the whole batch, which FIREHOSE_DEFAULT ids make idempotent). Any other status, or a
 * body that is not a bulk answer, fails the whole batch with OpenSearch's own answer as the reason,
 * as AWS logs "errors … as they are returned by OpenSearch".
 */
export function judgeBulkResponse(status: number, body: string): BulkVerdict {
  if (status !== 200) {
    return { ok: false, code: String(status), reason: `${status}: ${truncated(body)}` };
  }
  let parsed: { errors?: unknown; items?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return { ok: false, code: "200", reason: `The bulk response is not valid JSON: ${truncated(body)}` };
  }
  if (parsed === null || typeof parsed !== "object" || typeof parsed.errors !== "boolean") {
    return { ok: false, code: "200", reason: `The bulk response has no "errors" field: ${truncated(body)}` };
  }
  if (!parsed.errors) return { ok: true };
  const items = Array.isArray(parsed.items) ? (parsed.items as BulkItem[]) : [];
  const itemErrors: BulkItemError[] = [];
  items.forEach((item, index) => {
    const result = item && typeof item === "object" ? Object.values(item)[0] : undefined;
    const itemStatus = result?.status ?? 0;
    if (result?.error !== undefined || itemStatus >= 300) {
      const message = typeof result?.error === "string" ? result.error : JSON.stringify(result?.error ?? null);
      itemErrors.push({ index, code: String(itemStatus), message });
    }
  });
  const first = itemErrors[0];
  return {
    ok: false,
    code: first?.code ?? "200",
    reason: first
      ? `${itemErrors.length} of ${items.length} documents failed; the first: ${truncated(first.message)}`
      : `The bulk response reports errors but names no failed item: ${truncated(body)}`,
    failedItems: itemErrors.map((e) => e.index),
    itemErrors,
  };
}
