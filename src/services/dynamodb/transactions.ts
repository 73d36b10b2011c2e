/**
 * TransactWriteItems and TransactGetItems: up to 100 actions over one or more tables, each item named
 * at most once, all or nothing. Every action is checked here first (one bad action refuses the whole
 * request); the table objects then run them: one synchronous step when a single table is involved,
 * two phases (prepare with item locks, then commit or release) over several, see
 * src/durable/table/transactions.ts. A cancelled transaction answers TransactionCanceledException with
 * one CancellationReason per action.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import type { Item, Projection } from "../../domain/dynamodb/contract";
import { transactionCanceled, validation } from "../../domain/dynamodb/errors";
import { capacityUnits, type CapacityKind } from "../../domain/dynamodb/item-size";
import { encodeItemKey } from "../../domain/dynamodb/key-encoding";
import type { TableDefinition } from "../../domain/dynamodb/table-definition";
import { attributeDefinitions, schemaElements } from "../../domain/dynamodb/table-keys";
import { validateItemKey, validateKey } from "../../domain/dynamodb/values";
import { itemToWire } from "../../domain/dynamodb/wire";
import type { CancellationReason, TransactAction, TransactOutcome } from "../../durable/table/transactions";
import type { DynamoContext, DynamoHandler, DynamoHandlers } from "./context";
import { itemOf } from "./item-calls";
import { tableStub, viewTable, type TableRef } from "./names";
import { requestExpressions } from "./request-expressions";
import type {
  TransactGetItemsOutput,
  TransactWriteItem,
  TransactWriteItemsInput,
  TransactWriteItemsOutput,
} from "./shapes/types";

const MAX_ACTIONS = 100;
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
const KINDS = ["ConditionCheck", "Put", "Delete", "Update"] as const;

/** One table's actions, with their places in the request. */
interface TableGroup {
  ref: TableRef;
  positions: number[];
  actions: TransactAction[];
}

interface Planned<A> {
  groups: Map<string, TableGroup & { items: A[] }>;
}

const refId = (ref: TableRef) => `${ref.account}/${ref.region}/${ref.name}`;

function lengthProblem(count: number) {
  if (count >= 1 && count <= MAX_ACTIONS) return undefined;
  return validation(
    `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length ${count < 1 ? "greater than or equal to 1" : `less than or equal to ${MAX_ACTIONS}`}`,
  );
}

/** The tables the request names, each described once (ResourceNotFoundException for a missing one). */
function tableCache(ctx: DynamoContext) {
  const cache = new Map<string, Promise<Awaited<ReturnType<typeof viewTable>>>>();
  return (name: string) => {
    if (!cache.has(name)) cache.set(name, viewTable(ctx, name));
    return cache.get(name)!;
  };
}

/** The item's identity within the request (table and encoded key), refusing a key that does not fit the schema. */
function itemId(ref: TableRef, t: TableDefinition, key: Item, whole: boolean): Result<string> {
  const problem = whole
    ? validateItemKey(key, schemaElements(t.key), attributeDefinitions(t))
    : validateKey(key, schemaElements(t.key), attributeDefinitions(t));
  if (problem) return fail(problem);
  return ok(`${refId(ref)}\u0000${encodeItemKey(key, schemaElements(t.key))}`);
}

const duplicate = () => validation("Transaction request cannot include multiple operations on one item");

/** One TransactItems entry as the table object's action. */
async function actionOf(entry: TransactWriteItem, index: number, view: ReturnType<typeof tableCache>) {
  const kinds = KINDS.filter((k) => entry[k] !== undefined);
  // Not recorded: worded as AWS words its neighbouring TransactItems refusals.
  if (kinds.length !== 1) return fail(validation("TransactItems can only contain one of Check, Put, Update or Delete"));
  const kind = kinds[0]!;
  const body = entry[kind]!;
  const table = await view(body.TableName);
  if (!table.ok) return table;
  const t = table.value.definition;
  const onFailure = body.ReturnValuesOnConditionCheckFailure;
  if (onFailure !== undefined && onFailure !== "NONE" && onFailure !== "ALL_OLD")
    return fail(
      validation(
        `1 validation error detected: Value '${onFailure}' at 'transactItems.${index + 1}.member.${kind[0]!.toLowerCase()}${kind.slice(1)}.returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]`,
      ),
    );
  const raw = kind === "Put" ? entry.Put!.Item : (body as { Key: unknown }).Key;
  const value = itemOf(raw);
  if (!value.ok) return value;
  const id = itemId(table.value.ref, t, value.value, kind === "Put");
  if (!id.ok) return id;
  const operation =
    kind === "Put" ? "PutItem" : kind === "Delete" ? "DeleteItem" : kind === "Update" ? "UpdateItem" : "ConditionCheck";
  const expressions = requestExpressions(operation, body);
  if (!expressions.ok) return expressions;
  const base = {
    returnOld: onFailure === "ALL_OLD",
    ...(expressions.value.condition ? { condition: expressions.value.condition } : {}),
  };
  const action: TransactAction =
    kind === "Put"
      ? { ...base, kind: "put", item: value.value }
      : kind === "Delete"
        ? { ...base, kind: "delete", key: value.value }
        : kind === "Update"
          ? {
              ...base,
              kind: "update",
              key: value.value,
              actions: expressions.value.update ?? { set: [], remove: [], add: [], delete: [] },
            }
          : { ...base, kind: "check", key: value.value, condition: expressions.value.condition! };
  return ok({ action, id: id.value, ref: table.value.ref });
}

function group<A>(planned: Planned<A>, ref: TableRef, position: number, item: A) {
  const key = refId(ref);
  let g = planned.groups.get(key);
  if (!g) planned.groups.set(key, (g = { ref, positions: [], actions: [], items: [] }));
  g.positions.push(position);
  g.items.push(item);
}

/** ReturnConsumedCapacity: per table, the transactional units of its actions. */
function consumedCapacity(mode: string | undefined, groups: Iterable<TableGroup & { sizes: number[] }>, kind: CapacityKind) {
  if (mode !== "TOTAL" && mode !== "INDEXES") return undefined;
  return [...groups].map((g) => {
    const units = g.sizes.reduce((n, size) => n + capacityUnits(size, kind), 0);
    return {
      TableName: g.ref.name,
      CapacityUnits: units,
      ...(kind === "transactional-write" ? { WriteCapacityUnits: units } : { ReadCapacityUnits: units }),
      ...(mode === "INDEXES" ? { Table: { CapacityUnits: units } } : {}),
    };
  });
}

function canceled(reasons: CancellationReason[]) {
  const error = transactionCanceled(
    `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(", ")}]`,
  );
  return fail({ ...error, messageField: "Message" as const, fields: { CancellationReasons: reasons } });
}

/** A digest of the request as AWS compares it for ClientRequestToken: member order does not matter. */
async function requestDigest(input: TransactWriteItemsInput): Promise<string> {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  const { ClientRequestToken: _, ...rest } = input;
  const bytes = new TextEncoder().encode(JSON.stringify(canonical(rest)));
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...hash].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Runs the groups' actions: one step on one table, else prepare all, then commit all or release all. */
async function run(
  ctx: DynamoContext,
  groups: TableGroup[],
  count: number,
): Promise<Result<{ sizes: number[][] } | { reasons: CancellationReason[] }>> {
  const stubs = groups.map((g) => tableStub(ctx, g.ref));
  if (groups.length === 1) {
    const out = (await stubs[0]!.transactWrite(groups[0]!.actions)) as Result<TransactOutcome>;
    if (!out.ok) return out;
    return ok(out.value.reasons ? { reasons: out.value.reasons } : { sizes: [out.value.sizes] });
  }
  const token = crypto.randomUUID();
  const prepared = (await Promise.all(
    groups.map((g, i) => stubs[i]!.transactPrepare(token, g.actions)),
  )) as Result<TransactOutcome>[];
  const failed = prepared.find((p) => !p.ok);
  if (failed || prepared.some((p) => p.ok && p.value.reasons)) {
    await Promise.all(stubs.map((s) => s.transactRelease(token)));
    if (failed) return failed as Result<never>;
    const reasons: CancellationReason[] = Array.from({ length: count }, () => ({ Code: "None" }));
    prepared.forEach((p, i) => {
      if (p.ok && p.value.reasons) groups[i]!.positions.forEach((position, j) => (reasons[position] = p.value.reasons![j]!));
    });
    return ok({ reasons });
  }
  // Every table holds its items now; a commit cannot be refused except by a lost lock (see the module).
  const committed = (await Promise.all(stubs.map((s) => s.transactCommit(token)))) as Result<TransactOutcome>[];
  const sizes: number[][] = [];
  for (const c of committed) {
    if (!c.ok) return c;
    sizes.push(c.value.sizes ?? []);
  }
  return ok({ sizes });
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
const transactWriteItems: DynamoHandler<"TransactWriteItems"> = async (ctx, input) => {
  const entries = input.TransactItems ?? [];
  const length = lengthProblem(entries.length);
  if (length) return fail(length);
  const view = tableCache(ctx);
  const planned: Planned<TransactAction> = { groups: new Map() };
  const seen = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    const a = await actionOf(entry, i, view);
    if (!a.ok) return a;
    if (seen.has(a.value.id)) return fail(duplicate());
    seen.add(a.value.id);
    group(planned, a.value.ref, i, a.value.action);
  }
  // Not recorded: worded as AWS's other transaction limits.
  if (JSON.stringify(entries).length > MAX_REQUEST_BYTES)
    return fail(validation("Transaction request cannot be larger than 4 MB"));
  const groups = [...planned.groups.values()].map((g) => ({ ...g, actions: g.items }));
  const first = tableStub(ctx, groups[0]!.ref);
  const token = input.ClientRequestToken;
  const digest = token !== undefined ? await requestDigest(input) : "";
  if (token !== undefined) {
    const earlier = (await first.recallToken(token, digest)) as Result<string | undefined>;
    if (!earlier.ok) return earlier;
    if (earlier.value !== undefined) return ok(JSON.parse(earlier.value) as TransactWriteItemsOutput);
  }
  const out = await run(ctx, groups, entries.length);
  if (!out.ok) return out;
  if ("reasons" in out.value) return canceled(out.value.reasons);
  const sizes = out.value.sizes;
  const capacity = consumedCapacity(
    input.ReturnConsumedCapacity,
    groups.map((g, i) => ({ ...g, sizes: sizes[i]! })),
    "transactional-write",
  );
  const answer: TransactWriteItemsOutput = capacity ? { ConsumedCapacity: capacity } : {};
  if (token !== undefined) await first.rememberToken(token, digest, JSON.stringify(answer));
  return ok(answer);
};

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html
const transactGetItems: DynamoHandler<"TransactGetItems"> = async (ctx, input) => {
  const entries = input.TransactItems ?? [];
  const length = lengthProblem(entries.length);
  if (length) return fail(length);
  const view = tableCache(ctx);
  const planned: Planned<{ key: Item; projection?: Projection }> = { groups: new Map() };
  const seen = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    const get = entry.Get;
    const table = await view(get.TableName);
    if (!table.ok) return table;
    const key = itemOf(get.Key);
    if (!key.ok) return key;
    const id = itemId(table.value.ref, table.value.definition, key.value, false);
    if (!id.ok) return id;
    if (seen.has(id.value)) return fail(duplicate());
    seen.add(id.value);
    const expressions = requestExpressions("TransactGetItems", get);
    if (!expressions.ok) return expressions;
    group(planned, table.value.ref, i, {
      key: key.value,
      ...(expressions.value.projection ? { projection: expressions.value.projection } : {}),
    });
  }
  const groups = [...planned.groups.values()];
  const reasons: CancellationReason[] = Array.from({ length: entries.length }, () => ({ Code: "None" }));
  const responses: NonNullable<TransactGetItemsOutput["Responses"]> = Array.from({ length: entries.length }, () => ({}));
  const sized: (TableGroup & { sizes: number[] })[] = [];
  let conflicted = false;
  for (const g of groups) {
    const got = (await tableStub(ctx, g.ref).transactGet(g.items)) as Result<{
      items: (Item | undefined)[];
      sizes: number[];
      reasons?: CancellationReason[];
    }>;
    if (!got.ok) return got;
    if (got.value.reasons) {
      conflicted = true;
      g.positions.forEach((position, j) => (reasons[position] = got.value.reasons![j]!));
      continue;
    }
    g.positions.forEach((position, j) => {
      const item = got.value.items[j];
      if (item) responses[position] = { Item: itemToWire(item) };
    });
    sized.push({ ...g, sizes: got.value.sizes });
  }
  if (conflicted) return canceled(reasons);
  const capacity = consumedCapacity(input.ReturnConsumedCapacity, sized, "transactional-read");
  return ok({ Responses: responses, ...(capacity ? { ConsumedCapacity: capacity } : {}) });
};

export const transactionOperations: DynamoHandlers<"TransactWriteItems" | "TransactGetItems"> = {
  TransactWriteItems: transactWriteItems,
  TransactGetItems: transactGetItems,
};
