/**
 * One request's conditions, updates, projections and key conditions, from its expressions or its
 * legacy parameters (never both), in the AST the table object evaluates. Placeholders are resolved for
 * all of a request's expressions together, then checked for unused ones, as AWS does.
 */
import { fail, ok, type Result } from "../../domain/errors";
import type { AttributeValue, Condition, Item, KeyCondition, Projection, UpdateActions } from "../../domain/dynamodb/contract";
import { keyConditionOf, type KeySchemaNames } from "../../domain/dynamodb/expression-key-condition";
import {
  checkPlaceholderMaps,
  EXPRESSION_PARAMETERS,
  ExpressionContext,
  type ExpressionParameter,
} from "../../domain/dynamodb/expression-names";
import { parseCondition, parseProjection, parseUpdate } from "../../domain/dynamodb/expression-parser";
import {
  attributesToGetToProjection,
  attributeUpdatesToActions,
  checkNotMixed,
  expectedToCondition,
  filterToCondition,
  keyConditionsToKeyCondition,
} from "../../domain/dynamodb/legacy";
import { validateAttributeValue } from "../../domain/dynamodb/values";
import { itemFromWire } from "../../domain/dynamodb/wire";

export interface ExpressionRequest {
  ConditionExpression?: string;
  UpdateExpression?: string;
  ProjectionExpression?: string;
  FilterExpression?: string;
  KeyConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
  Expected?: Record<string, unknown>;
  ConditionalOperator?: string;
  AttributeUpdates?: Record<string, unknown>;
  AttributesToGet?: string[];
  KeyConditions?: Record<string, unknown>;
  QueryFilter?: Record<string, unknown>;
  ScanFilter?: Record<string, unknown>;
}

export interface RequestExpressions {
  condition?: Condition;
  update?: UpdateActions;
  projection?: Projection;
  filter?: Condition;
  key?: KeyCondition;
}

type Operation = keyof typeof EXPRESSION_PARAMETERS;

/** Wire values of a legacy parameter's AttributeValue / AttributeValueList members, decoded. */
function decodeLegacy(raw: Record<string, unknown> | undefined): Result<Record<string, unknown> | undefined> {
  if (!raw) return ok(undefined);
  const out: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(raw)) {
    const e = { ...(entry as Record<string, unknown>) };
    if (e.Value !== undefined) {
      const v = itemFromWire({ v: e.Value });
      if (!v.ok) return v;
      e.Value = v.value.v;
    }
    if (Array.isArray(e.AttributeValueList)) {
      const list: AttributeValue[] = [];
      for (const raw of e.AttributeValueList) {
        const v = itemFromWire({ v: raw });
        if (!v.ok) return v;
        list.push(v.value.v!);
      }
      e.AttributeValueList = list;
    }
    out[name] = e;
  }
  return ok(out);
}

export function requestExpressions(
  operation: Operation,
  input: ExpressionRequest,
  keySchema?: KeySchemaNames,
): Result<RequestExpressions> {
  const mixed = checkNotMixed(input as Record<string, unknown>);
  if (mixed) return fail(mixed);
  const accepted = EXPRESSION_PARAMETERS[operation] as readonly ExpressionParameter[];
  const present = accepted.filter((p) => typeof (input as Record<string, unknown>)[p] === "string");
  const maps = checkPlaceholderMaps(input, present, accepted);
  if (maps) return fail(maps);
  let values: Item | undefined;
  if (input.ExpressionAttributeValues) {
    const decoded = itemFromWire(input.ExpressionAttributeValues);
    if (!decoded.ok) return decoded;
    for (const [name, value] of Object.entries(decoded.value)) {
      const problem = validateAttributeValue(value, { expressionAttributeValue: name });
      if (problem) return fail(problem);
    }
    values = decoded.value;
  }
  const ctx = new ExpressionContext(input.ExpressionAttributeNames, values);
  const checked = ctx.check();
  if (checked) return fail(checked);
  const out: RequestExpressions = {};
  if (input.ProjectionExpression !== undefined) {
    const p = parseProjection(input.ProjectionExpression, ctx);
    if (!p.ok) return p;
    out.projection = p.value;
  }
  if (input.FilterExpression !== undefined) {
    const f = parseCondition(input.FilterExpression, ctx, "FilterExpression");
    if (!f.ok) return f;
    out.filter = f.value;
  }
  let keyCondition: Condition | undefined;
  if (input.KeyConditionExpression !== undefined) {
    const k = parseCondition(input.KeyConditionExpression, ctx, "KeyConditionExpression");
    if (!k.ok) return k;
    keyCondition = k.value;
  }
  if (input.ConditionExpression !== undefined) {
    const c = parseCondition(input.ConditionExpression, ctx, "ConditionExpression");
    if (!c.ok) return c;
    out.condition = c.value;
  }
  if (input.UpdateExpression !== undefined) {
    const u = parseUpdate(input.UpdateExpression, ctx);
    if (!u.ok) return u;
    out.update = u.value;
  }
  const unused = ctx.unused();
  if (unused) return fail(unused);
  if (keyCondition && keySchema) {
    const key = keyConditionOf(keyCondition, keySchema);
    if (!key.ok) return key;
    out.key = key.value;
  }
  // The legacy parameters.
  const expected = decodeLegacy(input.Expected);
  if (!expected.ok) return expected;
  if (expected.value) {
    const c = expectedToCondition(expected.value as never, input.ConditionalOperator as never);
    if (!c.ok) return c;
    if (c.value) out.condition = c.value;
  }
  const filterInput = decodeLegacy(input.QueryFilter ?? input.ScanFilter);
  if (!filterInput.ok) return filterInput;
  if (filterInput.value) {
    const f = filterToCondition(filterInput.value as never, input.ConditionalOperator as never);
    if (!f.ok) return f;
    if (f.value) out.filter = f.value;
  }
  if (input.AttributeUpdates) {
    const decoded = decodeLegacy(input.AttributeUpdates);
    if (!decoded.ok) return decoded;
    const u = attributeUpdatesToActions(decoded.value as never);
    if (!u.ok) return u;
    out.update = u.value;
  }
  if (input.KeyConditions && keySchema) {
    const decoded = decodeLegacy(input.KeyConditions);
    if (!decoded.ok) return decoded;
    const k = keyConditionsToKeyCondition(decoded.value as never, keySchema as never);
    if (!k.ok) return k;
    out.key = k.value;
  }
  if (input.AttributesToGet) out.projection = attributesToGetToProjection(input.AttributesToGet);
  return ok(out);
}
