/**
 * Shape metadata generated from the AWS service models (see scripts/generate-shapes.mjs).
 * One nested tree per operation input and output; the codecs in ../json.ts and ../query.ts walk it.
 */
/**
 * `document`: JSON passed through as it is (a structure that contains itself, such as DynamoDB's
 * AttributeValue, which the service reads itself).
 */
export type ScalarType = "string" | "integer" | "long" | "boolean" | "blob" | "timestamp" | "float" | "double" | "document";

interface ShapeBase {
  /** Query/XML serialization name (the model's `locationName`); JSON always uses member names. */
  name?: string;
}

export interface ScalarShape extends ShapeBase {
  type: ScalarType;
  timestampFormat?: string;
}

export interface StructureShape extends ShapeBase {
  type: "structure";
  members: Record<string, Shape>;
  required?: string[];
  /** A union (event stream) rather than a structure: exactly one member is set. */
  union?: boolean;
  /** The union is an event stream (`@streaming`): its values arrive one event at a time. */
  eventStream?: boolean;
  /** An error structure: as an event stream member, sent as an exception event. */
  error?: boolean;
}

export interface ListShape extends ShapeBase {
  type: "list";
  member: Shape;
  flattened?: boolean;
}

export interface MapShape extends ShapeBase {
  type: "map";
  key: Shape;
  value: Shape;
  flattened?: boolean;
}

export type Shape = ScalarShape | StructureShape | ListShape | MapShape;

export interface OperationModel {
  input: StructureShape;
  output: StructureShape;
  /** Element that wraps the output in a query-protocol XML response, e.g. `SendMessageResult`. */
  resultWrapper: string;
}

export interface ServiceModel {
  apiVersion: string;
  protocol: string;
  targetPrefix?: string;
  jsonVersion?: string;
  xmlNamespace?: string;
  operations: Record<string, OperationModel>;
}

/**
 * An event stream output member (Kinesis SubscribeToShard): the handler yields one event at a time,
 * each with exactly one member of the union set; the protocol layer frames and encodes them.
 */
export type EventStream<Union> = AsyncIterable<Union>;
