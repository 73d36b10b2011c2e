/**
 * Outputs with an event stream member (Kinesis SubscribeToShard) as `application/vnd.amazon.eventstream`:
 * an `initial-response` event first (the SDK resolves `send()` on it), then one event per value the
 * handler's stream yields, each payload encoded in the request's own protocol (JSON documents, or
 * CBOR for CBOR clients such as the Java SDK and the KCL); union members that are errors go out as
 * exception events. The client going away ends the handler's stream (`return()`).
 */
import type { WireProtocol } from "../services/descriptor";
import type { EventStream, StructureShape } from "../services/model";
import { CBOR_CONTENT_TYPE, encodeCbor, encodeCborOutput } from "./cbor";
import { eventMessage, exceptionMessage } from "./eventstream";
import { encodeJsonOutput } from "./json";

export const EVENT_STREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream";

const utf8 = new TextEncoder();

/** The output member that is an event stream, if the output has one. */
export function eventStreamMember(output: StructureShape): { name: string; shape: StructureShape } | undefined {
  for (const [name, shape] of Object.entries(output.members)) {
    if (shape.type === "structure" && shape.eventStream) return { name, shape };
  }
  return undefined;
}

export function eventStreamResponse(
  union: StructureShape,
  events: EventStream<Record<string, unknown>>,
  protocol: WireProtocol,
  requestId: string,
): Response {
  const cbor = protocol === "cbor";
  const contentType = cbor ? CBOR_CONTENT_TYPE : "application/json";
  const encode = (shape: StructureShape, value: unknown): Uint8Array =>
    cbor ? encodeCbor(encodeCborOutput(shape, value)) : utf8.encode(JSON.stringify(encodeJsonOutput(shape, value)));
  const frame = (event: Record<string, unknown>): Uint8Array | undefined => {
    for (const [name, value] of Object.entries(event)) {
      const shape = union.members[name];
      if (value === undefined || shape?.type !== "structure") continue;
      return shape.error
        ? exceptionMessage(name, encode(shape, value), contentType)
        : eventMessage(name, encode(shape, value), contentType);
    }
    return undefined;
  };
  const iterator = events[Symbol.asyncIterator]();
  let initialSent = false;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!initialSent) {
          initialSent = true;
          controller.enqueue(eventMessage("initial-response", cbor ? encodeCbor({}) : utf8.encode("{}"), contentType));
          return;
        }
        const next = await iterator.next();
        try {
          const bytes = next.done ? undefined : frame(next.value);
          if (bytes) controller.enqueue(bytes);
          if (next.done) controller.close();
        } catch {
          // The client went away while this event was being made (cancel() has ended the stream).
        }
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, {
    status: 200,
    headers: { "content-type": EVENT_STREAM_CONTENT_TYPE, "x-amzn-requestid": requestId },
  });
}
