/**
 * Which table a request names: TableName is a name (3..255, `[a-zA-Z0-9_.-]+`) or, since 2024, the
 * table's ARN; ResourceArn (tags) is a table or index ARN. In hosted mode only the caller's own.
 */
import { fail, ok, type Result } from "../../domain/errors";
import { dynamoError } from "../../domain/dynamodb/errors";
import { checks } from "../../domain/kinesis/validate";
import type { TableView } from "../../durable/table-object";
import { tableObject } from "../../durable/names";
import type { DynamoContext } from "./context";

const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):(\d{12}):table\/([a-zA-Z0-9_.-]{3,255})(?:\/index\/[a-zA-Z0-9_.-]+)?$/;

export interface TableRef {
  account: string;
  region: string;
  name: string;
}

export function resolveTable(ctx: DynamoContext, tableName: string, path = "tableName"): Result<TableRef> {
  const arn = TABLE_ARN.exec(tableName);
  if (arn) return owned(ctx, { region: arn[1]!, account: arn[2]!, name: arn[3]! }, tableName);
  const problem = checks().string(tableName, path, { pattern: "[a-zA-Z0-9_.-]+", min: 3, max: 255 }).done();
  if (problem) return fail({ ...problem, type: "com.amazon.coral.validate#ValidationException" });
  return ok({ account: ctx.account, region: ctx.region, name: tableName });
}

/** A table or index ARN (TagResource, UntagResource, ListTagsOfResource). */
export function resolveResourceArn(ctx: DynamoContext, arn: string): Result<TableRef> {
  const m = TABLE_ARN.exec(arn);
  if (!m) return fail(dynamoError("ValidationException", `Invalid TableArn: Invalid ResourceArn provided as input ${arn}`));
  return owned(ctx, { region: m[1]!, account: m[2]!, name: m[3]! }, arn);
}

function owned(ctx: DynamoContext, ref: TableRef, arn: string): Result<TableRef> {
  if (ctx.strict && ref.account !== ctx.account)
    return fail(
      dynamoError(
        "AccessDeniedException",
        `User: arn:aws:iam::${ctx.account}:user/${ctx.accessKeyId} is not authorized to perform this action on resource: ${arn} because no resource-based policy allows the action`,
      ),
    );
  return ok(ref);
}

export const tableStub = (ctx: DynamoContext, ref: TableRef) => tableObject(ctx.env, ref);

/** The table's definition, settings and counts (ResourceNotFoundException when it does not exist). */
export async function viewTable(ctx: DynamoContext, tableName: string): Promise<Result<TableView & { ref: TableRef }>> {
  const ref = resolveTable(ctx, tableName);
  if (!ref.ok) return ref;
  const view = (await tableStub(ctx, ref.value).describe()) as Result<TableView>;
  return view.ok ? ok({ ...view.value, ref: ref.value }) : view;
}
