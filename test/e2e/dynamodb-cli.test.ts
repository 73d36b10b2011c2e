/**
 * DynamoDB from the AWS CLI (v2 at /usr/bin/aws, v1 from pyenv on PATH) and from boto3 (1.43 as the
 * pyenv `python3`, 1.26 as /usr/bin/python3), unmodified but for the endpoint: the table's life with
 * the CLI's own waiters (`aws dynamodb wait table-exists / table-not-exists`), items as DynamoDB JSON
 * on the command line, Query and Scan paged by the CLI itself (`--page-size`), and AWS's error lines;
 * boto3's resource API with boto3.dynamodb.conditions (Key, Attr) and its Decimal numbers.
 * Flavours that are not installed are skipped.
 * https://docs.aws.amazon.com/cli/latest/reference/dynamodb/index.html
 * https://boto3.amazonaws.com/v1/documentation/api/latest/guide/dynamodb.html
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { endpoint, uniqueName } from "./clients";
import { uniqueAccount } from "./sns-clients";

const run = promisify(execFile);
const envFor = (account: string) => ({
  ...process.env,
  AWS_ACCESS_KEY_ID: account,
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_DEFAULT_REGION: "us-east-1",
  AWS_PAGER: "",
  AWS_EC2_METADATA_DISABLED: "true",
});

/** The CLI's major version, or undefined where `bin` is not there or does not run. */
async function cliVersion(bin: string): Promise<number | undefined> {
  const out = await run(bin, ["--version"]).then(
    (r) => r.stdout + r.stderr,
    () => "",
  );
  const major = /aws-cli\/(\d+)\./.exec(out)?.[1];
  return major === undefined ? undefined : Number(major);
}

const hasBoto3 = (python: string) =>
  run(python, ["-c", "import boto3"]).then(
    () => true,
    () => false,
  );

const V2 = "/usr/bin/aws";
const clis = [
  { flavour: "v2", bin: V2, present: existsSync(V2) && (await cliVersion(V2)) === 2 },
  { flavour: "v1", bin: "aws", present: (await cliVersion("aws")) === 1 },
];
const pythons = [
  { flavour: "boto3 (pyenv python3)", bin: "python3", present: await hasBoto3("python3") },
  {
    flavour: "boto3 (/usr/bin/python3)",
    bin: "/usr/bin/python3",
    present: existsSync("/usr/bin/python3") && (await hasBoto3("/usr/bin/python3")),
  },
];

const item = (pk: string, sk: number, n: number) => ({ pk: { S: pk }, sk: { N: String(sk) }, n: { N: String(n) } });

// Each CLI process costs about a second: the flavours run side by side, each in its own account.
describe.concurrent("DynamoDB from other clients", () => {
  for (const cli of clis) {
    it.runIf(cli.present)(
      `the AWS CLI ${cli.flavour}: create-table, wait, put/get/update/query/scan/delete items, describe, list, delete-table`,
      async () => {
        const account = uniqueAccount();
        const env = envFor(account);
        const aws = (...args: string[]) => run(cli.bin, ["--endpoint-url", endpoint(), "dynamodb", ...args], { env });
        const json = async (...args: string[]) => JSON.parse((await aws(...args)).stdout || "{}") as Record<string, any>;
        const failure = (...args: string[]) =>
          aws(...args).then(
            () => {
              throw new Error(`aws dynamodb ${args.join(" ")} succeeded`);
            },
            (e: { stderr: string; code: number }) => ({ stderr: e.stderr.trim(), code: e.code }),
          );
        const TableName = uniqueName(`cli-${cli.flavour}`);

        const created = await json(
          "create-table",
          "--table-name",
          TableName,
          "--attribute-definitions",
          "AttributeName=pk,AttributeType=S",
          "AttributeName=sk,AttributeType=N",
          "--key-schema",
          "AttributeName=pk,KeyType=HASH",
          "AttributeName=sk,KeyType=RANGE",
          "--billing-mode",
          "PAY_PER_REQUEST",
        );
        expect(created.TableDescription).toMatchObject({
          TableName,
          TableStatus: "CREATING",
          TableArn: `arn:aws:dynamodb:us-east-1:${account}:table/${TableName}`,
          BillingModeSummary: { BillingMode: "PAY_PER_REQUEST" },
        });
        // The waiter polls DescribeTable until ACTIVE (every 20 s: the first poll must already see it).
        await aws("wait", "table-exists", "--table-name", TableName);

        for (let sk = 1; sk <= 5; sk++)
          await aws("put-item", "--table-name", TableName, "--item", JSON.stringify(item("a", sk, sk * 10)));
        await aws("put-item", "--table-name", TableName, "--item", JSON.stringify(item("b", 1, 99)));
        expect(
          await json(
            "put-item",
            "--table-name",
            TableName,
            "--item",
            JSON.stringify({ ...item("a", 1, 10), tags: { SS: ["x"] } }),
            "--return-values",
            "ALL_OLD",
          ),
        ).toEqual({ Attributes: item("a", 1, 10) });

        const got = await json(
          "get-item",
          "--table-name",
          TableName,
          "--key",
          '{"pk":{"S":"a"},"sk":{"N":"1"}}',
          "--consistent-read",
        );
        expect(got).toEqual({ Item: { ...item("a", 1, 10), tags: { SS: ["x"] } } });
        expect(await json("get-item", "--table-name", TableName, "--key", '{"pk":{"S":"zz"},"sk":{"N":"1"}}')).toEqual({});

        const updated = await json(
          "update-item",
          "--table-name",
          TableName,
          "--key",
          '{"pk":{"S":"a"},"sk":{"N":"1"}}',
          "--update-expression",
          "SET #n = #n + :inc, note = :note ADD tags :t",
          "--condition-expression",
          "attribute_exists(pk) AND #n < :max",
          "--expression-attribute-names",
          '{"#n":"n"}',
          "--expression-attribute-values",
          '{":inc":{"N":"5"},":note":{"S":"from the cli"},":t":{"SS":["y"]},":max":{"N":"100"}}',
          "--return-values",
          "UPDATED_NEW",
        );
        expect(updated).toEqual({ Attributes: { n: { N: "15" }, note: { S: "from the cli" }, tags: { SS: ["x", "y"] } } });

        // --page-size makes the CLI ask for one item at a time and follow LastEvaluatedKey itself.
        const queried = await json(
          "query",
          "--table-name",
          TableName,
          "--key-condition-expression",
          "pk = :pk AND sk BETWEEN :lo AND :hi",
          "--expression-attribute-values",
          '{":pk":{"S":"a"},":lo":{"N":"2"},":hi":{"N":"4"}}',
          "--no-scan-index-forward",
          "--page-size",
          "1",
        );
        expect(queried.Items).toEqual([item("a", 4, 40), item("a", 3, 30), item("a", 2, 20)]);
        expect(queried.Count).toBe(3);
        const counted = await json(
          "query",
          "--table-name",
          TableName,
          "--key-condition-expression",
          "pk = :pk",
          "--filter-expression",
          "n >= :v",
          "--expression-attribute-values",
          '{":pk":{"S":"a"},":v":{"N":"30"}}',
          "--select",
          "COUNT",
        );
        expect(counted).toMatchObject({ Count: 3, ScannedCount: 5 });

        const scanned = await json(
          "scan",
          "--table-name",
          TableName,
          "--filter-expression",
          "n > :v",
          "--expression-attribute-values",
          '{":v":{"N":"40"}}',
          "--projection-expression",
          "pk, sk",
          "--page-size",
          "2",
        );
        expect(scanned.Count).toBe(2);
        expect(scanned.ScannedCount).toBe(6);
        expect(scanned.Items).toEqual(
          expect.arrayContaining([
            { pk: { S: "a" }, sk: { N: "5" } },
            { pk: { S: "b" }, sk: { N: "1" } },
          ]),
        );

        // A condition that does not hold: AWS's line on stderr, and the CLI's exit for a service error.
        const refused = await failure(
          "delete-item",
          "--table-name",
          TableName,
          "--key",
          '{"pk":{"S":"a"},"sk":{"N":"2"}}',
          "--condition-expression",
          "n = :v",
          "--expression-attribute-values",
          '{":v":{"N":"0"}}',
        );
        expect(refused).toEqual({
          stderr:
            "An error occurred (ConditionalCheckFailedException) when calling the DeleteItem operation: The conditional request failed",
          code: cli.flavour === "v2" ? 254 : 255,
        });
        expect(
          await json(
            "delete-item",
            "--table-name",
            TableName,
            "--key",
            '{"pk":{"S":"a"},"sk":{"N":"2"}}',
            "--return-values",
            "ALL_OLD",
          ),
        ).toEqual({ Attributes: item("a", 2, 20) });
        const bad = await failure("get-item", "--table-name", TableName, "--key", '{"pk":{"S":"a"}}');
        expect(bad.stderr).toBe(
          "An error occurred (ValidationException) when calling the GetItem operation: The provided key element does not match the schema",
        );

        const described = (await json("describe-table", "--table-name", TableName)).Table;
        expect(described).toMatchObject({
          TableName,
          TableStatus: "ACTIVE",
          KeySchema: [
            { AttributeName: "pk", KeyType: "HASH" },
            { AttributeName: "sk", KeyType: "RANGE" },
          ],
        });
        // v2 prints timestamps as ISO 8601; v1 as the wire's epoch seconds.
        const createdAt =
          cli.flavour === "v2" ? new Date(described.CreationDateTime).getTime() : described.CreationDateTime * 1000;
        expect(createdAt).toBeGreaterThan(Date.now() - 120_000);
        expect(await json("list-tables")).toEqual({ TableNames: [TableName] });

        expect((await json("delete-table", "--table-name", TableName)).TableDescription).toMatchObject({
          TableName,
          TableStatus: "DELETING",
        });
        await aws("wait", "table-not-exists", "--table-name", TableName);
        expect(await json("list-tables")).toEqual({ TableNames: [] });
        const missing = await failure("describe-table", "--table-name", TableName);
        expect(missing.stderr).toBe(
          `An error occurred (ResourceNotFoundException) when calling the DescribeTable operation: Requested resource not found: Table: ${TableName} not found`,
        );
      },
      90_000,
    );
  }

  for (const py of pythons) {
    it.runIf(py.present)(
      `${py.flavour}: the client's waiter, the resource API with Key and Attr, a conditional failure`,
      async () => {
        const script = `
import boto3, botocore, json, sys
from decimal import Decimal
from boto3.dynamodb.conditions import Key, Attr
kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1")
client = boto3.client("dynamodb", **kw)
ddb = boto3.resource("dynamodb", **kw)
name = sys.argv[2]
out = {}
table = ddb.create_table(
    TableName=name,
    AttributeDefinitions=[{"AttributeName": "user", "AttributeType": "S"}, {"AttributeName": "ts", "AttributeType": "N"}],
    KeySchema=[{"AttributeName": "user", "KeyType": "HASH"}, {"AttributeName": "ts", "KeyType": "RANGE"}],
    BillingMode="PAY_PER_REQUEST",
)
out["created"] = table.table_status
client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 10})
table.reload()
out["status"] = table.table_status
for ts in range(1, 6):
    table.put_item(Item={"user": "u1", "ts": ts, "score": Decimal(ts) * Decimal("1.5"), "kind": "even" if ts % 2 == 0 else "odd"})
table.put_item(Item={"user": "u2", "ts": 1, "score": 7, "tags": {"a", "b"}, "doc": {"nested": [1, "two", None, True]}})
out["get"] = table.get_item(Key={"user": "u2", "ts": 1}, ConsistentRead=True)["Item"]
out["missing"] = "Item" in table.get_item(Key={"user": "nobody", "ts": 1})
q = table.query(KeyConditionExpression=Key("user").eq("u1") & Key("ts").between(2, 4), FilterExpression=Attr("kind").eq("even"), ScanIndexForward=False)
out["query"] = {"items": q["Items"], "count": q["Count"], "scanned": q["ScannedCount"]}
out["begins"] = table.query(KeyConditionExpression=Key("user").eq("u1") & Key("ts").gt(3))["Count"]
s = table.scan(FilterExpression=Attr("score").gte(6) | Attr("tags").contains("a"))
out["scan"] = sorted([(i["user"], i["ts"]) for i in s["Items"]])
u = table.update_item(Key={"user": "u1", "ts": 1}, UpdateExpression="SET score = score + :d, #k = :k REMOVE missing_attr",
    ExpressionAttributeNames={"#k": "kind"}, ExpressionAttributeValues={":d": Decimal("0.25"), ":k": "first"},
    ConditionExpression=Attr("score").lt(100), ReturnValues="ALL_NEW")
out["updated"] = u["Attributes"]
try:
    table.put_item(Item={"user": "u1", "ts": 1}, ConditionExpression=Attr("user").not_exists())
except client.exceptions.ConditionalCheckFailedException as e:
    out["conditional"] = {"error": e.response["Error"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}
try:
    table.delete_item(Key={"user": "u1", "ts": 2}, ConditionExpression=Attr("kind").eq("odd"))
except botocore.exceptions.ClientError as e:
    out["conditional_delete"] = e.response["Error"]["Code"]
table.delete_item(Key={"user": "u1", "ts": 2}, ConditionExpression=Attr("kind").eq("even"))
out["after_delete"] = table.query(KeyConditionExpression=Key("user").eq("u1"), Select="COUNT")["Count"]
out["listed"] = name in client.list_tables()["TableNames"]
table.delete()
client.get_waiter("table_not_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 10})
try:
    client.describe_table(TableName=name)
except client.exceptions.ResourceNotFoundException as e:
    out["gone"] = e.response["Error"]["Message"]
print(json.dumps(out, default=lambda o: str(o) if isinstance(o, Decimal) else sorted(o)))
`;
        const TableName = uniqueName("boto3");
        const { stdout } = await run(py.bin, ["-c", script, endpoint(), TableName], {
          env: envFor(uniqueAccount()),
          timeout: 60_000,
        });
        expect(JSON.parse(stdout)).toEqual({
          created: "CREATING",
          status: "ACTIVE",
          get: { user: "u2", ts: "1", score: "7", tags: ["a", "b"], doc: { nested: ["1", "two", null, true] } },
          missing: false,
          query: {
            items: [
              { user: "u1", ts: "4", score: "6", kind: "even" },
              { user: "u1", ts: "2", score: "3", kind: "even" },
            ],
            count: 2,
            scanned: 3,
          },
          begins: 2,
          scan: [
            ["u1", "4"],
            ["u1", "5"],
            ["u2", "1"],
          ],
          updated: { user: "u1", ts: "1", score: "1.75", kind: "first" },
          conditional: {
            error: { Code: "ConditionalCheckFailedException", Message: "The conditional request failed" },
            status: 400,
          },
          conditional_delete: "ConditionalCheckFailedException",
          after_delete: 4,
          listed: true,
          gone: `Requested resource not found: Table: ${TableName} not found`,
        });
      },
    );
  }
});
