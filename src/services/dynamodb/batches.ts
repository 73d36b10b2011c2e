/**
 * BatchGetItem (at most 100 keys) and BatchWriteItem (at most 25 requests): each table's part goes to
 * its table object; nothing is left unprocessed here (no throttling), so UnprocessedKeys /
 * UnprocessedItems are empty, as AWS answers when every request was served.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import type { Item } from "../../domain/dynamodb/contract";
import { validation } from "../../domain/dynamodb/errors";
import { encodeItemKey } from "../../domain/dynamodb/key-encoding";
import { schemaElements } from "../../domain/dynamodb/table-keys";
import { itemToWire } from "../../domain/dynamodb/wire";
import type { WriteOutcome } from "../../durable/table/item-operations";
import type { DynamoHandler, DynamoHandlers } from "./context";
import { itemOf } from "./item-calls";
import { tableStub, viewTable } from "./names";
import { requestExpressions } from "./request-expressions";

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
const batchGetItem: DynamoHandler<"BatchGetItem"> = async (ctx, input) => {
  const tables = Object.entries(input.RequestItems);
  const keys = tables.reduce((n, [, k]) => n + k.Keys.length, 0);
  if (keys > 100) return fail(validation("Too many items requested for the BatchGetItem call"));
  const responses: Record<string, Record<string, unknown>[]> = {};
  for (const [tableName, request] of tables) {
    const view = await viewTable(ctx, tableName);
    if (!view.ok) return view;
    const expressions = requestExpressions("BatchGetItem", request);
    if (!expressions.ok) return expressions;
    const seen = new Set<string>();
    const decoded: Item[] = [];
    for (const raw of request.Keys) {
      const key = itemOf(raw);
      if (!key.ok) return key;
      try {
        const id = encodeItemKey(key.value, schemaElements(view.value.definition.key));
        if (seen.has(id)) return fail(validation("Provided list of item keys contains duplicates"));
        seen.add(id);
      } catch {
        return fail(validation("The provided key element does not match the schema"));
      }
      decoded.push(key.value);
    }
    const stub = tableStub(ctx, view.value.ref);
    responses[tableName] = [];
    for (const key of decoded) {
      const got = (await stub.getItem(key, expressions.value.projection)) as Result<{ item?: Item }>;
      if (!got.ok) return got;
      if (got.value.item) responses[tableName].push(itemToWire(got.value.item));
    }
  }
  return ok({ Responses: responses, UnprocessedKeys: {} });
};

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
const batchWriteItem: DynamoHandler<"BatchWriteItem"> = async (ctx, input) => {
  const tables = Object.entries(input.RequestItems);
  const count = tables.reduce((n, [, r]) => n + r.length, 0);
  // A table's list may not be empty either (the same constraint; AWS prints the map as Java does,
  // which this text leaves out, as for the upper bound).
  if (count > 25 || tables.some(([, r]) => r.length === 0))
    return fail(
      validation(
        "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]",
      ),
    );
  // Every request is checked before any is written, as AWS refuses the whole batch for one bad request.
  const plan: { tableName: string; put?: Item; delete?: Item }[] = [];
  const views = new Map<string, Awaited<ReturnType<typeof viewTable>>>();
  for (const [tableName, requests] of tables) {
    const view = await viewTable(ctx, tableName);
    if (!view.ok) return view;
    views.set(tableName, view);
    const seen = new Set<string>();
    for (const r of requests) {
      if ((r.PutRequest === undefined) === (r.DeleteRequest === undefined))
        return fail(
          validation(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
          ),
        );
      const raw = r.PutRequest ? r.PutRequest.Item : r.DeleteRequest!.Key;
      const value = itemOf(raw);
      if (!value.ok) return value;
      try {
        const id = encodeItemKey(value.value, schemaElements(view.value.definition.key));
        if (seen.has(id)) return fail(validation("Provided list of item keys contains duplicates"));
        seen.add(id);
      } catch {
        return fail(validation("The provided key element does not match the schema"));
      }
      plan.push(r.PutRequest ? { tableName, put: value.value } : { tableName, delete: value.value });
    }
  }
  for (const step of plan) {
    const view = views.get(step.tableName)!;
    if (!view.ok) return view;
    const stub = tableStub(ctx, view.value.ref);
    const done = (step.put ? await stub.putItem(step.put, {}) : await stub.deleteItem(step.delete!, {})) as Result<WriteOutcome>;
    if (!done.ok) return done;
  }
  return ok({ UnprocessedItems: {} });
};

export const batchOperations: DynamoHandlers<"BatchGetItem" | "BatchWriteItem"> = {
  BatchGetItem: batchGetItem,
  BatchWriteItem: batchWriteItem,
};
