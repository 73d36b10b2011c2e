/**
 * Amazon DynamoDB as the table object and the handlers share it: attribute values in DynamoDB's JSON
 * form (as the codec decodes them: B and BS as bytes), and the one form every condition and update
 * takes, whether the client wrote an expression (ConditionExpression, UpdateExpression,
 * KeyConditionExpression, FilterExpression, ProjectionExpression) or the legacy parameters
 * (Expected, AttributeUpdates, KeyConditions, QueryFilter, ScanFilter, AttributesToGet). Parsing
 * (./expression-parser.ts), legacy conversion (./legacy.ts) and evaluation (./evaluate.ts, ./update.ts)
 * meet here.
 */

export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: Uint8Array }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: Uint8Array[] };

export type AttributeType = "S" | "N" | "B" | "BOOL" | "NULL" | "M" | "L" | "SS" | "NS" | "BS";

export type Item = Record<string, AttributeValue>;

/** One step of a document path: a map member (`a`, `#name`) or a list index (`[3]`). */
export type PathElement = { name: string } | { index: number };
/** `a.b[2].c`: names already resolved from ExpressionAttributeNames. */
export type Path = PathElement[];

/** What a comparison or function reads: an attribute (by path), a value, or `size(path)`. */
export type Operand = { kind: "path"; path: Path } | { kind: "value"; value: AttributeValue } | { kind: "size"; path: Path };

export type Comparator = "=" | "<>" | "<" | "<=" | ">" | ">=";

export type ConditionFunction = "attribute_exists" | "attribute_not_exists" | "attribute_type" | "begins_with" | "contains";

/** A condition (ConditionExpression, FilterExpression, KeyConditionExpression, or a legacy one). */
export type Condition =
  | { kind: "compare"; op: Comparator; left: Operand; right: Operand }
  | { kind: "between"; operand: Operand; low: Operand; high: Operand }
  | { kind: "in"; operand: Operand; list: Operand[] }
  | { kind: "and"; left: Condition; right: Condition }
  | { kind: "or"; left: Condition; right: Condition }
  | { kind: "not"; operand: Condition }
  | { kind: "function"; name: ConditionFunction; args: Operand[] }
  /**
   * A legacy (Expected / QueryFilter / ScanFilter) comparison, whose semantics differ from the
   * expression ones in places (NE on a missing attribute, NULL / NOT_NULL, CONTAINS on sets).
   */
  | { kind: "legacy"; operator: LegacyOperator; path: Path; values: AttributeValue[] };

export type LegacyOperator =
  "EQ" | "NE" | "LE" | "LT" | "GE" | "GT" | "NOT_NULL" | "NULL" | "CONTAINS" | "NOT_CONTAINS" | "BEGINS_WITH" | "IN" | "BETWEEN";

/** The right-hand side of a SET action. */
export type UpdateValue =
  | { kind: "operand"; operand: Operand }
  | { kind: "plus"; left: UpdateValue; right: UpdateValue }
  | { kind: "minus"; left: UpdateValue; right: UpdateValue }
  | { kind: "if_not_exists"; path: Path; value: UpdateValue }
  | { kind: "list_append"; left: UpdateValue; right: UpdateValue };

/**
 * Every action of one update, in the order it applies (UpdateExpression clauses, or AttributeUpdates:
 * PUT → set, DELETE without a value → remove, DELETE with a set → delete, ADD → add).
 */
export interface UpdateActions {
  set: { path: Path; value: UpdateValue }[];
  remove: Path[];
  /** `legacy`: AttributeUpdates ADD, which also appends to lists (expressions' ADD does not). */
  add: { path: Path; value: AttributeValue; legacy?: boolean }[];
  /** `legacy`: AttributeUpdates DELETE, whose type mismatch AWS words differently. */
  delete: { path: Path; value: AttributeValue; legacy?: boolean }[];
}

/** A key condition as Query needs it: the partition key's value and an optional sort key range. */
export interface KeyCondition {
  hashKey: { name: string; value: AttributeValue };
  rangeKey?:
    | { name: string; op: "=" | "<" | "<=" | ">" | ">="; value: AttributeValue }
    | { name: string; op: "between"; low: AttributeValue; high: AttributeValue }
    | { name: string; op: "begins_with"; prefix: AttributeValue };
}

/** What ProjectionExpression / AttributesToGet keep: paths into the item. */
export type Projection = Path[];
