/**
 * One table's part of TransactWriteItems and TransactGetItems. A transaction names each item at most
 * once, so checking every action's condition and then writing is the same as running the actions one
 * after another inside one SQLite transaction and rolling it back when any of them failed: that is how
 * a single-table transaction runs, in one synchronous step.
 *
 * Over several tables (each its own Durable Object) the service runs two phases: `prepare` runs the
 * actions and rolls them back (a dry run that yields the cancellation reasons) and, when all passed,
 * locks the items under the transaction's token; `commit` runs them for real; `release` drops the
 * locks. A locked item refuses other writes (TransactionConflictException, or the TransactionConflict
 * reason inside another transaction) until the lock is released or times out. Locks live in memory:
 * an object that restarts between the phases has lost them, and its `commit` fails.
 */
import { fail, ok, type Result } from "../../domain/errors";
import type { Condition, Item, Projection, UpdateActions } from "../../domain/dynamodb/contract";
import { evaluateCondition } from "../../domain/dynamodb/evaluate";
import type { TableDefinition } from "../../domain/dynamodb/table-definition";
import { encodedKey, keyOf } from "../../domain/dynamodb/table-keys";
import { itemToWire } from "../../domain/dynamodb/wire";
import { dynamoError } from "../../domain/dynamodb/errors";
import { ItemOperations } from "./item-operations";
import type { ItemStore } from "./item-store";

/** How long a prepared transaction holds its items (AWS does not say; a few seconds is plenty). */
export const LOCK_MS = 5_000;

interface ActionBase {
  condition?: Condition;
  /** ReturnValuesOnConditionCheckFailure ALL_OLD: the item goes into the ConditionalCheckFailed reason. */
  returnOld?: boolean;
}

export type TransactAction =
  | (ActionBase & { kind: "put"; item: Item })
  | (ActionBase & { kind: "update"; key: Item; actions: UpdateActions })
  | (ActionBase & { kind: "delete"; key: Item })
  | (ActionBase & { kind: "check"; key: Item; condition: Condition });

/** One entry of CancellationReasons, as the wire carries it (Item in DynamoDB JSON). */
export interface CancellationReason {
  Code: string;
  Message?: string;
  Item?: Record<string, object>;
}

/** Either every action ran (sizes: bytes per action, for consumed capacity) or the reasons, one per action. */
export type TransactOutcome = { sizes: number[]; reasons?: undefined } | { reasons: CancellationReason[]; sizes?: undefined };

export const NO_REASON: CancellationReason = { Code: "None" };
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html (error list)
export const CONFLICT_REASON: CancellationReason = {
  Code: "TransactionConflict",
  Message: "Transaction is ongoing for the item",
};

/** Thrown inside the SQLite transaction to roll it back; never escapes this module. */
class Rollback extends Error {}

/** The action's key (a Put's item reduced to its key attributes). */
const keyOfAction = (t: TableDefinition, a: TransactAction): Item => (a.kind === "put" ? keyOf(a.item, t.key) : a.key);

export class TableTransactions {
  /** Item operations without their own SQLite transaction: they run inside the one opened here. */
  readonly #ops: ItemOperations;
  readonly #locks = new Map<string, { token: string; expires: number }>();
  readonly #prepared = new Map<string, { actions: TransactAction[]; expires: number }>();

  constructor(
    store: ItemStore,
    private readonly transaction: <T>(fn: () => T) => T,
    ttl: ConstructorParameters<typeof ItemOperations>[2],
  ) {
    this.#ops = new ItemOperations(store, (fn) => fn(), ttl);
  }

  /** Whether another transaction holds the item (plain writes answer TransactionConflictException). */
  locked(t: TableDefinition, key: Item, now: number, token?: string): boolean {
    let id: string;
    try {
      id = lockId(t, key);
    } catch {
      return false; // the write itself reports the key that does not match the schema
    }
    const lock = this.#locks.get(id);
    if (!lock) return false;
    if (lock.expires <= now) {
      this.#locks.delete(id);
      return false;
    }
    return lock.token !== token;
  }

  /** A whole transaction on this table alone: checked and written in one step, or nothing written. */
  write(t: TableDefinition, actions: TransactAction[], now: number): TransactOutcome {
    const conflicts = this.#conflicts(t, actions, now);
    if (conflicts) return { reasons: conflicts };
    return this.#run(t, actions, false);
  }

  /** Phase 1: the reasons if any action would fail; else the items locked under `token`. */
  prepare(t: TableDefinition, token: string, actions: TransactAction[], now: number): TransactOutcome {
    const conflicts = this.#conflicts(t, actions, now);
    if (conflicts) return { reasons: conflicts };
    const outcome = this.#run(t, actions, true);
    if (outcome.reasons) return outcome;
    const expires = now + LOCK_MS;
    for (const a of actions) this.#locks.set(lockId(t, keyOfAction(t, a)), { token, expires });
    this.#prepared.set(token, { actions, expires });
    return outcome;
  }

  /** Phase 2: the prepared actions written (their items were locked, so their conditions still hold). */
  commit(t: TableDefinition, token: string, now: number): Result<TransactOutcome> {
    const prepared = this.#prepared.get(token);
    this.release(token);
    if (!prepared || prepared.expires <= now)
      // Not an AWS message: AWS's coordinator does not lose its locks. Worded as its neighbours.
      return fail(
        dynamoError("InternalServerError", "Internal server error: the transaction's locks expired before it committed", 500),
      );
    return ok(this.#run(t, prepared.actions, false));
  }

  release(token: string): void {
    this.#prepared.delete(token);
    for (const [id, lock] of this.#locks) if (lock.token === token) this.#locks.delete(id);
  }

  /** TransactGetItems' part on this table: the items, or a conflict reason for each locked one. */
  get(
    t: TableDefinition,
    gets: { key: Item; projection?: Projection }[],
    now: number,
  ): Result<{ items: (Item | undefined)[]; sizes: number[]; reasons?: CancellationReason[] }> {
    const reasons = gets.map((g) => (this.locked(t, g.key, now) ? CONFLICT_REASON : NO_REASON));
    if (reasons.some((r) => r !== NO_REASON)) return ok({ items: [], sizes: [], reasons });
    const items: (Item | undefined)[] = [];
    const sizes: number[] = [];
    for (const g of gets) {
      const got = this.#ops.get(t, g.key, g.projection);
      if (!got.ok) return got;
      items.push(got.value.item);
      sizes.push(got.value.size);
    }
    return ok({ items, sizes });
  }

  #conflicts(t: TableDefinition, actions: TransactAction[], now: number): CancellationReason[] | undefined {
    const reasons = actions.map((a) => (this.locked(t, keyOfAction(t, a), now) ? CONFLICT_REASON : NO_REASON));
    return reasons.some((r) => r !== NO_REASON) ? reasons : undefined;
  }

  /** Every action run in one SQLite transaction; rolled back when one failed, or when only trying. */
  #run(t: TableDefinition, actions: TransactAction[], dryRun: boolean): TransactOutcome {
    let outcome: TransactOutcome | undefined;
    try {
      this.transaction(() => {
        const reasons: CancellationReason[] = [];
        const sizes: number[] = [];
        for (const a of actions) {
          const done = this.#one(t, a);
          reasons.push(done.reason);
          sizes.push(done.size);
        }
        outcome = reasons.every((r) => r === NO_REASON) ? { sizes } : { reasons };
        if (dryRun || outcome.reasons) throw new Rollback();
      });
    } catch (e) {
      if (!(e instanceof Rollback)) throw e;
    }
    return outcome!;
  }

  #one(t: TableDefinition, a: TransactAction): { reason: CancellationReason; size: number } {
    const before = this.#ops.get(t, keyOfAction(t, a));
    const failedCheck = () => {
      const old = a.returnOld && before.ok ? before.value.item : undefined;
      const reason = { Code: "ConditionalCheckFailed", Message: "The conditional request failed" };
      return { reason: old ? { ...reason, Item: itemToWire(old) as Record<string, object> } : reason, size: 0 };
    };
    let done: Result<{ size: number }>;
    switch (a.kind) {
      case "put":
        done = this.#ops.put(t, a.item, { condition: a.condition });
        break;
      case "update":
        done = this.#ops.update(t, a.key, a.actions, { condition: a.condition });
        break;
      case "delete":
        done = this.#ops.delete(t, a.key, { condition: a.condition });
        break;
      case "check": {
        if (!before.ok) {
          done = before;
          break;
        }
        const passed = evaluateCondition(a.condition, before.value.item);
        if (passed.ok && !passed.value) return failedCheck();
        done = passed.ok ? ok({ size: before.value.size }) : passed;
        break;
      }
    }
    if (done.ok) return { reason: NO_REASON, size: done.value.size };
    if (done.error.code === "ConditionalCheckFailedException") return failedCheck();
    return { reason: { Code: "ValidationError", Message: done.error.message }, size: 0 };
  }
}

function lockId(t: TableDefinition, key: Item): string {
  const { hash, range } = encodedKey(key, t.key);
  return `${hash}\u0000${range}`;
}
