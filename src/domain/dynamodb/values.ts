/**
 * DynamoDB's rules for attribute values, items and keys, with AWS's texts (dynalite's tests hold them
 * as recorded against AWS). Two stages, because AWS answers them in this order: the request's values
 * are checked before the table is looked up (`validateAttributeValue`, `validateItem`: a bad value in a
 * request for a missing table is a ValidationException, not ResourceNotFound), and only then are keys
 * checked against the table's schema (`validateKey`, `validateItemKey`, `validateIndexKeys`).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html
 */
import type { AttributeType, AttributeValue, Item } from "./contract";
import { validation } from "./errors";
import type { Problem } from "../errors";
import { formatNumber, parseNumber } from "./numbers";
import { binaryLength, utf8Length } from "./item-size";

export const ATTRIBUTE_TYPES: readonly AttributeType[] = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"];
const KNOWN = new Set<string>(ATTRIBUTE_TYPES);

/** A document may nest 32 levels, the top-level attribute counting as the first. */
export const MAX_NESTING_DEPTH = 32;
export const MAX_HASH_KEY_BYTES = 2048;
export const MAX_RANGE_KEY_BYTES = 1024;

const INVALID = "One or more parameter values were invalid: ";
const EMPTY_VALUE = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
const MANY_TYPES = "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes";
/** Real DynamoDB's text (captured in eu-west-2, per a public conformance suite); no recording here. */
const TOO_DEEP =
  "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit";
const KEY_MISMATCH = "The provided key element does not match the schema";

/** Where a value came from, when AWS names it in the message. */
export interface ValueContext {
  /** The ExpressionAttributeValues placeholder (`:v`): AWS wraps the message and names it. */
  expressionAttributeValue?: string;
}

/** The members the codec left set (a JSON `null` member is no member, as in AWS's deserialiser). */
function presentTypes(value: AttributeValue): AttributeType[] {
  if (typeof value !== "object" || value === null) return [];
  const record = value as Record<string, unknown>;
  return Object.keys(record).filter((k) => KNOWN.has(k) && record[k] !== undefined && record[k] !== null) as AttributeType[];
}

/** The value's one type (its first, if validation has not yet refused a value with several). */
export function typeOf(value: AttributeValue): AttributeType {
  const type = presentTypes(value)[0];
  if (!type) throw new Error("typeOf: an AttributeValue with no type (validate it first)");
  return type;
}

/** AWS prints a set as `[a, b]`; a binary set's members as base64. */
const listText = (members: string[]) => `[${members.join(", ")}]`;
const base64 = (bytes: Uint8Array) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));
const hasDuplicate = (keys: string[]) => new Set(keys).size !== keys.length;

/** Checks one number in place: stores its canonical text, or says what is wrong with it. */
function normalizeInPlace(holder: Record<string | number, string>, at: string | number): string | undefined {
  const parsed = parseNumber(holder[at] as string);
  if (!parsed.ok) return parsed.error.message;
  holder[at] = formatNumber(parsed.value);
  return undefined;
}

/** The first broken rule of a value nested at `level`, as bare text; numbers normalized on the way. */
function check(value: AttributeValue, level: number): string | undefined {
  if (level > MAX_NESTING_DEPTH) return TOO_DEEP;
  const types = presentTypes(value);
  if (types.length === 0) return EMPTY_VALUE;
  const v = value as Record<string, unknown>;
  // Every member is checked before the type count, as AWS does ({S: "a", N: "x"} is a number error).
  for (const type of types) {
    let problem: string | undefined;
    switch (type) {
      case "N":
        problem = normalizeInPlace(v as Record<string, string>, "N");
        break;
      case "NULL":
        if (v.NULL !== true) problem = `${INVALID}Null attribute value types must have the value of true`;
        break;
      case "SS": {
        const set = v.SS as string[];
        if (set.length === 0) problem = `${INVALID}An string set  may not be empty`;
        else if (hasDuplicate(set)) problem = `${INVALID}Input collection ${listText(set)} contains duplicates.`;
        break;
      }
      case "NS": {
        const set = v.NS as string[];
        if (set.length === 0) problem = `${INVALID}An number set  may not be empty`;
        for (let i = 0; !problem && i < set.length; i++) problem = normalizeInPlace(set as unknown as Record<number, string>, i);
        // Compared once canonical: ["1", "1.0"] holds the same number twice.
        if (!problem && hasDuplicate(set)) problem = "Input collection contains duplicates";
        break;
      }
      case "BS": {
        const set = v.BS as Uint8Array[];
        if (set.length === 0) problem = `${INVALID}Binary sets should not be empty`;
        else {
          const texts = set.map(base64);
          // AWS leaves out the space before "of type BS".
          if (hasDuplicate(texts)) problem = `${INVALID}Input collection ${listText(texts)}of type BS contains duplicates.`;
        }
        break;
      }
      case "M":
        for (const member of Object.values(v.M as Record<string, AttributeValue>)) {
          problem = check(member, level + 1);
          if (problem) break;
        }
        break;
      case "L":
        for (const member of v.L as AttributeValue[]) {
          problem = check(member, level + 1);
          if (problem) break;
        }
        break;
      default:
        break;
    }
    if (problem) return problem;
  }
  return types.length > 1 ? MANY_TYPES : undefined;
}

/**
 * Checks a value by AWS's rules and normalizes its numbers (N, NS, nested) in place to the canonical
 * text DynamoDB stores and returns. Empty strings and binaries are fine here (key rules come later).
 * `level` is how deep the value sits: 1 for an item's attribute or an ExpressionAttributeValues entry.
 */
export function validateAttributeValue(value: AttributeValue, context: ValueContext = {}, level = 1): Problem {
  const problem = check(value, level);
  if (!problem) return undefined;
  const placeholder = context.expressionAttributeValue;
  // AWS's wrapping for ExpressionAttributeValues (dynalite's tests); whether the nesting text is wrapped
  // too is not recorded, and is treated like the others.
  return validation(
    placeholder === undefined ? problem : `ExpressionAttributeValues contains invalid value: ${problem} for key ${placeholder}`,
  );
}

/** Checks every attribute of an item (Item, Key, ExclusiveStartKey…), normalizing numbers in place. */
export function validateItem(item: Item): Problem {
  for (const value of Object.values(item)) {
    const problem = validateAttributeValue(value);
    if (problem) return problem;
  }
  return undefined;
}

/** CreateTable's shapes, as the request carries them (so a table's description passes as it is). */
export interface KeySchemaElement {
  AttributeName: string;
  KeyType: string;
}
export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: string;
}
export interface IndexKeySchema {
  IndexName: string;
  KeySchema: KeySchemaElement[];
}

/** The key attributes in schema order (HASH, then RANGE), each with its declared type. */
export function keyAttributes(keySchema: KeySchemaElement[], definitions: AttributeDefinition[]) {
  const ordered = [...keySchema].sort((a, b) => (a.KeyType === b.KeyType ? 0 : a.KeyType === "HASH" ? -1 : 1));
  return ordered.map((element) => ({
    name: element.AttributeName,
    type: definitions.find((d) => d.AttributeName === element.AttributeName)?.AttributeType as "S" | "N" | "B",
    isHash: element.KeyType === "HASH",
  }));
}

/** A key value's size in bytes (strings as UTF-8); numbers have no key size limit of their own. */
function keyBytes(value: AttributeValue): number {
  if ("S" in value) return utf8Length(value.S);
  if ("B" in value) return binaryLength(value.B);
  return 0;
}

function keySizeProblem(value: AttributeValue, isHash: boolean): Problem {
  const bytes = keyBytes(value);
  if (isHash && bytes > MAX_HASH_KEY_BYTES)
    return validation(`${INVALID}Size of hashkey has exceeded the maximum size limit of${MAX_HASH_KEY_BYTES} bytes`);
  if (!isHash && bytes > MAX_RANGE_KEY_BYTES)
    return validation(`${INVALID}Aggregated size of all range keys has exceeded the size limit of ${MAX_RANGE_KEY_BYTES} bytes`);
  return undefined;
}

const isEmptyScalar = (value: AttributeValue) =>
  ("S" in value && value.S === "") || ("B" in value && value.B !== undefined && value.B.length === 0);
const emptyKind = (value: AttributeValue) => ("S" in value ? "string" : "binary");

/**
 * A Key parameter (GetItem, DeleteItem, UpdateItem, BatchGetItem, ExclusiveStartKey…) against the
 * table's schema: exactly the key attributes, each of its declared type, non-empty, within size.
 */
export function validateKey(key: Item, keySchema: KeySchemaElement[], definitions: AttributeDefinition[]): Problem {
  if (Object.keys(key).length !== keySchema.length) return validation(KEY_MISMATCH);
  for (const { name, type, isHash } of keyAttributes(keySchema, definitions)) {
    const value = key[name];
    if (!value || presentTypes(value)[0] !== type) return validation(KEY_MISMATCH);
    if (isEmptyScalar(value))
      return validation(
        `${INVALID}The AttributeValue for a key attribute cannot contain an empty ${emptyKind(value)} value. Key: ${name}`,
      );
    const problem = keySizeProblem(value, isHash);
    if (problem) return problem;
  }
  return undefined;
}

/** An item to store (PutItem, BatchWriteItem's PutRequest, a transaction's Put) against the table's key. */
export function validateItemKey(item: Item, keySchema: KeySchemaElement[], definitions: AttributeDefinition[]): Problem {
  for (const { name, type, isHash } of keyAttributes(keySchema, definitions)) {
    const value = item[name];
    if (!value) return validation(`${INVALID}Missing the key ${name} in the item`);
    const actual = presentTypes(value)[0];
    if (actual !== type) return validation(`${INVALID}Type mismatch for key ${name} expected: ${type} actual: ${actual}`);
    // AWS words this one differently from the Key parameter's ("are not valid." rather than "were invalid:").
    if (isEmptyScalar(value))
      return validation(
        `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${emptyKind(value)} value. Key: ${name}`,
      );
    const problem = keySizeProblem(value, isHash);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * An item's secondary-index key attributes, where present (an item without them is simply not in the
 * index): of the declared type and not empty.
 */
export function validateIndexKeys(item: Item, indexes: IndexKeySchema[], definitions: AttributeDefinition[]): Problem {
  for (const index of indexes) {
    for (const { name, type } of keyAttributes(index.KeySchema, definitions)) {
      const value = item[name];
      if (!value) continue;
      const actual = presentTypes(value)[0];
      if (actual !== type)
        return validation(
          `${INVALID}Type mismatch for Index Key ${name} Expected: ${type} Actual: ${actual} IndexName: ${index.IndexName}`,
        );
      // AWS's text for an empty index key, as users quote it from real errors (not recorded here).
      if (isEmptyScalar(value))
        return validation(
          "One or more parameter values are not valid. A value specified for a secondary index key is not supported. " +
            `The AttributeValue for a key attribute cannot contain an empty ${emptyKind(value)} value. IndexName: ${index.IndexName}, IndexKey: ${name}`,
        );
    }
  }
  return undefined;
}
