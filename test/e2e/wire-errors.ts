/**
 * AWS errors as they appear on the wire, for exact assertions over both protocols. The SDKs don't
 * always surface what the service sent (client-sqs@3.445.0, query protocol, replaces the message of
 * modeled errors such as QueueDoesNotExist with "UnknownError"), so a middleware keeps the raw
 * response and the code and message are read from it:
 * - JSON 1.0: code from `x-amzn-query-error: <code>;Sender`, message and `__type` from the body;
 * - query: `<Code>` and `<Message>` of the XML `ErrorResponse`.
 */
import { expect } from "vitest";
import type { client } from "./clients";

type Client = ReturnType<typeof client>;

export interface WireError {
  /** Error name the SDK threw (e.g. `QueueDoesNotExist`). */
  name: string;
  status: number;
  code: string;
  message: string;
  /** JSON `__type` (JSON protocol only). */
  type?: string;
  /** `Sender` / `Receiver`. */
  fault?: string;
}

interface RawResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

const lastResponse = new WeakMap<object, { status: number; headers: Record<string, string>; body: string }>();

async function readBody(body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  if (body && typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === "function") {
    const chunks: Uint8Array[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array>)
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    return Buffer.concat(chunks);
  }
  if (body && typeof (body as ReadableStream).getReader === "function") {
    return new Uint8Array(await new Response(body as ReadableStream).arrayBuffer());
  }
  return new Uint8Array();
}

/** Installs (once) a middleware just inside the deserializer that keeps a copy of each raw response. */
function capture(sqs: Client): void {
  if (lastResponse.has(sqs)) return;
  lastResponse.set(sqs, { status: 0, headers: {}, body: "" });
  const stack = (sqs as unknown as { middlewareStack: { add: (mw: unknown, options: unknown) => void } }).middlewareStack;
  stack.add(
    (next: (args: unknown) => Promise<{ response: RawResponse }>) => async (args: unknown) => {
      const out = await next(args);
      const bytes = await readBody(out.response.body);
      out.response.body = bytes;
      lastResponse.set(sqs, {
        status: out.response.statusCode,
        headers: out.response.headers,
        body: Buffer.from(bytes).toString("utf8"),
      });
      return out;
    },
    { step: "deserialize", priority: "low", name: "captureRawResponse" },
  );
}

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

const xmlElement = (xml: string, name: string) => {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m ? unescapeXml(m[1]!) : undefined;
};

/** Sends a command expecting an AWS error and returns it as the service sent it. */
export async function wireError(sqs: Client, command: unknown): Promise<WireError> {
  capture(sqs);
  let thrown: { name: string };
  try {
    await sqs.send(command as never);
  } catch (e) {
    thrown = e as { name: string };
    const raw = lastResponse.get(sqs)!;
    const header = Object.entries(raw.headers).find(([k]) => k.toLowerCase() === "x-amzn-query-error")?.[1];
    if (raw.body.trimStart().startsWith("<")) {
      return {
        name: thrown.name,
        status: raw.status,
        code: xmlElement(raw.body, "Code") ?? "",
        message: xmlElement(raw.body, "Message") ?? "",
        fault: xmlElement(raw.body, "Type"),
      };
    }
    const body = JSON.parse(raw.body || "{}") as { __type?: string; message?: string; Message?: string };
    const [code, fault] = (header ?? "").split(";");
    return {
      name: thrown.name,
      status: raw.status,
      code: code ?? "",
      message: body.message ?? body.Message ?? "",
      type: body.__type,
      fault,
    };
  }
  throw new Error("expected an AWS error, but the call succeeded");
}

/** Sends a command expecting an AWS error; asserts its code, HTTP status and message (exact, or a pattern) as sent. */
export async function expectAwsError(
  sqs: Client,
  command: unknown,
  expected: { code: string; status: number; message: string | RegExp },
): Promise<void> {
  const e = await wireError(sqs, command);
  const message = typeof expected.message === "string" ? expected.message : expect.stringMatching(expected.message);
  expect({ code: e.code, status: e.status, message: e.message }).toEqual({ ...expected, message });
}

/** AWS words NonExistentQueue differently per protocol (../shared/reference/sqs.md). */
export const noSuchQueueMessage = (protocol: "json" | "query") =>
  protocol === "json" ? "The specified queue does not exist." : "The specified queue does not exist for this wsdl version.";
