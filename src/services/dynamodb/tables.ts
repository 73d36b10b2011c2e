/**
 * Table control plane: CreateTable, DescribeTable, DeleteTable, ListTables, UpdateTable (billing mode,
 * throughput, deletion protection, stream and SSE settings, GSI create and delete with CREATING →
 * ACTIVE). https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import { validation } from "../../domain/dynamodb/errors";
import {
  describeTable,
  keySchemaOf,
  validateCreateTable,
  type CreateTableRequest,
  type IndexDefinition,
  type TableDefinition,
} from "../../domain/dynamodb/table-definition";
import { checks } from "../../domain/kinesis/validate";
import { catalogObject } from "../../durable/names";
import type { TableView } from "../../durable/table-object";
import type { DynamoHandler, DynamoHandlers } from "./context";
import { resolveTable, tableStub, viewTable } from "./names";
import { tagsOf } from "./tagging";

/** Tables per account and region (AWS's default quota). */
const TABLE_LIMIT = 2500;

const coral = (problem: { code: string; message: string }) => ({
  ...problem,
  type: "com.amazon.coral.validate#ValidationException",
});

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
const createTable: DynamoHandler<"CreateTable"> = async (ctx, input) => {
  const ref = resolveTable(ctx, input.TableName);
  if (!ref.ok) return ref;
  const problem = checks()
    .oneOf(input.BillingMode, "billingMode", ["PROVISIONED", "PAY_PER_REQUEST"])
    .range(input.ProvisionedThroughput?.ReadCapacityUnits, "provisionedThroughput.readCapacityUnits", 1)
    .range(input.ProvisionedThroughput?.WriteCapacityUnits, "provisionedThroughput.writeCapacityUnits", 1)
    .size(input.KeySchema, "keySchema", 1, 2)
    .size(input.Tags, "tags", 0, 50)
    .done();
  if (problem) return fail(coral(problem));
  for (const d of input.AttributeDefinitions ?? [])
    if (!["S", "N", "B"].includes(d.AttributeType))
      return fail(
        validation(
          `1 validation error detected: Value '${d.AttributeType}' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]`,
        ),
      );
  const now = Date.now();
  const definition = validateCreateTable(input as CreateTableRequest, {
    account: ref.value.account,
    region: ref.value.region,
    now,
    id: crypto.randomUUID(),
  });
  if (!definition.ok) return definition;
  const tags = tagsOf(input.Tags ?? []);
  if (!tags.ok) return tags;
  const catalog = catalogObject(ctx.env, ref.value.account, ref.value.region);
  const reserved = await catalog.reserveTable(ref.value.name, now, TABLE_LIMIT);
  if (!reserved.ok) return reserved;
  const created = (await tableStub(ctx, ref.value).create(definition.value, tags.value)) as Result<TableView>;
  if (!created.ok) return created;
  return ok({ TableDescription: describeTable(created.value.definition, created.value.stats) as never });
};

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeTable.html
const describeTableHandler: DynamoHandler<"DescribeTable"> = async (ctx, input) => {
  const view = await viewTable(ctx, input.TableName);
  if (!view.ok) return view;
  return ok({ Table: describeTable(view.value.definition, view.value.stats) as never });
};

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html
const deleteTable: DynamoHandler<"DeleteTable"> = async (ctx, input) => {
  const ref = resolveTable(ctx, input.TableName);
  if (!ref.ok) return ref;
  const deleted = (await tableStub(ctx, ref.value).destroy()) as Result<TableView>;
  if (!deleted.ok) return deleted;
  await catalogObject(ctx.env, ref.value.account, ref.value.region).unregisterTable(ref.value.name);
  return ok({ TableDescription: describeTable(deleted.value.definition, deleted.value.stats, true) as never });
};

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ListTables.html
const listTables: DynamoHandler<"ListTables"> = async (ctx, input) => {
  const problem = checks()
    .range(input.Limit, "limit", 1, 100)
    .string(input.ExclusiveStartTableName, "exclusiveStartTableName", { pattern: "[a-zA-Z0-9_.-]+", min: 3, max: 255 })
    .done();
  if (problem) return fail(coral(problem));
  const limit = input.Limit ?? 100;
  const names = await catalogObject(ctx.env, ctx.account, ctx.region).listTables(limit + 1, input.ExclusiveStartTableName);
  const page = names.slice(0, limit);
  return ok({ TableNames: page, ...(names.length > limit ? { LastEvaluatedTableName: page[page.length - 1] } : {}) });
};

/** UpdateTable's changes applied to a definition, by DynamoDB's rules. */
function updatedDefinition(t: TableDefinition, input: Parameters<DynamoHandler<"UpdateTable">>[1]): Result<TableDefinition> {
  const next: TableDefinition = { ...t, globalIndexes: [...t.globalIndexes], attributes: { ...t.attributes } };
  let changed = false;
  if (input.BillingMode && input.BillingMode !== t.billingMode) {
    next.billingMode = input.BillingMode as TableDefinition["billingMode"];
    if (next.billingMode === "PAY_PER_REQUEST") {
      next.throughput = { read: 0, write: 0 };
      next.payPerRequestSince = Date.now();
    } else if (!input.ProvisionedThroughput)
      return fail(
        validation(
          "One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED",
        ),
      );
    changed = true;
  }
  if (input.ProvisionedThroughput) {
    if (next.billingMode === "PAY_PER_REQUEST")
      return fail(
        validation(
          "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
        ),
      );
    const pt = { read: input.ProvisionedThroughput.ReadCapacityUnits, write: input.ProvisionedThroughput.WriteCapacityUnits };
    if (pt.read === t.throughput.read && pt.write === t.throughput.write && !changed)
      return fail(
        validation(
          `The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: ${t.throughput.read}. Requested ReadCapacityUnits: ${pt.read}. Current WriteCapacityUnits provisioned for the table: ${t.throughput.write}. Requested WriteCapacityUnits: ${pt.write}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.`,
        ),
      );
    next.throughput = pt;
    changed = true;
  }
  if (input.DeletionProtectionEnabled !== undefined) {
    next.deletionProtection = input.DeletionProtectionEnabled;
    changed = true;
  }
  if (input.TableClass) {
    next.tableClass = input.TableClass;
    changed = true;
  }
  if (input.StreamSpecification) {
    next.stream = { enabled: input.StreamSpecification.StreamEnabled, viewType: input.StreamSpecification.StreamViewType };
    changed = true;
  }
  if (input.SSESpecification) {
    next.sse = {
      enabled: input.SSESpecification.Enabled ?? true,
      type: input.SSESpecification.SSEType,
      kmsKeyArn: input.SSESpecification.KMSMasterKeyId,
    };
    changed = true;
  }
  for (const d of input.AttributeDefinitions ?? []) next.attributes[d.AttributeName] = d.AttributeType as "S" | "N" | "B";
  const updates = input.GlobalSecondaryIndexUpdates ?? [];
  if (updates.length > 1)
    return fail(validation("Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"));
  for (const u of updates) {
    if (u.Create) {
      const c = u.Create;
      if (next.globalIndexes.some((i) => i.name === c.IndexName))
        return fail(validation(`One or more parameter values were invalid: Index already exists: ${c.IndexName}`));
      const key = keySchemaOf(c.KeySchema);
      if (!key.ok) return key;
      const missing = [key.value.hash, key.value.range].filter((k): k is string => !!k && !(k in next.attributes));
      if (missing.length)
        return fail(
          validation(
            `One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [${missing.join(", ")}], AttributeDefinitions: [${Object.keys(next.attributes).join(", ")}]`,
          ),
        );
      if (next.billingMode === "PROVISIONED" && !c.ProvisionedThroughput)
        return fail(
          validation(
            `One or more parameter values were invalid: ProvisionedThroughput must be specified for index: ${c.IndexName}`,
          ),
        );
      const index: IndexDefinition = {
        name: c.IndexName,
        key: key.value,
        projection: {
          type: (c.Projection.ProjectionType ?? "ALL") as IndexDefinition["projection"]["type"],
          ...(c.Projection.NonKeyAttributes ? { nonKeyAttributes: c.Projection.NonKeyAttributes } : {}),
        },
        status: "CREATING",
        ...(c.ProvisionedThroughput
          ? { throughput: { read: c.ProvisionedThroughput.ReadCapacityUnits, write: c.ProvisionedThroughput.WriteCapacityUnits } }
          : {}),
      };
      next.globalIndexes.push(index);
    } else if (u.Delete) {
      const at = next.globalIndexes.findIndex((i) => i.name === u.Delete!.IndexName);
      if (at < 0)
        return fail({
          code: "ResourceNotFoundException",
          type: "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
          message: `Requested resource not found: Index: ${u.Delete.IndexName} not found`,
        });
      next.globalIndexes[at] = { ...next.globalIndexes[at]!, status: "DELETING" };
    } else if (u.Update) {
      const at = next.globalIndexes.findIndex((i) => i.name === u.Update!.IndexName);
      if (at < 0)
        return fail({
          code: "ResourceNotFoundException",
          type: "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
          message: `Requested resource not found: Index: ${u.Update.IndexName} not found`,
        });
      const pt = u.Update.ProvisionedThroughput;
      if (pt)
        next.globalIndexes[at] = {
          ...next.globalIndexes[at]!,
          throughput: { read: pt.ReadCapacityUnits, write: pt.WriteCapacityUnits },
          status: "UPDATING",
        };
    }
    changed = true;
  }
  if (!changed)
    return fail(
      validation(
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required",
      ),
    );
  next.status = "UPDATING";
  return ok(next);
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html
const updateTable: DynamoHandler<"UpdateTable"> = async (ctx, input) => {
  const view = await viewTable(ctx, input.TableName);
  if (!view.ok) return view;
  const next = updatedDefinition(view.value.definition, input);
  if (!next.ok) return next;
  const updated = (await tableStub(ctx, view.value.ref).update(next.value, "ACTIVE")) as Result<TableView>;
  if (!updated.ok) return updated;
  return ok({ TableDescription: describeTable(updated.value.definition, updated.value.stats) as never });
};

export const tableOperations: DynamoHandlers<"CreateTable" | "DescribeTable" | "DeleteTable" | "ListTables" | "UpdateTable"> = {
  CreateTable: createTable,
  DescribeTable: describeTableHandler,
  DeleteTable: deleteTable,
  ListTables: listTables,
  UpdateTable: updateTable,
};
