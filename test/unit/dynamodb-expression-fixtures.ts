/** Helpers shared by the DynamoDB expression tests: values, contexts, and the AST's expected shapes. */
import type { AttributeValue } from "../../src/domain/dynamodb/contract";
import { ExpressionContext } from "../../src/domain/dynamodb/expression-names";
import { parseCondition, parseUpdate, type ConditionParameter } from "../../src/domain/dynamodb/expression-parser";
import { failure, value } from "./results";

export const S = (s: string): AttributeValue => ({ S: s });
export const N = (n: string): AttributeValue => ({ N: n });
export const ctxOf = (names?: Record<string, string>, values?: Record<string, AttributeValue>) =>
  new ExpressionContext(names, values);
export const cond = (
  text: string,
  names?: Record<string, string>,
  values?: Record<string, AttributeValue>,
  kind?: ConditionParameter,
) => parseCondition(text, ctxOf(names, values), kind);
export const condError = (
  text: string,
  names?: Record<string, string>,
  values?: Record<string, AttributeValue>,
  kind?: ConditionParameter,
) => failure(cond(text, names, values, kind)).message;
export const updateError = (text: string, names?: Record<string, string>, values?: Record<string, AttributeValue>) =>
  failure(parseUpdate(text, ctxOf(names, values))).message;

export const path = (...names: (string | number)[]) => ({
  kind: "path",
  path: names.map((n) => (typeof n === "number" ? { index: n } : { name: n })),
});
export const val = (v: AttributeValue) => ({ kind: "value", value: v });

export const upd = (text: string, names?: Record<string, string>, values?: Record<string, AttributeValue>) =>
  value(parseUpdate(text, ctxOf(names, values)));
export const p = (...names: (string | number)[]) => names.map((n) => (typeof n === "number" ? { index: n } : { name: n }));
