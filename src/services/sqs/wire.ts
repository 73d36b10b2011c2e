/** How SQS words malformed requests for the generic codecs, per protocol. */
import type { CodecErrors, WireProtocol } from "../descriptor";
import { emptyBatchRequest, invalidParameter, missingParameter } from "../../domain/sqs/errors";

/** Batch actions answer a missing entry list with EmptyBatchRequest naming their entry shape. */
const BATCH_ENTRY_SHAPES: Record<string, string> = {
  SendMessageBatch: "SendMessageBatchRequestEntry",
  DeleteMessageBatch: "DeleteMessageBatchRequestEntry",
  ChangeMessageVisibilityBatch: "ChangeMessageVisibilityBatchRequestEntry",
};

const JSON_TYPES: Record<string, string> = {
  integer: "Integer",
  string: "String",
  boolean: "Boolean",
  list: "List",
  map: "Map",
  structure: "Structure",
  number: "Double",
  "base64 blob": "Blob",
  timestamp: "Timestamp",
};

function jsonValueKind(value: unknown): string {
  if (Array.isArray(value)) return "START_ARRAY";
  if (value !== null && typeof value === "object") return "START_OBJECT";
  if (typeof value === "string") return "STRING_VALUE";
  // Coral's token names, not Jackson's: AWS answers "STRING_VALUE can not be converted to an Integer" and
  // "NUMBER_VALUE can not be converted to a String" (aarondfrancis/sidecar#148, a Coral service).
  if (typeof value === "boolean") return value ? "TRUE_VALUE" : "FALSE_VALUE";
  return "NUMBER_VALUE";
}

/** How SQS words malformed requests, per protocol. */
export function sqsCodecErrors(operation: string, protocol: WireProtocol): CodecErrors {
  return {
    missing(member) {
      const entryShape = BATCH_ENTRY_SHAPES[operation];
      if (entryShape && member === "Entries") return emptyBatchRequest(entryShape);
      return missingParameter(member);
    },
    invalidType(member, path, expected, value) {
      if (protocol === "query")
        return invalidParameter(member, value, `Must be ${expected === "integer" ? "an integer" : `a valid ${expected}`}.`);
      const kind = jsonValueKind(value);
      const message =
        kind === "START_OBJECT"
          ? "Start of structure or map found where not expected."
          : kind === "START_ARRAY"
            ? "Start of list found where not expected"
            : `${kind} can not be converted to ${expected === "integer" ? "an" : "a"} ${JSON_TYPES[expected] ?? expected}`;
      return { code: "SerializationException", type: "com.amazon.coral.service#SerializationException", message };
    },
    malformed(detail) {
      if (protocol === "query") return { code: "MalformedQueryString", status: 404, message: detail };
      return {
        code: "SerializationException",
        type: "com.amazon.coral.service#SerializationException",
        message: detail,
      };
    },
  };
}
