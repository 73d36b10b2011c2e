/**
 * QueueObject: one SQS queue. Holds the queue's settings and messages in SQLite, parks long polls,
 * and keeps one alarm armed at the earliest durable deadline (retention expiry, move-task pacing).
 * Queue semantics live in ./queue/* and ../services/sqs/*; this class wires them to storage, RPC and time.
 * Expected failures are returned as values (Result), never thrown across RPC.
 */
import { DurableObject } from "cloudflare:workers";
import { fail, ok, type ErrorInfo, type Result } from "../domain/errors";
import { purgeQueueInProgress, queueDeletedRecently, queueDoesNotExist, queueNameExists } from "../domain/sqs/errors";
import { addPermission, removePermission, type PermissionRequest } from "../domain/sqs/permissions";
import { applyAttributes, firstDifferentAttribute, type QueueAttributes } from "../domain/sqs/queue-attributes";
import { parseQueueArn, queueArn } from "../domain/sqs/queue-names";
import { MAX_TAGS, tooManyTags } from "../domain/sqs/tags";
import { catalogObject, queueObject } from "./names";
import { DEDUP_WINDOW_MS } from "../domain/sqs/fifo";
import { MessageStore, toMovedMessage, type MessageRow } from "./queue/message-store";
import { MoveTasks } from "./queue/move-tasks";
import { QueueMessages, queueView, type QueueView } from "./queue/queue-messages";
import { QUEUE_MIGRATIONS } from "./queue/schema";
import type {
  EntryResult,
  HandleRef,
  MovedMessage,
  MoveTask,
  NewMessage,
  QueueDescription,
  QueueState,
  ReceivedMessage,
  ReceiveRequest,
  SentMessage,
  VisibilityChange,
} from "../domain/sqs/contract";
import { Waiters } from "./queue/waiters";
import { migrate } from "./sql";
import { settingsOf } from "../domain/settings";

/** Retention sweeps delete in bounded chunks so one alarm never runs long. */
const EXPIRE_CHUNK = 1000;

export interface CreateQueueRequest {
  account: string;
  region: string;
  name: string;
  attributes: QueueAttributes;
  requested: QueueAttributes;
  tags: Record<string, string>;
}

export class QueueObject extends DurableObject<Env> {
  readonly #store: MessageStore;
  readonly #messages: QueueMessages;
  readonly #moveTasks: MoveTasks;
  readonly #waiters = new Waiters<ReceivedMessage>();
  #state: QueueState | null = null;
  #alarmAt: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new MessageStore(ctx.storage.sql);
    this.#messages = new QueueMessages(this.#store, ctx.storage.sql);
    this.#moveTasks = new MoveTasks(ctx.storage.sql, this.#store, env);
    void ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage.sql, QUEUE_MIGRATIONS);
      this.#state = this.#readMeta<QueueState>("queue") ?? null;
      this.#alarmAt = await ctx.storage.getAlarm();
    });
  }

  // ---- queue lifecycle -------------------------------------------------------------------------

  /** CreateQueue: creates, or confirms an identical existing queue. Returns whether it was created. */
  async create(req: CreateQueueRequest): Promise<Result<boolean>> {
    const now = Date.now();
    const existing = this.#state;
    if (existing) {
      const different = firstDifferentAttribute(existing.attributes, req.requested);
      if (different) return fail(queueNameExists(different));
      await this.#register(existing);
      return ok(false);
    }
    const deletedAt = this.#readMeta<number>("deleted");
    const delayMs = settingsOf(this.env).sqsRecreateDelayMs;
    if (deletedAt !== undefined && now - deletedAt < delayMs) return fail(queueDeletedRecently());
    const state: QueueState = {
      account: req.account,
      region: req.region,
      name: req.name,
      incarnation: crypto.randomUUID().slice(0, 8),
      createdAt: Math.floor(now / 1000),
      lastModifiedAt: Math.floor(now / 1000),
      attributes: applyAttributes({}, req.attributes),
      tags: req.tags,
      dedupScope: req.attributes.DeduplicationScope,
    };
    this.#saveState(state);
    await this.#register(state);
    return ok(true);
  }

  /** DeleteQueue: unlists the queue, drops all its storage and leaves a tombstone for the 60 s rule. */
  async destroy(): Promise<Result<null>> {
    const state = this.#state;
    if (!state) return fail(queueDoesNotExist());
    await catalogObject(this.env, state.account, state.region).unregister(state.name);
    this.#waiters.releaseAll();
    await this.ctx.storage.deleteAll();
    this.#state = null;
    this.#alarmAt = null;
    migrate(this.ctx.storage.sql, QUEUE_MIGRATIONS);
    this.#writeMeta("deleted", Date.now());
    return ok(null);
  }

  describe(): Result<QueueDescription> {
    const state = this.#state;
    if (!state) return fail(queueDoesNotExist());
    const now = Date.now();
    return ok({ state, counts: this.#store.counts(now, this.#aliveAfter(now), queueView(state).readDelayMs) });
  }

  async setAttributes(changes: QueueAttributes): Promise<Result<null>> {
    const state = this.#state;
    if (!state) return fail(queueDoesNotExist());
    const next = {
      ...state,
      attributes: applyAttributes(state.attributes, changes),
      lastModifiedAt: Math.floor(Date.now() / 1000),
    };
    this.#saveState(next);
    if ("RedrivePolicy" in changes) await this.#register(next);
    if ("MessageRetentionPeriod" in changes) this.#armAlarm(Date.now(), true);
    // A FIFO queue's delay applies at read time: a shorter one may make waiting messages available now.
    if ("DelaySeconds" in changes && queueView(next).fifo) this.#waiters.wake(Date.now());
    if ("ReceiveMessageWaitTimeSeconds" in changes || "VisibilityTimeout" in changes || "DelaySeconds" in changes) {
      this.#scheduleWake(Date.now());
    }
    return ok(null);
  }

  purge(): Result<null> {
    const state = this.#state;
    if (!state) return fail(queueDoesNotExist());
    const now = Date.now();
    const intervalMs = settingsOf(this.env).sqsPurgeIntervalMs;
    if (state.lastPurgeAt !== undefined && now - state.lastPurgeAt < intervalMs) {
      return fail(purgeQueueInProgress(state.name, intervalMs / 1000));
    }
    this.ctx.storage.transactionSync(() => {
      this.#messages.purge();
      this.#saveState({ ...state, lastPurgeAt: now });
    });
    return ok(null);
  }

  updateTags(set: Record<string, string>, remove: string[]): Result<Record<string, string>> {
    const state = this.#state;
    if (!state) return fail(queueDoesNotExist());
    const tags = { ...state.tags, ...set };
    for (const key of remove) delete tags[key];
    if (Object.keys(tags).length > MAX_TAGS) return fail(tooManyTags(state.name));
    this.#saveState({ ...state, tags });
    return ok(tags);
  }

  changePermission(add: Required<PermissionRequest> | null, removeLabel: string | null): Result<null> {
    const state = this.#state;
    if (!state) return fail(queueDoesNotExist());
    const current = state.attributes.Policy;
    const policy = add ? addPermission(current, queueArn(state), add) : removePermission(current, removeLabel ?? "");
    if (typeof policy !== "string") return fail(policy);
    this.#saveState({ ...state, attributes: applyAttributes(state.attributes, { Policy: policy }) });
    return ok(null);
  }

  // ---- messages --------------------------------------------------------------------------------

  /** SendMessage / SendMessageBatch: stores each valid entry; a failing entry fails alone. */
  send(entries: NewMessage[], batch: boolean): Result<EntryResult<SentMessage>[]> {
    const state = this.#state;
    if (!state) return fail(queueDoesNotExist());
    const now = Date.now();
    const view = queueView(state);
    const problem = batch ? this.#messages.batchProblem(view, entries) : undefined;
    if (problem) return fail(problem);
    const { results, visibleNow } = this.#messages.send(view, entries, batch, now);
    this.#afterInsert(now, visibleNow);
    return ok(results);
  }

  /** ReceiveMessage: claims visible messages, or waits for some until `waitMs` passes. */
  async receive(req: ReceiveRequest): Promise<Result<ReceivedMessage[]>> {
    const state = this.#state;
    if (!state) return fail(queueDoesNotExist());
    const now = Date.now();
    const waitMs = (req.waitSeconds ?? Number(state.attributes.ReceiveMessageWaitTimeSeconds)) * 1000;
    const { messages, deadLetters } = this.#claim(req, now);
    if (deadLetters) await deadLetters;
    if (messages.length || waitMs <= 0) return ok(messages);
    const answer = new Promise<ReceivedMessage[]>((resolve) => {
      this.#waiters.add({
        claim: () => this.#claim(req, Date.now()).messages,
        resolve,
        deadline: now + waitMs,
      });
    });
    this.#scheduleWake(now);
    return ok(await answer);
  }

  deleteMessages(refs: HandleRef[]): Result<EntryResult[]> {
    const state = this.#state;
    if (!state) return fail(queueDoesNotExist());
    return ok(this.#messages.delete(queueView(state), refs, Date.now()));
  }

  changeVisibility(changes: VisibilityChange[]): Result<EntryResult[]> {
    const state = this.#state;
    if (!state) return fail(queueDoesNotExist());
    const now = Date.now();
    const { results, released } = this.#messages.changeVisibility(queueView(state), changes, now);
    if (released) this.#waiters.wake(now);
    this.#scheduleWake(now);
    return ok(results);
  }

  /** Receives messages moved here because they exceeded a source queue's maxReceiveCount. */
  acceptDeadLetters(messages: MovedMessage[], sourceArn: string): Result<null> {
    if (!this.#state) return fail(queueDoesNotExist());
    const now = Date.now();
    this.ctx.storage.transactionSync(() => {
      for (const message of messages) this.#store.insertMoved(message, sourceArn, now);
    });
    this.#afterInsert(now, true, Math.min(...messages.map((m) => m.sentAt)));
    return ok(null);
  }

  /** Receives messages redriven by a move task: new messages (new id, sent now), same content. */
  acceptRedriven(messages: MovedMessage[]): Result<null> {
    if (!this.#state) return fail(queueDoesNotExist());
    const now = Date.now();
    this.ctx.storage.transactionSync(() => {
      for (const m of messages) {
        this.#store.insert(
          {
            body: m.body,
            attributes: m.attributes,
            md5OfBody: m.md5OfBody,
            md5OfAttributes: m.md5OfAttributes,
            traceHeader: m.traceHeader,
            md5OfSystemAttributes: m.md5OfSystemAttributes,
            groupId: m.groupId ?? undefined,
            deduplicationId: m.deduplicationId ?? undefined,
            senderId: m.senderId,
            size: m.size,
          },
          crypto.randomUUID(),
          now,
          now,
        );
      }
    });
    this.#afterInsert(now, true);
    return ok(null);
  }

  // ---- message move tasks (this queue as the source) ------------------------------------------

  startMoveTask(destinationArn: string | null, maxPerSecond: number | null): Result<string> {
    const state = this.#state;
    if (!state) return fail(queueDoesNotExist());
    const now = Date.now();
    const started = this.#moveTasks.start(queueArn(state), destinationArn, maxPerSecond, now, this.#aliveAfter(now));
    if (!started.ok) return started;
    this.#armAlarm(now);
    return started;
  }

  listMoveTasks(max: number): Result<MoveTask[]> {
    if (!this.#state) return fail(queueDoesNotExist());
    return ok(this.#moveTasks.list(max));
  }

  cancelMoveTask(taskId: string): Result<number> {
    if (!this.#state) return fail(queueDoesNotExist());
    return this.#moveTasks.cancel(taskId);
  }

  // ---- time ------------------------------------------------------------------------------------

  /** Retention sweep, move-task pacing, long-poll wake-up; then re-arm at the next deadline. */
  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    const state = this.#state;
    if (!state) return;
    const now = Date.now();
    while (this.#store.expire(this.#aliveAfter(now), EXPIRE_CHUNK) === EXPIRE_CHUNK) {
      // keep sweeping: chunks keep each statement short
    }
    this.#messages.fifoLedger.expire(now);
    await this.#moveTasks.run(now, this.#aliveAfter(now));
    this.#waiters.wake(Date.now());
    this.#armAlarm(Date.now(), true);
  }

  // ---- internals -------------------------------------------------------------------------------

  #claim(req: ReceiveRequest, now: number): { messages: ReceivedMessage[]; deadLetters?: Promise<void> } {
    const state = this.#state;
    if (!state) return { messages: [] };
    const view = queueView(state);
    const { messages, deadLetters } = this.#messages.claim(view, req, now);
    if (messages.length) this.#scheduleWake(now);
    // A remembered receive attempt expires after the deduplication interval: the alarm must cover it.
    if (view.fifo && req.attemptId && messages.length && (this.#alarmAt === null || this.#alarmAt > now + DEDUP_WINDOW_MS)) {
      this.#armAlarm(now);
    }
    return { messages, deadLetters: deadLetters.length ? this.#moveToDeadLetterQueue(view, deadLetters) : undefined };
  }

  /** Hands rows to the dead-letter queue, then deletes them here; on failure they reappear later. */
  async #moveToDeadLetterQueue(view: QueueView, rows: MessageRow[]): Promise<void> {
    const target = view.redrive && parseQueueArn(view.redrive.deadLetterTargetArn);
    if (!target) return;
    try {
      const result = await queueObject(this.env, target).acceptDeadLetters(rows.map(toMovedMessage), queueArn(view.state));
      if (!result.ok) return;
      this.#store.deleteMany(rows.map((row) => row.seq));
    } catch (error) {
      console.error("dead-letter move failed; messages will be retried", error);
    }
  }

  #aliveAfter(now: number): number {
    return now - this.#retentionMs();
  }

  /** After messages were stored: wake long polls, and make sure retention's alarm covers the oldest. */
  #afterInsert(now: number, visibleNow: boolean, oldestSentAt = now): void {
    if (visibleNow) this.#waiters.wake(now);
    this.#scheduleWake(now);
    // An alarm already due before these messages expire (and, FIFO, before the deduplication window
    // a send opens ends) needs no change (the common case, and it saves two queries per send).
    const fifoWindowEnd = this.#state?.attributes.FifoQueue === "true" ? now + DEDUP_WINDOW_MS : Infinity;
    if (this.#alarmAt !== null && this.#alarmAt <= Math.min(oldestSentAt + this.#retentionMs(), fifoWindowEnd)) return;
    this.#armAlarm(now);
  }

  #retentionMs(): number {
    return Number(this.#state?.attributes.MessageRetentionPeriod ?? 345600) * 1000;
  }

  /** Keeps an in-memory timer at the next moment a waiting long poll could be answered. */
  #scheduleWake(now: number): void {
    if (!this.#waiters.size) return this.#waiters.cancelTimer();
    const deadline = this.#waiters.nextDeadline() ?? Infinity;
    const delayMs = this.#state ? queueView(this.#state).readDelayMs : 0;
    const nextVisible = this.#store.nextVisibleAt(now, delayMs) ?? Infinity;
    const at = Math.min(deadline, nextVisible);
    if (at === Infinity) return;
    this.#waiters.schedule(at, now, () => {
      const t = Date.now();
      this.#waiters.wake(t);
      this.#scheduleWake(t);
    });
  }

  /** Arms the alarm at the earliest durable deadline; `recompute` allows moving it later. */
  #armAlarm(now: number, recompute = false): void {
    const retention = this.#retentionMs();
    const oldest = this.#store.oldestSentAt();
    const candidates = [
      oldest === undefined ? undefined : oldest + retention,
      this.#moveTasks.nextRunAt(),
      this.#messages.fifoLedger.nextExpiry(),
    ];
    const next = candidates.reduce<number | undefined>(
      (a, b) => (b === undefined ? a : a === undefined ? b : Math.min(a, b)),
      undefined,
    );
    if (next === undefined) {
      if (recompute && this.#alarmAt !== null) {
        void this.ctx.storage.deleteAlarm();
        this.#alarmAt = null;
      }
      return;
    }
    const at = Math.max(next, now);
    if (this.#alarmAt === null || at < this.#alarmAt || (recompute && at !== this.#alarmAt)) {
      void this.ctx.storage.setAlarm(at);
      this.#alarmAt = at;
    }
  }

  async #register(state: QueueState): Promise<void> {
    const redrive = queueView(state).redrive;
    await catalogObject(this.env, state.account, state.region).register({
      name: state.name,
      createdAt: state.createdAt,
      deadLetterTarget: redrive?.deadLetterTargetArn ?? null,
    });
  }

  #saveState(state: QueueState): void {
    this.#state = state;
    this.#writeMeta("queue", state);
  }

  #readMeta<T>(key: string): T | undefined {
    const row = this.ctx.storage.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  #writeMeta(key: string, value: unknown): void {
    this.ctx.storage.sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      key,
      JSON.stringify(value),
    );
  }
}

export type { ErrorInfo };
