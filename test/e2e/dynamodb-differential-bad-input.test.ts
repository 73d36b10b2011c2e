/**
 * Differential test, bad input: ~40 requests DynamoDB refuses, against dynalite and this service
 * (./dynamodb-differential.ts); the same error name and message, or a known difference pinned on both
 * sides with the reason.
 */
import * as ddb from "@aws-sdk/client-dynamodb";
import { beforeAll, describe, it } from "vitest";
import {
  type AnyCommand,
  type Outcome,
  createBoth,
  differs,
  sameError,
  tableName,
  useDynalite,
  validationError,
} from "./dynamodb-differential";

useDynalite();

describe("DynamoDB against dynalite: bad input", () => {
  const H = tableName("bad");
  beforeAll(() =>
    createBoth({
      TableName: H,
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  const Key = { id: { S: "k" } };
  const cases: [string, () => AnyCommand][] = [
    ["a missing table", () => new ddb.GetItemCommand({ TableName: "no-such-table-xyz", Key })],
    ["a Scan of a missing table", () => new ddb.ScanCommand({ TableName: "no-such-table-xyz" })],
    ["a too short table name", () => new ddb.GetItemCommand({ TableName: "ab", Key })],
    ["an empty binary set", () => new ddb.PutItemCommand({ TableName: H, Item: { ...Key, s: { BS: [] } } })],
    [
      "a condition on a value of another type",
      () =>
        new ddb.PutItemCommand({
          TableName: H,
          Item: Key,
          ConditionExpression: "begins_with(a, :n)",
          ExpressionAttributeValues: { ":n": { N: "1" } },
        }),
    ],
    [
      "an update with an empty string set value",
      () =>
        new ddb.UpdateItemCommand({
          TableName: H,
          Key,
          UpdateExpression: "ADD s :v",
          ExpressionAttributeValues: { ":v": { SS: [] } },
        }),
    ],
    [
      "a list index on a set",
      () =>
        new ddb.UpdateItemCommand({
          TableName: H,
          Key,
          UpdateExpression: "SET a[0] = :v",
          ExpressionAttributeValues: { ":v": { S: "x" } },
        }),
    ],
    [
      "a legacy update of the key",
      () => new ddb.UpdateItemCommand({ TableName: H, Key, AttributeUpdates: { id: { Action: "PUT", Value: { S: "y" } } } }),
    ],
    [
      "a BETWEEN with bounds reversed",
      () =>
        new ddb.ScanCommand({
          TableName: H,
          FilterExpression: "a BETWEEN :hi AND :lo",
          ExpressionAttributeValues: { ":hi": { N: "2" }, ":lo": { N: "1" } },
        }),
    ],
    ["a key of the wrong type", () => new ddb.GetItemCommand({ TableName: H, Key: { id: { N: "1" } } })],
    ["a key with an extra attribute", () => new ddb.GetItemCommand({ TableName: H, Key: { ...Key, other: { S: "x" } } })],
    ["a key missing its attribute", () => new ddb.GetItemCommand({ TableName: H, Key: { other: { S: "x" } } })],
    [
      "a number with 39 digits",
      () => new ddb.PutItemCommand({ TableName: H, Item: { ...Key, n: { N: "123456789012345678901234567890123456789" } } }),
    ],
    ["a number too large", () => new ddb.PutItemCommand({ TableName: H, Item: { ...Key, n: { N: "1E126" } } })],
    ["a number too small", () => new ddb.PutItemCommand({ TableName: H, Item: { ...Key, n: { N: "1E-131" } } })],
    ["an empty string key", () => new ddb.PutItemCommand({ TableName: H, Item: { id: { S: "" } } })],
    ["an item without its key", () => new ddb.PutItemCommand({ TableName: H, Item: { x: { S: "1" } } })],
    ["an empty string set", () => new ddb.PutItemCommand({ TableName: H, Item: { ...Key, s: { SS: [] } } })],
    ["a set with duplicates", () => new ddb.PutItemCommand({ TableName: H, Item: { ...Key, s: { SS: ["a", "a"] } } })],
    [
      "a number set with equal numbers",
      () => new ddb.PutItemCommand({ TableName: H, Item: { ...Key, s: { NS: ["1", "1.0"] } } }),
    ],
    ["an oversized item", () => new ddb.PutItemCommand({ TableName: H, Item: { ...Key, big: { S: "x".repeat(400 * 1024) } } })],
    [
      "an unused value placeholder",
      () =>
        new ddb.PutItemCommand({
          TableName: H,
          Item: Key,
          ConditionExpression: "a = :a",
          ExpressionAttributeValues: { ":a": { S: "1" }, ":b": { S: "2" } },
        }),
    ],
    [
      "an unused name placeholder",
      () =>
        new ddb.PutItemCommand({
          TableName: H,
          Item: Key,
          ConditionExpression: "a = :a",
          ExpressionAttributeNames: { "#n": "n" },
          ExpressionAttributeValues: { ":a": { S: "1" } },
        }),
    ],
    [
      "an undefined value placeholder",
      () => new ddb.PutItemCommand({ TableName: H, Item: Key, ConditionExpression: "a = :nope" }),
    ],
    [
      "an undefined name placeholder",
      () => new ddb.PutItemCommand({ TableName: H, Item: Key, ConditionExpression: "#nope = a" }),
    ],
    [
      "a reserved word as a name",
      () =>
        new ddb.PutItemCommand({
          TableName: H,
          Item: Key,
          ConditionExpression: "status = :a",
          ExpressionAttributeValues: { ":a": { S: "1" } },
        }),
    ],
    ["an unknown function", () => new ddb.PutItemCommand({ TableName: H, Item: Key, ConditionExpression: "nofunc(a)" })],
    [
      "an update of the key",
      () =>
        new ddb.UpdateItemCommand({
          TableName: H,
          Key,
          UpdateExpression: "SET id = :v",
          ExpressionAttributeValues: { ":v": { S: "x" } },
        }),
    ],
    [
      "two updates of one path",
      () =>
        new ddb.UpdateItemCommand({
          TableName: H,
          Key,
          UpdateExpression: "SET a = :v REMOVE a",
          ExpressionAttributeValues: { ":v": { S: "x" } },
        }),
    ],
    [
      "overlapping update paths",
      () =>
        new ddb.UpdateItemCommand({
          TableName: H,
          Key,
          UpdateExpression: "SET a.b = :v, a = :v",
          ExpressionAttributeValues: { ":v": { S: "x" } },
        }),
    ],
    [
      "arithmetic on a string",
      () =>
        new ddb.UpdateItemCommand({
          TableName: H,
          Key,
          UpdateExpression: "SET a = :v + :v",
          ExpressionAttributeValues: { ":v": { S: "x" } },
        }),
    ],
    [
      "expressions and legacy parameters together",
      () =>
        new ddb.UpdateItemCommand({
          TableName: H,
          Key,
          UpdateExpression: "SET a = :v",
          AttributeUpdates: { b: { Action: "DELETE" } },
          ExpressionAttributeValues: { ":v": { S: "x" } },
        }),
    ],
    [
      "a Query without a key condition on the hash key",
      () =>
        new ddb.QueryCommand({
          TableName: H,
          KeyConditionExpression: "other = :v",
          ExpressionAttributeValues: { ":v": { S: "x" } },
        }),
    ],
    [
      "a Query filtering on the key",
      () =>
        new ddb.QueryCommand({
          TableName: H,
          KeyConditionExpression: "id = :v",
          FilterExpression: "id = :v",
          ExpressionAttributeValues: { ":v": { S: "x" } },
        }),
    ],
    [
      "a Query on a missing index",
      () =>
        new ddb.QueryCommand({
          TableName: H,
          IndexName: "nope",
          KeyConditionExpression: "id = :v",
          ExpressionAttributeValues: { ":v": { S: "x" } },
        }),
    ],
    ["a Limit of 0", () => new ddb.ScanCommand({ TableName: H, Limit: 0 })],
    ["a bad Segment", () => new ddb.ScanCommand({ TableName: H, Segment: 3, TotalSegments: 2 })],
    [
      "an ExclusiveStartKey of the wrong shape",
      () => new ddb.ScanCommand({ TableName: H, ExclusiveStartKey: { nope: { S: "x" } } }),
    ],
    [
      "an attribute value with two types",
      () => new ddb.PutItemCommand({ TableName: H, Item: { ...Key, a: { S: "x", N: "1" } as unknown as ddb.AttributeValue } }),
    ],
    ["an empty projection expression", () => new ddb.GetItemCommand({ TableName: H, Key, ProjectionExpression: "" })],
    ["a duplicate projection path", () => new ddb.GetItemCommand({ TableName: H, Key, ProjectionExpression: "a, a" })],
  ];
  it.each(cases)("rejects %s alike", async (_name, make) => {
    await sameError(make);
  });

  // Known differences, each pinned on both sides (ours is AWS's answer; dynalite's is older or its own).
  const known: [string, () => AnyCommand, Outcome, Outcome][] = [
    // AWS today words every unparsable number this way (src/domain/dynamodb/numbers.ts); dynalite
    // keeps an older text that quotes the value.
    [
      "a number with two points",
      () => new ddb.PutItemCommand({ TableName: H, Item: { ...Key, n: { N: "1.2.3" } } }),
      validationError("A value provided cannot be converted into a number"),
      validationError("The parameter cannot be converted to a numeric value: 1.2.3"),
    ],
    [
      "a number that is a word",
      () => new ddb.PutItemCommand({ TableName: H, Item: { ...Key, n: { N: "abc" } } }),
      validationError("A value provided cannot be converted into a number"),
      validationError("The parameter cannot be converted to a numeric value: abc"),
    ],
    [
      "a number set with a bad number",
      () => new ddb.PutItemCommand({ TableName: H, Item: { ...Key, s: { NS: ["1", "x"] } } }),
      validationError("A value provided cannot be converted into a number"),
      validationError("The parameter cannot be converted to a numeric value: x"),
    ],
    [
      "an empty number",
      () => new ddb.PutItemCommand({ TableName: H, Item: { ...Key, n: { N: "" } } }),
      validationError("A value provided cannot be converted into a number"),
      validationError("The parameter cannot be converted to a numeric value"),
    ],
    // AWS's syntax errors name the token and what follows it; dynalite's are its PEG parser's.
    [
      "a malformed update expression",
      () => new ddb.UpdateItemCommand({ TableName: H, Key, UpdateExpression: "SET a = " }),
      validationError('Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "= "'),
      validationError('Invalid UpdateExpression: Syntax error; Expected "#", "(", ":", "_", or [a-zA-Z] but end of input found.'),
    ],
    [
      "a malformed condition",
      () => new ddb.PutItemCommand({ TableName: H, Item: Key, ConditionExpression: "a = = b" }),
      validationError('Invalid ConditionExpression: Syntax error; token: "=", near: "= = b"'),
      validationError('Invalid ConditionExpression: Syntax error; Expected "#", "(", ":", "_", or [a-zA-Z] but "=" found.'),
    ],
    // AWS adds the allowed type set to this text; dynalite stops after the operand type.
    [
      "ADD of a string",
      () =>
        new ddb.UpdateItemCommand({
          TableName: H,
          Key,
          UpdateExpression: "ADD a :v",
          ExpressionAttributeValues: { ":v": { S: "x" } },
        }),
      validationError(
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND",
      ),
      validationError(
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING",
      ),
    ],
    // AWS's text for a ReturnValues PutItem cannot take; dynalite words its own.
    [
      "a bad ReturnValues for PutItem",
      () => new ddb.PutItemCommand({ TableName: H, Item: Key, ReturnValues: "UPDATED_NEW" }),
      validationError("Return values set to invalid value"),
      validationError("ReturnValues can only be ALL_OLD or NONE"),
    ],
    // SIZE is on AWS's published reserved-word list, but DynamoDB is observed to accept it as a bare
    // name (src/domain/dynamodb/reserved-words.ts); dynalite refuses it as the list says.
    [
      "size as a bare name",
      () =>
        new ddb.PutItemCommand({
          TableName: H,
          Item: Key,
          ConditionExpression: "size = :a",
          ExpressionAttributeValues: { ":a": { S: "1" } },
        }),
      { error: { name: "ConditionalCheckFailedException", message: "The conditional request failed" } },
      validationError("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: size"),
    ],
  ];
  it.each(known)("answers %s as AWS does, not as dynalite does", async (_name, make, ours, dynalite) => {
    await differs(make, { ours, dynalite });
  });
});
