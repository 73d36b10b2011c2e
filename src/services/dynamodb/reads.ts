/**
 * Query and Scan: the key condition (KeyConditionExpression or KeyConditions) against the table's or
 * index's key schema, filters, projections, Select COUNT, Limit, ExclusiveStartKey / LastEvaluatedKey,
 * ScanIndexForward, parallel Scan segments. The table object reads at most 1 MB per page.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import { resourceNotFound, validation } from "../../domain/dynamodb/errors";
import { filterKeyProblem } from "../../domain/dynamodb/filter-keys";
import { startKeyBoundsProblem, startKeyProblem } from "../../domain/dynamodb/start-key";
import { indexNamed } from "../../domain/dynamodb/table-keys";
import type { TableDefinition } from "../../domain/dynamodb/table-definition";
import type { Item } from "../../domain/dynamodb/contract";
import { itemToWire } from "../../domain/dynamodb/wire";
import type { ReadPage } from "../../durable/table/item-operations";
import type { DynamoHandler, DynamoHandlers } from "./context";
import { consumed, itemOf, keySchemaNames } from "./item-calls";
import { tableStub, viewTable } from "./names";
import { requestExpressions } from "./request-expressions";

const SELECTS = ["ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT"];

function checkPaging(input: { Limit?: number; Select?: string }): Result<null> {
  if (input.Limit !== undefined && input.Limit < 1)
    return fail(
      validation(
        `1 validation error detected: Value '${input.Limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`,
      ),
    );
  if (input.Select !== undefined && !SELECTS.includes(input.Select))
    return fail(
      validation(
        `1 validation error detected: Value '${input.Select}' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]`,
      ),
    );
  return ok(null);
}

/**
 * The table read, for Query and Scan: a missing table is AWS's bare "Requested resource not found"
 * here, as for the item calls (DescribeTable's text names the table; dynalite's Query and Scan, tested
 * against AWS, do not).
 */
async function readTable(ctx: Parameters<DynamoHandler<"Scan">>[0], tableName: string) {
  const view = await viewTable(ctx, tableName);
  return !view.ok && view.error.code === "ResourceNotFoundException" ? fail(resourceNotFound()) : view;
}

/** The ExclusiveStartKey, decoded and checked against the table's (and the index's) key. */
function startKey(
  input: { ExclusiveStartKey?: Record<string, unknown>; IndexName?: string },
  t: TableDefinition,
  operation: "Query" | "Scan",
): Result<Item | undefined> {
  if (!input.ExclusiveStartKey) return ok(undefined);
  const start = itemOf(input.ExclusiveStartKey);
  if (!start.ok) return start;
  const problem = startKeyProblem(start.value, t, indexNamed(t, input.IndexName), operation);
  return problem ? fail(problem) : start;
}

function pageOutput(
  page: ReadPage,
  count: boolean,
  returnConsumedCapacity: string | undefined,
  tableName: string,
  consistent?: boolean,
) {
  const capacity = consumed(returnConsumedCapacity, tableName, 0, consistent ? "consistent-read" : "read");
  return {
    ...(count ? {} : { Items: page.items.map(itemToWire) }),
    Count: page.count,
    ScannedCount: page.scannedCount,
    ...(page.lastEvaluatedKey ? { LastEvaluatedKey: itemToWire(page.lastEvaluatedKey) } : {}),
    ...(capacity ? { ConsumedCapacity: capacity } : {}),
  };
}

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
const query: DynamoHandler<"Query"> = async (ctx, input) => {
  const paging = checkPaging(input);
  if (!paging.ok) return paging;
  const view = await readTable(ctx, input.TableName);
  if (!view.ok) return view;
  const schema = keySchemaNames(view.value.definition, input.IndexName);
  if (!schema.ok) return schema;
  const expressions = requestExpressions("Query", input, schema.value);
  if (!expressions.ok) return expressions;
  if (!expressions.value.key)
    return fail(validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."));
  const filterProblem =
    expressions.value.filter && filterKeyProblem(expressions.value.filter, schema.value, input.QueryFilter !== undefined);
  if (filterProblem) return fail(validation(filterProblem));
  const start = startKey(input, view.value.definition, "Query");
  if (!start.ok) return start;
  const outside = start.value && startKeyBoundsProblem(start.value, expressions.value.key);
  if (outside) return fail(outside);
  const count = input.Select === "COUNT";
  const page = (await tableStub(ctx, view.value.ref).query({
    indexName: input.IndexName,
    key: expressions.value.key,
    forward: input.ScanIndexForward !== false,
    limit: input.Limit,
    exclusiveStartKey: start.value,
    filter: expressions.value.filter,
    projection: expressions.value.projection,
    count,
  })) as Result<ReadPage>;
  return page.ok
    ? ok(pageOutput(page.value, count, input.ReturnConsumedCapacity, view.value.ref.name, input.ConsistentRead))
    : page;
};

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html
const scan: DynamoHandler<"Scan"> = async (ctx, input) => {
  const paging = checkPaging(input);
  if (!paging.ok) return paging;
  if ((input.Segment === undefined) !== (input.TotalSegments === undefined))
    return fail(
      validation(
        `The ${input.Segment === undefined ? "Segment" : "TotalSegments"} parameter is required but was not present in the request when parameter ${input.Segment === undefined ? "TotalSegments" : "Segment"} is present`,
      ),
    );
  if (input.TotalSegments !== undefined && (input.TotalSegments < 1 || input.TotalSegments > 1000000))
    return fail(
      validation(
        `1 validation error detected: Value '${input.TotalSegments}' at 'totalSegments' failed to satisfy constraint: Member must have value ${input.TotalSegments < 1 ? "greater than or equal to 1" : "less than or equal to 1000000"}`,
      ),
    );
  if (input.Segment !== undefined && input.TotalSegments !== undefined && input.Segment >= input.TotalSegments)
    return fail(
      validation(
        `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${input.Segment} is not less than TotalSegments: ${input.TotalSegments}`,
      ),
    );
  const view = await readTable(ctx, input.TableName);
  if (!view.ok) return view;
  if (input.IndexName !== undefined) {
    const schema = keySchemaNames(view.value.definition, input.IndexName);
    if (!schema.ok) return schema;
  }
  const expressions = requestExpressions("Scan", input);
  if (!expressions.ok) return expressions;
  const start = startKey(input, view.value.definition, "Scan");
  if (!start.ok) return start;
  const count = input.Select === "COUNT";
  const page = (await tableStub(ctx, view.value.ref).scan({
    indexName: input.IndexName,
    limit: input.Limit,
    exclusiveStartKey: start.value,
    filter: expressions.value.filter,
    projection: expressions.value.projection,
    count,
    segment: input.Segment,
    totalSegments: input.TotalSegments,
  })) as Result<ReadPage>;
  return page.ok
    ? ok(pageOutput(page.value, count, input.ReturnConsumedCapacity, view.value.ref.name, input.ConsistentRead))
    : page;
};

export const readOperations: DynamoHandlers<"Query" | "Scan"> = { Query: query, Scan: scan };
