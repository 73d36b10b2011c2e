/**
 * The table object's part of DynamoDB transactions (src/durable/table/transactions.ts): one-step
 * writes that are all or nothing, the two phases with their item locks (plain writes and other
 * transactions refused while held, released on release or commit), a commit after the
 * object restarted, TransactGetItems' conflict reasons, and the ClientRequestToken store.
 */
import { env } from "cloudflare:workers";
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Item } from "../../src/domain/dynamodb/contract";
import { parseCondition } from "../../src/domain/dynamodb/expression-parser";
import { ExpressionContext } from "../../src/domain/dynamodb/expression-names";
import type { TableDefinition } from "../../src/domain/dynamodb/table-definition";
import { tableObject } from "../../src/durable/names";
import { failure, value } from "../unit/results";

let counter = 0;
const unique = (base: string) => `${base}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

async function createTable() {
  const name = unique("tx");
  const ref = { account: "000000000000", region: "us-east-1", name };
  const stub = tableObject(env, ref);
  const definition: TableDefinition = {
    name,
    arn: `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`,
    id: crypto.randomUUID(),
    account: ref.account,
    region: ref.region,
    attributes: { id: "S" },
    key: { hash: "id" },
    billingMode: "PAY_PER_REQUEST",
    throughput: { read: 0, write: 0 },
    globalIndexes: [],
    localIndexes: [],
    tableClass: "STANDARD",
    deletionProtection: false,
    status: "CREATING",
    createdAt: Date.now(),
  };
  value(await stub.create(definition, {}));
  return stub;
}

const S = (s: string) => ({ S: s });
const key = (id: string): Item => ({ id: S(id) });
const condition = (text: string) =>
  value(parseCondition(text, new ExpressionContext(undefined, undefined), "ConditionExpression"));
const get = async (stub: Awaited<ReturnType<typeof createTable>>, id: string) => value(await stub.getItem(key(id))).item;

describe("table transactions", () => {
  it("writes every action in one step, or none when one condition fails", async () => {
    const stub = await createTable();
    const failed = value(
      await stub.transactWrite([
        { kind: "put", item: { id: S("a"), v: S("1") } },
        { kind: "check", key: key("b"), condition: condition("attribute_exists(id)") },
      ]),
    );
    expect(failed.reasons).toEqual([
      { Code: "None" },
      { Code: "ConditionalCheckFailed", Message: "The conditional request failed" },
    ]);
    expect(await get(stub, "a")).toBeUndefined();
    const done = value(
      await stub.transactWrite([
        { kind: "put", item: { id: S("a"), v: S("1") } },
        { kind: "delete", key: key("b") },
      ]),
    );
    expect(done.sizes).toHaveLength(2);
    expect(await get(stub, "a")).toEqual({ id: S("a"), v: S("1") });
  });

  it("holds prepared items: plain writes and other transactions are refused until commit", async () => {
    const stub = await createTable();
    expect(value(await stub.transactPrepare("t1", [{ kind: "put", item: { id: S("p"), v: S("tx") } }])).reasons).toBeUndefined();
    expect(await get(stub, "p")).toBeUndefined(); // phase 1 writes nothing
    expect(failure(await stub.putItem({ id: S("p") }, {}))).toMatchObject({
      code: "TransactionConflictException",
      message: "Transaction is ongoing for the item",
    });
    expect(failure(await stub.deleteItem(key("p"), {})).code).toBe("TransactionConflictException");
    expect(value(await stub.transactWrite([{ kind: "delete", key: key("p") }])).reasons).toEqual([
      { Code: "TransactionConflict", Message: "Transaction is ongoing for the item" },
    ]);
    expect(value(await stub.transactGet([{ key: key("p") }])).reasons).toEqual([
      { Code: "TransactionConflict", Message: "Transaction is ongoing for the item" },
    ]);
    value(await stub.putItem({ id: S("other") }, {})); // other items are free
    expect(value(await stub.transactCommit("t1")).sizes).toHaveLength(1);
    expect(await get(stub, "p")).toEqual({ id: S("p"), v: S("tx") });
    value(await stub.putItem({ id: S("p") }, {}));
  });

  it("releases the locks on release, and refuses to prepare what would fail", async () => {
    const stub = await createTable();
    value(await stub.transactPrepare("t2", [{ kind: "delete", key: key("r") }]));
    await stub.transactRelease("t2");
    value(await stub.putItem({ id: S("r") }, {}));
    const refused = value(
      await stub.transactPrepare("t3", [
        { kind: "put", item: { id: S("r") }, condition: condition("attribute_not_exists(id)"), returnOld: true },
      ]),
    );
    expect(refused.reasons).toEqual([
      { Code: "ConditionalCheckFailed", Message: "The conditional request failed", Item: { id: { S: "r" } } },
    ]);
    value(await stub.deleteItem(key("r"), {})); // nothing held
    expect(failure(await stub.transactCommit("t3")).status).toBe(500);
  });

  it("loses its locks when the object restarts: the commit fails, nothing is written", async () => {
    const stub = await createTable();
    value(await stub.transactPrepare("t5", [{ kind: "put", item: { id: S("y") } }]));
    await evictDurableObject(stub);
    value(await stub.putItem({ id: S("y"), v: S("plain") }, {}));
    expect(failure(await stub.transactCommit("t5")).code).toBe("InternalServerError");
    expect(await get(stub, "y")).toEqual({ id: S("y"), v: S("plain") });
  });

  it("remembers a ClientRequestToken's answer and refuses it for another request", async () => {
    const stub = await createTable();
    expect(value(await stub.recallToken("tok", "d1"))).toBeUndefined();
    await stub.rememberToken("tok", "d1", "{}");
    expect(value(await stub.recallToken("tok", "d1"))).toBe("{}");
    expect(failure(await stub.recallToken("tok", "d2")).code).toBe("IdempotentParameterMismatchException");
  });
});
