/**
 * The item operations of one table, over its ItemStore: each checks the key against the schema,
 * evaluates its condition on the item as it is, and writes the item and its index entries in the same
 * synchronous step, so no other request comes between the check and the write. Query and Scan page
 * by Limit and by AWS's 1 MB of items read.
 */
import { fail, ok, type Result } from "../../domain/errors";
import type { Condition, Item, KeyCondition, Projection, UpdateActions } from "../../domain/dynamodb/contract";
import { conditionalCheckFailed, validation } from "../../domain/dynamodb/errors";
import { evaluateCondition } from "../../domain/dynamodb/evaluate";
import { itemSize, itemSizeProblem } from "../../domain/dynamodb/item-size";
import { encodeKeyValue, prefixUpperBound, type KeyValue } from "../../domain/dynamodb/key-encoding";
import { projectItem } from "../../domain/dynamodb/project";
import type { IndexDefinition, TableDefinition } from "../../domain/dynamodb/table-definition";
import {
  attributeDefinitions,
  encodedKey,
  indexEntries,
  indexNamed,
  keyOf,
  schemaElements,
} from "../../domain/dynamodb/table-keys";
import { expiryOf } from "../../domain/dynamodb/time-to-live";
import { applyUpdate } from "../../domain/dynamodb/update";
import { validateIndexKeys, validateItemKey, validateKey } from "../../domain/dynamodb/values";
import { itemFromWire, itemToWire } from "../../domain/dynamodb/wire";
import type { ItemStore, RangeBounds, StoredItem } from "./item-store";

/** Query and Scan stop after this many bytes of items read (AWS: 1 MB). */
const PAGE_BYTES = 1024 * 1024;

export type ReturnValues = "NONE" | "ALL_OLD" | "UPDATED_OLD" | "ALL_NEW" | "UPDATED_NEW";

export interface WriteRequest {
  condition?: Condition;
  returnValues?: ReturnValues;
  /** ReturnValuesOnConditionCheckFailure ALL_OLD: the item as it was goes with the refusal. */
  returnOldOnFailure?: boolean;
}

export interface WriteOutcome {
  attributes?: Item;
  /** Bytes of the item written or removed (consumed capacity). */
  size: number;
}

export interface ReadPage {
  items: Item[];
  count: number;
  scannedCount: number;
  lastEvaluatedKey?: Item;
}

const parse = (row: StoredItem): Item => {
  const item = itemFromWire(JSON.parse(row.item));
  if (!item.ok) throw new Error("a stored item does not parse");
  return item.value;
};

export class ItemOperations {
  constructor(
    private readonly store: ItemStore,
    private readonly transaction: <T>(fn: () => T) => T,
    /** The Time to Live attribute while TTL is enabled; `written` is told of every expiry stored. */
    private readonly ttl: { attribute(): string | undefined; written(expires: number | null): void },
  ) {}

  #expiry(item: Item): number | null {
    const expires = expiryOf(item, this.ttl.attribute(), Date.now());
    this.ttl.written(expires);
    return expires;
  }

  get(t: TableDefinition, key: Item, projection?: Projection): Result<{ item?: Item; size: number }> {
    const problem = validateKey(key, schemaElements(t.key), attributeDefinitions(t));
    if (problem) return fail(problem);
    const { hash, range } = encodedKey(key, t.key);
    const row = this.store.get(hash, range);
    if (!row) return ok({ size: 0 });
    const item = parse(row);
    return ok({ item: projection ? projectItem(item, projection) : item, size: row.size });
  }

  put(t: TableDefinition, item: Item, request: WriteRequest): Result<WriteOutcome> {
    const problem =
      validateItemKey(item, schemaElements(t.key), attributeDefinitions(t)) ??
      validateIndexKeys(item, [...t.localIndexes, ...t.globalIndexes].map(indexSchema), attributeDefinitions(t)) ??
      itemSizeProblem(item);
    if (problem) return fail(problem);
    const { hash, range } = encodedKey(item, t.key);
    // The item as it was is needed only for a condition or ALL_OLD: a plain put does not read it.
    const needsOld = request.condition !== undefined || request.returnValues === "ALL_OLD";
    return this.transaction(() => {
      const old = needsOld ? this.#current(hash, range) : undefined;
      const refused = this.#check(request, old);
      if (refused) return refused;
      const size = itemSize(item);
      this.store.put(
        { hash, range, item: JSON.stringify(itemToWire(item)), size, expires: this.#expiry(item) },
        indexEntries(item, t),
        hasIndexes(t),
      );
      return ok({ size, ...(request.returnValues === "ALL_OLD" && old ? { attributes: old } : {}) });
    });
  }

  delete(t: TableDefinition, key: Item, request: WriteRequest): Result<WriteOutcome> {
    const problem = validateKey(key, schemaElements(t.key), attributeDefinitions(t));
    if (problem) return fail(problem);
    const { hash, range } = encodedKey(key, t.key);
    return this.transaction(() => {
      const old = this.#current(hash, range);
      const refused = this.#check(request, old);
      if (refused) return refused;
      if (old) this.store.delete(hash, range, hasIndexes(t));
      return ok({ size: old ? itemSize(old) : 0, ...(request.returnValues === "ALL_OLD" && old ? { attributes: old } : {}) });
    });
  }

  update(t: TableDefinition, key: Item, actions: UpdateActions, request: WriteRequest): Result<WriteOutcome> {
    const problem = validateKey(key, schemaElements(t.key), attributeDefinitions(t));
    if (problem) return fail(problem);
    const keyNames = new Set([t.key.hash, ...(t.key.range ? [t.key.range] : [])]);
    const touched = touchedAttributes(actions);
    for (const name of touched)
      if (keyNames.has(name))
        return fail(
          validation(
            `One or more parameter values were invalid: Cannot update attribute ${name}. This attribute is part of the key`,
          ),
        );
    const { hash, range } = encodedKey(key, t.key);
    return this.transaction(() => {
      const old = this.#current(hash, range);
      const refused = this.#check(request, old);
      if (refused) return refused;
      const next = applyUpdate(old, key, actions);
      if (!next.ok) return next;
      const item = next.value;
      const invalid =
        validateIndexKeys(item, [...t.localIndexes, ...t.globalIndexes].map(indexSchema), attributeDefinitions(t)) ??
        itemSizeProblem(item, true);
      if (invalid) return fail(invalid);
      const size = itemSize(item);
      this.store.put(
        { hash, range, item: JSON.stringify(itemToWire(item)), size, expires: this.#expiry(item) },
        indexEntries(item, t),
        hasIndexes(t),
      );
      return ok({ size, ...returned(request.returnValues, old, item, touched) });
    });
  }

  query(
    t: TableDefinition,
    request: {
      indexName?: string;
      key: KeyCondition;
      forward: boolean;
      limit?: number;
      exclusiveStartKey?: Item;
      filter?: Condition;
      projection?: Projection;
      count: boolean;
    },
  ): Result<ReadPage> {
    const index = indexNamed(t, request.indexName);
    const hash = encodeKeyValue(request.key.hashKey.value as KeyValue);
    const bounds = boundsOf(request.key);
    const limit = request.limit ?? Infinity;
    const out: ReadPage = { items: [], count: 0, scannedCount: 0 };
    let bytes = 0;
    let last: Item | undefined;
    let after = request.exclusiveStartKey;
    for (;;) {
      const batch = Math.min(100, limit - out.scannedCount);
      const rows = index
        ? this.#indexRows(t, index, hash, bounds, request.forward, after, batch)
        : this.#tableRows(t, hash, bounds, request.forward, after, batch);
      for (const row of rows) {
        const item = parse(row);
        out.scannedCount++;
        bytes += row.size;
        last = positionKey(item, t, index);
        const matched = request.filter ? evaluateCondition(request.filter, item) : ok(true);
        if (!matched.ok) return matched;
        if (matched.value) {
          out.count++;
          if (!request.count) out.items.push(request.projection ? projectItem(item, request.projection) : item);
        }
        if (out.scannedCount >= limit || bytes >= PAGE_BYTES) {
          const more = index
            ? this.#indexRows(t, index, hash, bounds, request.forward, last, 1).length > 0
            : this.#tableRows(t, hash, bounds, request.forward, last, 1).length > 0;
          if (more || out.scannedCount >= limit) out.lastEvaluatedKey = last;
          return ok(out);
        }
      }
      if (rows.length < batch) return ok(out);
      after = last;
    }
  }

  scan(
    t: TableDefinition,
    request: {
      indexName?: string;
      limit?: number;
      exclusiveStartKey?: Item;
      filter?: Condition;
      projection?: Projection;
      count: boolean;
      segment?: number;
      totalSegments?: number;
    },
  ): Result<ReadPage> {
    const index = indexNamed(t, request.indexName);
    const limit = request.limit ?? Infinity;
    const out: ReadPage = { items: [], count: 0, scannedCount: 0 };
    let bytes = 0;
    let after = request.exclusiveStartKey ? encodedKey(request.exclusiveStartKey, t.key) : undefined;
    for (;;) {
      const rows = this.store.scan(after, 200, index?.name);
      for (const row of rows) {
        after = { hash: row.hash, range: row.range };
        if (request.totalSegments && segmentOf(row.hash, request.totalSegments) !== request.segment) continue;
        const item = parse(row);
        out.scannedCount++;
        bytes += row.size;
        const matched = request.filter ? evaluateCondition(request.filter, item) : ok(true);
        if (!matched.ok) return matched;
        if (matched.value) {
          out.count++;
          if (!request.count) out.items.push(request.projection ? projectItem(item, request.projection) : item);
        }
        if (out.scannedCount >= limit || bytes >= PAGE_BYTES) {
          out.lastEvaluatedKey = positionKey(item, t, index);
          return ok(out);
        }
      }
      if (rows.length < 200) return ok(out);
    }
  }

  #tableRows(
    t: TableDefinition,
    hash: string,
    bounds: RangeBounds,
    forward: boolean,
    after: Item | undefined,
    limit: number,
  ): StoredItem[] {
    return this.store.partition(hash, bounds, forward, after ? encodedKey(after, t.key).range : undefined, limit);
  }

  #indexRows(
    t: TableDefinition,
    index: IndexDefinition,
    hash: string,
    bounds: RangeBounds,
    forward: boolean,
    after: Item | undefined,
    limit: number,
  ) {
    const position = after
      ? {
          range: encodedKey(after, index.key).range,
          tableHash: encodedKey(after, t.key).hash,
          tableRange: encodedKey(after, t.key).range,
        }
      : undefined;
    return this.store.indexPartition(index.name, hash, bounds, forward, position, limit);
  }

  #current(hash: string, range: string): Item | undefined {
    const row = this.store.get(hash, range);
    return row ? parse(row) : undefined;
  }

  /** The write's condition on the item as it is. */
  #check(request: WriteRequest, old: Item | undefined): Result<never> | undefined {
    if (!request.condition) return undefined;
    const passed = evaluateCondition(request.condition, old);
    if (!passed.ok) return passed;
    if (passed.value) return undefined;
    const error = conditionalCheckFailed();
    return fail(request.returnOldOnFailure && old ? { ...error, fields: { Item: itemToWire(old) } } : error);
  }
}

const hasIndexes = (t: TableDefinition) => t.localIndexes.length + t.globalIndexes.length > 0;

const indexSchema = (i: IndexDefinition) => ({ IndexName: i.name, KeySchema: schemaElements(i.key) });

/** The top-level attributes an update writes (UPDATED_OLD / UPDATED_NEW, and the key check). */
function touchedAttributes(actions: UpdateActions): Set<string> {
  const names = new Set<string>();
  const top = (path: { name?: string; index?: number }[]) => {
    const first = path[0];
    if (first && "name" in first && first.name !== undefined) names.add(first.name);
  };
  for (const a of actions.set) top(a.path as never);
  for (const p of actions.remove) top(p as never);
  for (const a of actions.add) top(a.path as never);
  for (const a of actions.delete) top(a.path as never);
  return names;
}

function returned(
  mode: ReturnValues | undefined,
  old: Item | undefined,
  next: Item,
  touched: Set<string>,
): { attributes?: Item } {
  const pick = (item: Item | undefined) => {
    if (!item) return undefined;
    const out: Item = {};
    for (const name of touched) if (item[name]) out[name] = item[name]!;
    return Object.keys(out).length ? out : undefined;
  };
  switch (mode) {
    case "ALL_OLD":
      return old ? { attributes: old } : {};
    case "ALL_NEW":
      return { attributes: next };
    case "UPDATED_OLD": {
      const a = pick(old);
      return a ? { attributes: a } : {};
    }
    case "UPDATED_NEW": {
      const a = pick(next);
      return a ? { attributes: a } : {};
    }
    default:
      return {};
  }
}

/** The LastEvaluatedKey of an item: the table's key, plus the index's for an index read. */
function positionKey(item: Item, t: TableDefinition, index: IndexDefinition | undefined): Item {
  return index ? { ...keyOf(item, t.key), ...keyOf(item, index.key) } : keyOf(item, t.key);
}

function boundsOf(key: KeyCondition): RangeBounds {
  const r = key.rangeKey;
  if (!r) return {};
  switch (r.op) {
    case "=":
      return {
        low: { value: encodeKeyValue(r.value as KeyValue), inclusive: true },
        high: { value: encodeKeyValue(r.value as KeyValue), inclusive: true },
      };
    case "<":
      return { high: { value: encodeKeyValue(r.value as KeyValue), inclusive: false } };
    case "<=":
      return { high: { value: encodeKeyValue(r.value as KeyValue), inclusive: true } };
    case ">":
      return { low: { value: encodeKeyValue(r.value as KeyValue), inclusive: false } };
    case ">=":
      return { low: { value: encodeKeyValue(r.value as KeyValue), inclusive: true } };
    case "between":
      return {
        low: { value: encodeKeyValue(r.low as KeyValue), inclusive: true },
        high: { value: encodeKeyValue(r.high as KeyValue), inclusive: true },
      };
    case "begins_with": {
      const prefix = encodeKeyValue(r.prefix as KeyValue);
      return { low: { value: prefix, inclusive: true }, high: { value: prefixUpperBound(prefix), inclusive: false } };
    }
  }
}

/** Parallel Scan: an item's segment, from its encoded hash key (every item of a partition in one). */
function segmentOf(hash: string, total: number): number {
  let h = 2166136261;
  for (let i = 0; i < hash.length; i++) h = Math.imul(h ^ hash.charCodeAt(i), 16777619);
  return (h >>> 0) % total;
}
