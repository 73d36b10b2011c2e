/**
 * `application/vnd.amazon.eventstream`: the binary framing of AWS event streams (Kinesis
 * SubscribeToShard). One message is
 *
 *   total length (u32 BE) · headers length (u32 BE) · CRC32 of those 8 bytes
 *   · headers · payload · CRC32 of everything before it
 *
 * and each header is `name length (u8) · name (UTF-8) · type (u8) · value`. We only ever send string
 * headers (type 7: u16 BE length · UTF-8), which is all `:message-type`, `:event-type`,
 * `:exception-type` and `:content-type` need; the decoder reads every type, for tests and tools.
 *
 * Written here rather than imported: the SDK's codec now lives inside @smithy/core (its
 * event-streams submodule drags in serde, schema and checksum modules), while the encoding we need
 * is a CRC table and a few DataView writes. The tests cross-check both directions against it.
 */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE 802.3, as zlib and the eventstream spec use), optionally continuing `previous`. */
export function crc32(bytes: Uint8Array, previous = 0): number {
  let crc = ~previous >>> 0;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

export type HeaderValue =
  | { type: "boolean"; value: boolean }
  | { type: "byte" | "short" | "integer"; value: number }
  | { type: "long"; value: bigint }
  | { type: "binary"; value: Uint8Array }
  | { type: "string"; value: string }
  | { type: "timestamp"; value: Date }
  | { type: "uuid"; value: string };

export interface EventStreamMessage {
  headers: Record<string, HeaderValue>;
  body: Uint8Array;
}

const PRELUDE = 12;
const TRAILER = 4;
/** AWS's limits: 16 MiB per message, 128 KiB of headers. */
const MAX_MESSAGE = 16 * 1024 * 1024;
const MAX_HEADERS = 128 * 1024;

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** Encodes one message whose headers are all strings (what a server sends). */
export function encodeMessage(headers: Record<string, string>, body: Uint8Array): Uint8Array {
  const encoded: [Uint8Array, Uint8Array][] = [];
  let headersLength = 0;
  for (const [name, value] of Object.entries(headers)) {
    const n = utf8.encode(name);
    const v = utf8.encode(value);
    if (n.length > 255) throw new RangeError(`event stream header name too long: ${name}`);
    if (v.length > 0xffff) throw new RangeError(`event stream header value too long: ${name}`);
    encoded.push([n, v]);
    headersLength += 1 + n.length + 1 + 2 + v.length;
  }
  const total = PRELUDE + headersLength + body.length + TRAILER;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, total);
  view.setUint32(4, headersLength);
  view.setUint32(8, crc32(out.subarray(0, 8)));
  let at = PRELUDE;
  for (const [n, v] of encoded) {
    out[at++] = n.length;
    out.set(n, at);
    at += n.length;
    out[at++] = 7;
    view.setUint16(at, v.length);
    at += 2;
    out.set(v, at);
    at += v.length;
  }
  out.set(body, at);
  view.setUint32(total - TRAILER, crc32(out.subarray(0, total - TRAILER)));
  return out;
}

/** An `event` message: `:event-type` names the member of the operation's event-stream union. */
export const eventMessage = (eventType: string, payload: Uint8Array, contentType = "application/json"): Uint8Array =>
  encodeMessage({ ":event-type": eventType, ":content-type": contentType, ":message-type": "event" }, payload);

/** An `exception` message: a modeled error of the event stream, e.g. ResourceInUseException. */
export const exceptionMessage = (exceptionType: string, payload: Uint8Array, contentType = "application/json"): Uint8Array =>
  encodeMessage({ ":exception-type": exceptionType, ":content-type": contentType, ":message-type": "exception" }, payload);

export class EventStreamError extends Error {
  override name = "EventStreamError";
}

/** Decodes exactly one message (checking both CRCs). */
export function decodeMessage(bytes: Uint8Array): EventStreamMessage {
  if (bytes.length < PRELUDE + TRAILER) throw new EventStreamError("message shorter than its prelude and trailer");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const total = view.getUint32(0);
  const headersLength = view.getUint32(4);
  if (total !== bytes.length) throw new EventStreamError(`message length ${total} does not match ${bytes.length} bytes`);
  if (view.getUint32(8) !== crc32(bytes.subarray(0, 8))) throw new EventStreamError("prelude CRC mismatch");
  if (view.getUint32(total - TRAILER) !== crc32(bytes.subarray(0, total - TRAILER)))
    throw new EventStreamError("message CRC mismatch");
  if (headersLength > MAX_HEADERS || PRELUDE + headersLength + TRAILER > total)
    throw new EventStreamError("headers overrun the message");
  return {
    headers: decodeHeaders(bytes.subarray(PRELUDE, PRELUDE + headersLength)),
    body: bytes.slice(PRELUDE + headersLength, total - TRAILER),
  };
}

/** Header value types of a fixed size: true, false (no value bytes), byte, short, integer, long, timestamp (ms). */
const FIXED_SIZE_HEADERS: Record<number, { size: number; read(view: DataView, at: number): HeaderValue }> = {
  0: { size: 0, read: () => ({ type: "boolean", value: true }) },
  1: { size: 0, read: () => ({ type: "boolean", value: false }) },
  2: { size: 1, read: (view, at) => ({ type: "byte", value: view.getInt8(at) }) },
  3: { size: 2, read: (view, at) => ({ type: "short", value: view.getInt16(at) }) },
  4: { size: 4, read: (view, at) => ({ type: "integer", value: view.getInt32(at) }) },
  5: { size: 8, read: (view, at) => ({ type: "long", value: view.getBigInt64(at) }) },
  8: { size: 8, read: (view, at) => ({ type: "timestamp", value: new Date(Number(view.getBigInt64(at))) }) },
};

function decodeHeaders(bytes: Uint8Array): Record<string, HeaderValue> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headers: Record<string, HeaderValue> = {};
  let at = 0;
  const need = (n: number) => {
    if (at + n > bytes.length) throw new EventStreamError("truncated header");
  };
  while (at < bytes.length) {
    need(1);
    const nameLength = bytes[at++]!;
    need(nameLength + 1);
    const name = utf8Decoder.decode(bytes.subarray(at, at + nameLength));
    at += nameLength;
    const type = bytes[at++]!;
    const fixed = FIXED_SIZE_HEADERS[type];
    if (fixed) {
      need(fixed.size);
      headers[name] = fixed.read(view, at);
      at += fixed.size;
      continue;
    }
    switch (type) {
      case 6:
      case 7: {
        need(2);
        const length = view.getUint16(at);
        at += 2;
        need(length);
        const raw = bytes.slice(at, at + length);
        at += length;
        headers[name] = type === 6 ? { type: "binary", value: raw } : { type: "string", value: utf8Decoder.decode(raw) };
        break;
      }
      case 9: {
        need(16);
        const hex = Array.from(bytes.subarray(at, at + 16), (b) => b.toString(16).padStart(2, "0")).join("");
        headers[name] = {
          type: "uuid",
          value: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
        };
        at += 16;
        break;
      }
      default:
        throw new EventStreamError(`unknown header type ${type}`);
    }
  }
  return headers;
}

/**
 * Splits a byte stream (chunks cut anywhere) into messages: feed chunks, get every message they
 * complete. What a client does with a streamed response body.
 */
export class MessageSplitter {
  private buffer = new Uint8Array(0);

  push(chunk: Uint8Array): EventStreamMessage[] {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer);
    joined.set(chunk, this.buffer.length);
    const messages: EventStreamMessage[] = [];
    let at = 0;
    while (joined.length - at >= 4) {
      const total = new DataView(joined.buffer, at, 4).getUint32(0);
      if (total < PRELUDE + TRAILER || total > MAX_MESSAGE) throw new EventStreamError(`invalid message length ${total}`);
      if (joined.length - at < total) break;
      messages.push(decodeMessage(joined.subarray(at, at + total)));
      at += total;
    }
    this.buffer = joined.slice(at);
    return messages;
  }

  /** Bytes of an incomplete message still waiting for more input. */
  get pending(): number {
    return this.buffer.length;
  }
}

/** Reads every message of a streamed body (e.g. a fetch Response's body). */
export async function* readMessages(body: ReadableStream<Uint8Array>): AsyncGenerator<EventStreamMessage> {
  const splitter = new MessageSplitter();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* splitter.push(value);
    }
    if (splitter.pending > 0) throw new EventStreamError("stream ended inside a message");
  } finally {
    reader.releaseLock();
  }
}

/** The string value of a header, or undefined. */
export const headerString = (message: EventStreamMessage, name: string): string | undefined => {
  const header = message.headers[name];
  return header?.type === "string" ? header.value : undefined;
};
