/**
 * A table's keys as item storage needs them: the key attributes of an item, their encodings (hash and
 * range, `""` without a range key), the index entries an item has (an item without an index's key
 * attributes is not in it), and the key schemas in AWS's shape for ./values.ts's checks.
 */
import type { Item } from "./contract";
import { encodeKeyValue, type KeyValue } from "./key-encoding";
import type { IndexDefinition, KeySchema, TableDefinition } from "./table-definition";
import type { AttributeDefinition, KeySchemaElement } from "./values";

export const schemaElements = (key: KeySchema): KeySchemaElement[] => [
  { AttributeName: key.hash, KeyType: "HASH" },
  ...(key.range ? [{ AttributeName: key.range, KeyType: "RANGE" }] : []),
];

export const attributeDefinitions = (t: TableDefinition): AttributeDefinition[] =>
  Object.entries(t.attributes).map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));

/** The item's attributes that make up `key` (the item must have them). */
export function keyOf(item: Item, key: KeySchema): Item {
  const out: Item = { [key.hash]: item[key.hash]! };
  if (key.range) out[key.range] = item[key.range]!;
  return out;
}

export function encodedKey(item: Item, key: KeySchema): { hash: string; range: string } {
  return {
    hash: encodeKeyValue(item[key.hash] as KeyValue),
    range: key.range ? encodeKeyValue(item[key.range] as KeyValue) : "",
  };
}

const isKeyValue = (value: unknown, type: string) => value !== undefined && type in (value as object);

/** Whether the item has this index's key attributes, of their declared types. */
export function inIndex(item: Item, index: IndexDefinition, t: TableDefinition): boolean {
  return (
    isKeyValue(item[index.key.hash], t.attributes[index.key.hash]!) &&
    (!index.key.range || isKeyValue(item[index.key.range], t.attributes[index.key.range]!))
  );
}

/** The index entries of an item: one per index whose key attributes it has. */
export function indexEntries(item: Item, t: TableDefinition): { index: string; hash: string; range: string }[] {
  const entries = [];
  for (const index of [...t.localIndexes, ...t.globalIndexes]) {
    if (index.status === "DELETING" || !inIndex(item, index, t)) continue;
    entries.push({ index: index.name, ...encodedKey(item, index.key) });
  }
  return entries;
}

/** The index a Query or Scan names, or the table's own key. */
export function indexNamed(t: TableDefinition, name: string | undefined): IndexDefinition | undefined {
  return name === undefined ? undefined : [...t.localIndexes, ...t.globalIndexes].find((i) => i.name === name);
}
