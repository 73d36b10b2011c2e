/**
 * GetItem, PutItem, DeleteItem, UpdateItem: the request's values checked, its expressions or legacy
 * parameters turned into the AST, then one call to the table object, which checks the key against the
 * schema and runs condition and write in one step.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
 */
import { ok, type Result } from "../../domain/errors";
import type { WriteOutcome } from "../../durable/table/item-operations";
import { itemToWire } from "../../domain/dynamodb/wire";
import type { DynamoContext, DynamoHandler, DynamoHandlers } from "./context";
import { checkReturnValues, consumed, itemOf } from "./item-calls";
import { resolveTable, tableStub } from "./names";
import { requestExpressions } from "./request-expressions";

const stubOf = (ctx: DynamoContext, tableName: string) => {
  const ref = resolveTable(ctx, tableName);
  return ref.ok ? ok({ stub: tableStub(ctx, ref.value), ref: ref.value }) : ref;
};

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html
const getItem: DynamoHandler<"GetItem"> = async (ctx, input) => {
  const table = stubOf(ctx, input.TableName);
  if (!table.ok) return table;
  const key = itemOf(input.Key);
  if (!key.ok) return key;
  const expressions = requestExpressions("GetItem", input);
  if (!expressions.ok) return expressions;
  const got = (await table.value.stub.getItem(key.value, expressions.value.projection)) as Result<{
    item?: Record<string, never>;
    size: number;
  }>;
  if (!got.ok) return got;
  const capacity = consumed(
    input.ReturnConsumedCapacity,
    table.value.ref.name,
    got.value.size,
    input.ConsistentRead ? "consistent-read" : "read",
  );
  return ok({
    ...(got.value.item ? { Item: itemToWire(got.value.item) } : {}),
    ...(capacity ? { ConsumedCapacity: capacity } : {}),
  });
};

function written(out: WriteOutcome, returnConsumedCapacity: string | undefined, tableName: string) {
  const capacity = consumed(returnConsumedCapacity, tableName, out.size, "write");
  return {
    ...(out.attributes ? { Attributes: itemToWire(out.attributes) } : {}),
    ...(capacity ? { ConsumedCapacity: capacity } : {}),
  };
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
const putItem: DynamoHandler<"PutItem"> = async (ctx, input) => {
  const table = stubOf(ctx, input.TableName);
  if (!table.ok) return table;
  const returns = checkReturnValues("PutItem", input.ReturnValues);
  if (!returns.ok) return returns;
  const item = itemOf(input.Item);
  if (!item.ok) return item;
  const expressions = requestExpressions("PutItem", input);
  if (!expressions.ok) return expressions;
  const out = (await table.value.stub.putItem(item.value, {
    condition: expressions.value.condition,
    returnValues: input.ReturnValues as never,
    returnOldOnFailure: input.ReturnValuesOnConditionCheckFailure === "ALL_OLD",
  })) as Result<WriteOutcome>;
  return out.ok ? ok(written(out.value, input.ReturnConsumedCapacity, table.value.ref.name)) : out;
};

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html
const deleteItem: DynamoHandler<"DeleteItem"> = async (ctx, input) => {
  const table = stubOf(ctx, input.TableName);
  if (!table.ok) return table;
  const returns = checkReturnValues("DeleteItem", input.ReturnValues);
  if (!returns.ok) return returns;
  const key = itemOf(input.Key);
  if (!key.ok) return key;
  const expressions = requestExpressions("DeleteItem", input);
  if (!expressions.ok) return expressions;
  const out = (await table.value.stub.deleteItem(key.value, {
    condition: expressions.value.condition,
    returnValues: input.ReturnValues as never,
    returnOldOnFailure: input.ReturnValuesOnConditionCheckFailure === "ALL_OLD",
  })) as Result<WriteOutcome>;
  return out.ok ? ok(written(out.value, input.ReturnConsumedCapacity, table.value.ref.name)) : out;
};

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
const updateItem: DynamoHandler<"UpdateItem"> = async (ctx, input) => {
  const table = stubOf(ctx, input.TableName);
  if (!table.ok) return table;
  const returns = checkReturnValues("UpdateItem", input.ReturnValues);
  if (!returns.ok) return returns;
  const key = itemOf(input.Key);
  if (!key.ok) return key;
  const expressions = requestExpressions("UpdateItem", input);
  if (!expressions.ok) return expressions;
  const actions = expressions.value.update ?? { set: [], remove: [], add: [], delete: [] };
  const out = (await table.value.stub.updateItem(key.value, actions, {
    condition: expressions.value.condition,
    returnValues: input.ReturnValues as never,
    returnOldOnFailure: input.ReturnValuesOnConditionCheckFailure === "ALL_OLD",
  })) as Result<WriteOutcome>;
  return out.ok ? ok(written(out.value, input.ReturnConsumedCapacity, table.value.ref.name)) : out;
};

export const itemOperations: DynamoHandlers<"GetItem" | "PutItem" | "DeleteItem" | "UpdateItem"> = {
  GetItem: getItem,
  PutItem: putItem,
  DeleteItem: deleteItem,
  UpdateItem: updateItem,
};
