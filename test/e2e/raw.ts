/**
 * Raw HTTP for the end-to-end tests: requests no SDK would send (broken bodies, wrong types, odd
 * paths), and assertions on the exact AWS error envelope of each wire protocol.
 */
import { expect } from "vitest";
import { endpoint } from "./clients";

export const JSON_CONTENT_TYPE = "application/x-amz-json-1.0";
export const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8";

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

async function read(response: Response): Promise<RawResponse> {
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** POST / with `X-Amz-Target: AmazonSQS.<operation>` and the given body (object → JSON, string/bytes as is). */
export async function jsonCall(operation: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const payload = typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body);
  return read(
    await fetch(`${endpoint()}/`, {
      method: "POST",
      headers: { "content-type": JSON_CONTENT_TYPE, "x-amz-target": `AmazonSQS.${operation}`, ...headers },
      body: payload,
    }),
  );
}

/** A query-protocol request: form body (POST) or query string (GET), to `/` or to another path. */
export async function queryCall(
  params: Record<string, string> | string | Uint8Array,
  options: { method?: "GET" | "POST"; path?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const method = options.method ?? "POST";
  const encoded = typeof params === "string" || params instanceof Uint8Array ? params : new URLSearchParams(params).toString();
  const path = options.path ?? "/";
  if (method === "GET") {
    if (encoded instanceof Uint8Array) throw new Error("GET takes a query string");
    return read(await fetch(`${endpoint()}${path}${encoded ? `?${encoded}` : ""}`, { headers: options.headers }));
  }
  return read(
    await fetch(`${endpoint()}${path}`, {
      method: "POST",
      headers: { "content-type": FORM_CONTENT_TYPE, ...options.headers },
      body: encoded,
    }),
  );
}

/** Form parameters with the Version every SQS query client sends. */
export const form = (params: Record<string, string>): Record<string, string> => ({ Version: "2012-11-05", ...params });

/** The path of a queue URL (`/<account>/<name>`). */
export const pathOf = (queueUrl: string): string => new URL(queueUrl).pathname;

/** Neither a stack trace nor anything else from inside the service leaks into an error body. */
export function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/\bat .+:\d+:\d+/); // stack frames
  expect(text).not.toMatch(/\.(?:ts|js|mjs):\d+/);
  expect(text).not.toMatch(/node_modules|src\/|workerd|miniflare|TypeError|ReferenceError|SyntaxError|RangeError/);
  expect(text).not.toMatch(/InternalError|InternalFailure|undefined|\[object Object\]|NaN/);
}

const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ExpectedError {
  status: number;
  /** Query code, also the code of the `x-amzn-query-error` header for JSON. */
  code: string;
  /** JSON `__type` (full, with namespace). */
  type?: string;
  /** Exact message, or a pattern. */
  message?: string | RegExp;
}

function expectMessage(actual: unknown, expected: string | RegExp | undefined): void {
  if (expected === undefined) return;
  if (typeof expected === "string") expect(actual).toBe(expected);
  else expect(actual).toMatch(expected);
}

/** AWS JSON 1.0 error of an awsQueryCompatible service: `{__type, message}` + `x-amzn-query-error: <code>;Sender`. */
export function expectJsonError(response: RawResponse, expected: ExpectedError): { __type: string; message?: string } {
  expect(response.status, response.text).toBe(expected.status);
  expect(response.headers.get("x-amzn-requestid")).toMatch(REQUEST_ID);
  expect(response.headers.get("content-type")).toBe(JSON_CONTENT_TYPE);
  expect(response.headers.get("x-amzn-query-error")).toBe(`${expected.code};Sender`);
  expectNoInternals(response.text);
  const body = JSON.parse(response.text) as { __type: string; message?: string };
  if (expected.type) expect(body.__type).toBe(expected.type);
  expect(Object.keys(body).every((k) => k === "__type" || k === "message")).toBe(true);
  expectMessage(body.message, expected.message);
  return body;
}

/** Query-protocol error: `<ErrorResponse><Error><Type>Sender</Type><Code/><Message/><Detail/></Error><RequestId/>`. */
export function expectQueryError(response: RawResponse, expected: ExpectedError): { code: string; message: string } {
  expect(response.status, response.text).toBe(expected.status);
  const requestId = response.headers.get("x-amzn-requestid");
  expect(requestId).toMatch(REQUEST_ID);
  expect(response.headers.get("content-type")).toMatch(/^text\/xml/);
  expectNoInternals(response.text);
  const m =
    /^<\?xml version="1\.0"\?>\s*<ErrorResponse xmlns="http:\/\/queue\.amazonaws\.com\/doc\/2012-11-05\/">\s*<Error>\s*<Type>Sender<\/Type>\s*<Code>([^<]*)<\/Code>\s*<Message>([^<]*)<\/Message>\s*<Detail\/>\s*<\/Error>\s*<RequestId>([^<]*)<\/RequestId>\s*<\/ErrorResponse>\s*$/.exec(
      response.text,
    );
  expect(m, response.text).not.toBeNull();
  const [, code, message, bodyRequestId] = m!;
  expect(code).toBe(expected.code);
  expect(bodyRequestId).toBe(requestId);
  const decoded = message!
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
  expectMessage(decoded, expected.message);
  return { code: code!, message: decoded };
}

/** Asserts either protocol's error envelope. */
export function expectError(protocol: "json" | "query", response: RawResponse, expected: ExpectedError) {
  return protocol === "json" ? expectJsonError(response, expected) : expectQueryError(response, expected);
}
