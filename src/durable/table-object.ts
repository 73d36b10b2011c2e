/**
 * TableObject: one DynamoDB table. This step holds the table's definition (key schema, attribute
 * definitions, billing, indexes with their statuses), its tags, Time to Live and point-in-time
 * recovery settings, and runs the status changes (CREATING → ACTIVE, index backfills, DELETING →
 * gone) from its alarm. Item storage comes next (see ./table/schema.ts).
 */
import { DurableObject } from "cloudflare:workers";
import { fail, ok, type Result } from "../domain/errors";
import { dynamoError, resourceInUse, resourceNotFound, transactionConflict, validation } from "../domain/dynamodb/errors";
import type { TableDefinition } from "../domain/dynamodb/table-definition";
import {
  applySettingsChange,
  DEFAULT_SETTINGS,
  type SettingsChange,
  type TableSettings,
} from "../domain/dynamodb/table-settings";
import { settingsOf } from "../domain/settings";
import { Alarm } from "./alarm";
import { CachedMetaTable } from "./meta";
import { migrate } from "./sql";
import { ItemOperations, type ReadPage, type WriteOutcome, type WriteRequest } from "./table/item-operations";
import { ItemStore } from "./table/item-store";
import { ClientTokens } from "./table/client-tokens";
import { TABLE_MIGRATIONS } from "./table/schema";
import { TableTransactions, type TransactAction, type TransactOutcome } from "./table/transactions";
import type { Item, Projection, UpdateActions } from "../domain/dynamodb/contract";
import { encodedKey, inIndex } from "../domain/dynamodb/table-keys";
import { expiryOf } from "../domain/dynamodb/time-to-live";
import { itemFromWire } from "../domain/dynamodb/wire";

export interface TableView {
  definition: TableDefinition;
  settings: TableSettings;
  stats: { items: number; bytes: number };
}

export class TableObject extends DurableObject<Env> {
  readonly #meta: CachedMetaTable;
  readonly #alarm: Alarm;
  readonly #store: ItemStore;
  readonly #items: ItemOperations;
  readonly #transactions: TableTransactions;
  readonly #tokens: ClientTokens;
  #definition: TableDefinition | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    migrate(ctx.storage.sql, TABLE_MIGRATIONS);
    this.#meta = new CachedMetaTable(ctx.storage.sql);
    this.#alarm = new Alarm(ctx.storage);
    this.#store = new ItemStore(ctx.storage.sql);
    const ttl = {
      attribute: () => this.#ttlAttribute(),
      written: (expires: number | null) => {
        if (expires !== null) this.#alarm.arm(expires, Date.now());
      },
    };
    this.#items = new ItemOperations(this.#store, (fn) => ctx.storage.transactionSync(fn), ttl);
    this.#transactions = new TableTransactions(this.#store, (fn) => ctx.storage.transactionSync(fn), ttl);
    this.#tokens = new ClientTokens(ctx.storage.sql);
    this.#definition = this.#meta.get<TableDefinition>("definition");
    void ctx.blockConcurrencyWhile(() => this.#alarm.load());
  }

  create(definition: TableDefinition, tags: Record<string, string>): Result<TableView> {
    if (this.#definition) return fail(resourceInUse(`Table already exists: ${definition.name}`));
    const now = Date.now();
    this.ctx.storage.transactionSync(() => {
      this.#save(definition);
      this.#meta.set("settings", { ...DEFAULT_SETTINGS, tags });
      this.#meta.set("due", now + this.#delay());
    });
    this.#alarm.arm(now + this.#delay(), now);
    return ok(this.#view(definition));
  }

  describe(): Result<TableView> {
    const definition = this.#settled();
    return definition ? ok(this.#view(definition)) : fail(this.#notFound());
  }

  /** UpdateTable: the next definition, accepted only while the table is ACTIVE (UPDATING until the delay passes). */
  update(next: TableDefinition, expectedStatus: "ACTIVE"): Result<TableView> {
    const current = this.#settled();
    if (!current) return fail(this.#notFound());
    if (current.status !== expectedStatus)
      return fail(
        resourceInUse(
          `Attempt to change a resource which is still in use: Table is being ${current.status === "DELETING" ? "deleted" : "updated"}: ${current.name}`,
        ),
      );
    const now = Date.now();
    this.ctx.storage.transactionSync(() => {
      this.#save(next);
      this.#meta.set("due", now + this.#delay());
    });
    this.#alarm.arm(now + this.#delay(), now);
    return ok(this.#view(next));
  }

  /** The table's settings, after `change` when one is given (tags, Time to Live, point-in-time recovery). */
  settings(change?: SettingsChange): Result<TableView> {
    const definition = this.#settled();
    if (!definition) return fail(this.#notFound());
    if (change) {
      const next = applySettingsChange(this.#meta.get<TableSettings>("settings") ?? DEFAULT_SETTINGS, change, Date.now());
      if (!next.ok)
        return fail(next.code === "ValidationException" ? validation(next.message) : dynamoError(next.code, next.message));
      this.#meta.set("settings", next.value);
      if (change.kind === "ttl") this.#reindexExpiry();
    }
    return ok(this.#view(definition));
  }

  /** DeleteTable: DELETING now, gone after the status delay. */
  destroy(): Result<TableView> {
    const definition = this.#settled();
    if (!definition) return fail(this.#notFound());
    if (definition.status === "CREATING" || definition.status === "UPDATING" || definition.status === "DELETING")
      return fail(
        resourceInUse(
          `Attempt to change a resource which is still in use: Table is being ${definition.status === "DELETING" ? "deleted" : definition.status === "CREATING" ? "created" : "updated"}: ${definition.name}`,
        ),
      );
    if (definition.deletionProtection)
      return fail(
        validation(
          "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.",
        ),
      );
    const now = Date.now();
    const deleting = { ...definition, status: "DELETING" as const };
    this.ctx.storage.transactionSync(() => {
      this.#save(deleting);
      this.#meta.set("due", now + this.#delay());
    });
    this.#alarm.arm(now + this.#delay(), now);
    return ok(this.#view(deleting));
  }

  // ---- items ----------------------------------------------------------------------------------

  getItem(key: Item, projection?: Projection): Result<{ item?: Item; size: number }> {
    const t = this.#active();
    return t.ok ? this.#items.get(t.value, key, projection) : t;
  }

  putItem(item: Item, request: WriteRequest): Result<WriteOutcome> {
    const t = this.#writable(item);
    return t.ok ? this.#items.put(t.value, item, request) : t;
  }

  deleteItem(key: Item, request: WriteRequest): Result<WriteOutcome> {
    const t = this.#writable(key);
    return t.ok ? this.#items.delete(t.value, key, request) : t;
  }

  updateItem(key: Item, actions: UpdateActions, request: WriteRequest): Result<WriteOutcome> {
    const t = this.#writable(key);
    return t.ok ? this.#items.update(t.value, key, actions, request) : t;
  }

  // ---- transactions (see ./table/transactions.ts) -----------------------------------------------

  /** A transaction on this table alone, in one step. */
  transactWrite(actions: TransactAction[]): Result<TransactOutcome> {
    const t = this.#active();
    return t.ok ? ok(this.#transactions.write(t.value, actions, Date.now())) : t;
  }

  transactPrepare(token: string, actions: TransactAction[]): Result<TransactOutcome> {
    const t = this.#active();
    return t.ok ? ok(this.#transactions.prepare(t.value, token, actions, Date.now())) : t;
  }

  transactCommit(token: string): Result<TransactOutcome> {
    const t = this.#active();
    if (!t.ok) this.#transactions.release(token);
    return t.ok ? this.#transactions.commit(t.value, token, Date.now()) : t;
  }

  transactRelease(token: string): void {
    this.#transactions.release(token);
  }

  transactGet(gets: { key: Item; projection?: Projection }[]) {
    const t = this.#active();
    return t.ok ? this.#transactions.get(t.value, gets, Date.now()) : t;
  }

  /** ClientRequestToken: the answer given before to the same request (JSON), if any. */
  recallToken(token: string, digest: string): Result<string | undefined> {
    return this.#tokens.recall(token, digest, Date.now());
  }

  rememberToken(token: string, digest: string, answer: string): void {
    this.#tokens.remember(token, digest, answer, Date.now());
  }

  query(request: Parameters<ItemOperations["query"]>[1]): Result<ReadPage> {
    const t = this.#readable(request.indexName);
    return t.ok ? this.#items.query(t.value, request) : t;
  }

  scan(request: Parameters<ItemOperations["scan"]>[1]): Result<ReadPage> {
    const t = this.#readable(request.indexName);
    return t.ok ? this.#items.scan(t.value, request) : t;
  }

  /** A table item operations may use: ACTIVE or UPDATING (AWS answers not found while CREATING). */
  #active(): Result<TableDefinition> {
    const t = this.#settled();
    if (!t || t.status === "CREATING" || t.status === "DELETING") return fail(resourceNotFound());
    return ok(t);
  }

  /** #active, and the item not held by a transaction between its two phases. */
  #writable(key: Item): Result<TableDefinition> {
    const t = this.#active();
    if (t.ok && this.#transactions.locked(t.value, key, Date.now())) return fail(transactionConflict());
    return t;
  }

  #readable(indexName: string | undefined): Result<TableDefinition> {
    const t = this.#active();
    if (!t.ok || indexName === undefined) return t;
    const index = [...t.value.localIndexes, ...t.value.globalIndexes].find((i) => i.name === indexName);
    if (!index || index.status === "CREATING" || index.status === "DELETING")
      return fail(validation(`The table does not have the specified index: ${indexName}`));
    return t;
  }

  override async alarm(): Promise<void> {
    this.#alarm.fired();
    const now = Date.now();
    const t = this.#settled();
    if (t) this.#sweepExpired(t, now);
    const next = this.#store.nextExpiry();
    if (next !== undefined) this.#alarm.arm(next, Date.now());
    const due = this.#meta.get<number>("due");
    if (due !== undefined) this.#alarm.arm(due, Date.now());
  }

  // ---- Time to Live ---------------------------------------------------------------------------

  #ttlAttribute(): string | undefined {
    const ttl = (this.#meta.get<TableSettings>("settings") ?? DEFAULT_SETTINGS).ttl;
    return ttl.status === "ENABLED" ? ttl.attributeName : undefined;
  }

  /** TTL turned on or off: every item's expiry is read again from its attribute. */
  #reindexExpiry(): void {
    const attribute = this.#ttlAttribute();
    const now = Date.now();
    this.ctx.storage.transactionSync(() => {
      for (const row of this.#store.all()) {
        const item = itemFromWire(JSON.parse(row.item));
        this.#store.setExpiry(row.hash, row.range, item.ok ? expiryOf(item.value, attribute, now) : null);
      }
    });
    const next = this.#store.nextExpiry();
    if (next !== undefined) this.#alarm.arm(next, now);
  }

  /** Deletes expired items, a bounded number per alarm (DynamoDB deletes them in the background too). */
  #sweepExpired(t: TableDefinition, now: number): void {
    if (!this.#ttlAttribute() || t.status === "DELETING") return;
    this.ctx.storage.transactionSync(() => {
      for (const row of this.#store.expired(now, 1000)) this.#store.delete(row.hash, row.range);
    });
  }

  #delay(): number {
    return settingsOf(this.env).dynamodbStatusDelayMs;
  }

  #notFound() {
    const [, , , name = ""] = (this.ctx.id.name ?? "").split(":");
    return resourceNotFound(`Requested resource not found: Table: ${name} not found`);
  }

  #save(definition: TableDefinition): void {
    this.#meta.set("definition", definition);
    this.#definition = definition;
  }

  #view(definition: TableDefinition): TableView {
    return { definition, settings: this.#meta.get<TableSettings>("settings") ?? DEFAULT_SETTINGS, stats: this.#store.stats() };
  }

  /** The definition with the status change that is due applied: CREATING/UPDATING → ACTIVE, DELETING → gone. */
  #settled(): TableDefinition | undefined {
    const definition = this.#definition;
    if (!definition) return undefined;
    const due = this.#meta.get<number>("due");
    if (due === undefined || due > Date.now()) return definition;
    if (definition.status === "DELETING") {
      this.ctx.storage.transactionSync(() => {
        this.#meta.delete("definition");
        this.#meta.delete("settings");
        this.#meta.delete("due");
        this.#store.clear();
      });
      this.#definition = undefined;
      return undefined;
    }
    const settled: TableDefinition = {
      ...definition,
      status: "ACTIVE",
      // Index backfills finish with the table's change; a deleted index goes.
      globalIndexes: definition.globalIndexes
        .filter((i) => i.status !== "DELETING")
        .map((i) => ({ ...i, status: "ACTIVE" as const })),
    };
    this.ctx.storage.transactionSync(() => {
      // A new index is backfilled from every item; a deleted one's rows go.
      for (const index of definition.globalIndexes) {
        if (index.status === "DELETING") this.#store.dropIndex(index.name);
        if (index.status !== "CREATING") continue;
        for (const row of this.#store.all()) {
          const item = itemFromWire(JSON.parse(row.item));
          if (item.ok && inIndex(item.value, index, definition))
            this.#store.addIndexEntry({ index: index.name, ...encodedKey(item.value, index.key) }, row);
        }
      }
      this.#save(settled);
      this.#meta.delete("due");
    });
    return settled;
  }
}
