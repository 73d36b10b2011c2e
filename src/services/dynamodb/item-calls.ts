/**
 * What the item handlers share: decoding an item or key from DynamoDB JSON with the value rules, the
 * key schema in the forms the parsers want, ReturnValues checks and ConsumedCapacity.
 */
import { fail, ok, type Result } from "../../domain/errors";
import type { Item } from "../../domain/dynamodb/contract";
import { validation } from "../../domain/dynamodb/errors";
import type { KeySchemaNames } from "../../domain/dynamodb/expression-key-condition";
import { capacityUnits, type CapacityKind } from "../../domain/dynamodb/item-size";
import type { KeySchema, TableDefinition } from "../../domain/dynamodb/table-definition";
import { validateItem } from "../../domain/dynamodb/values";
import { itemFromWire } from "../../domain/dynamodb/wire";

/** An item, key or start key from the request: decoded, every value checked (numbers normalized). */
export function itemOf(raw: unknown): Result<Item> {
  const item = itemFromWire(raw);
  if (!item.ok) return item;
  const problem = validateItem(item.value);
  return problem ? fail(problem) : item;
}

/** The key schema of the table or of one of its indexes, with key types, for the key-condition parsers. */
export function keySchemaNames(
  t: TableDefinition,
  indexName?: string,
): Result<KeySchemaNames & { types: Record<string, "S" | "N" | "B"> }> {
  let key: KeySchema = t.key;
  if (indexName !== undefined) {
    const index = [...t.localIndexes, ...t.globalIndexes].find((i) => i.name === indexName);
    if (!index) return fail(validation(`The table does not have the specified index: ${indexName}`));
    key = index.key;
  }
  const types: Record<string, "S" | "N" | "B"> = { [key.hash]: t.attributes[key.hash]! };
  if (key.range) types[key.range] = t.attributes[key.range]!;
  return ok({
    hash: key.hash,
    ...(key.range ? { range: key.range, rangeType: t.attributes[key.range] } : {}),
    hashType: t.attributes[key.hash],
    types,
  });
}

const RETURN_VALUES: Record<string, readonly string[]> = {
  PutItem: ["NONE", "ALL_OLD"],
  DeleteItem: ["NONE", "ALL_OLD"],
  UpdateItem: ["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"],
};

export function checkReturnValues(operation: "PutItem" | "DeleteItem" | "UpdateItem", value: string | undefined): Result<null> {
  if (value === undefined) return ok(null);
  if (!["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"].includes(value))
    return fail(
      validation(
        `1 validation error detected: Value '${value}' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]`,
      ),
    );
  if (!RETURN_VALUES[operation]!.includes(value)) return fail(validation("Return values set to invalid value"));
  return ok(null);
}

/** ReturnConsumedCapacity TOTAL / INDEXES: the units one call used on one table. */
export function consumed(returnConsumedCapacity: string | undefined, tableName: string, size: number, kind: CapacityKind) {
  if (returnConsumedCapacity !== "TOTAL" && returnConsumedCapacity !== "INDEXES") return undefined;
  const units = capacityUnits(size, kind);
  return {
    TableName: tableName,
    CapacityUnits: units,
    ...(kind === "write" || kind === "transactional-write" ? { WriteCapacityUnits: units } : { ReadCapacityUnits: units }),
    ...(returnConsumedCapacity === "INDEXES" ? { Table: { CapacityUnits: units } } : {}),
  };
}
