/**
 * QueueObject: one SQS queue. Holds the queue's settings and messages in SQLite, parks long polls,
 * and keeps one alarm armed at the earliest durable deadline (retention expiry, move-task pacing).
 * Queue semantics live in ./queue/* and ../domain/sqs/*; this class wires them to storage, RPC and time.
 * Its stored attributes become typed QueueSettings when they change and when the object wakes.
 * Expected failures are returned as values (Result), never thrown across RPC.
 */
import { DurableObject } from "cloudflare:workers";
import { fail, ok, type Result } from "../domain/errors";
import { settingsOf } from "../domain/settings";
import type {
  EntryResult,
  HandleRef,
  MovedMessage,
  MoveTask,
  NewMessage,
  QueueCreation,
  QueueDescription,
  QueueState,
  ReceivedMessage,
  ReceiveRequest,
  SentMessage,
  VisibilityChange,
} from "../domain/sqs/contract";
import { purgeQueueInProgress, queueDeletedRecently, queueDoesNotExist, queueNameExists } from "../domain/sqs/errors";
import { DEDUP_WINDOW_MS } from "../domain/sqs/fifo";
import { addPermission, removePermission, type PermissionRequest } from "../domain/sqs/permissions";
import { applyAttributes, firstDifferentAttribute, type QueueAttributes } from "../domain/sqs/queue-attributes";
import { parseQueueArn, queueArn } from "../domain/sqs/queue-names";
import { MAX_TAGS, tooManyTags } from "../domain/sqs/tags";
import { Alarm, earliest } from "./alarm";
import { MetaTable } from "./meta";
import { catalogObject, queueObject } from "./names";
import { MessageStore, toMovedMessage, type MessageRow } from "./queue/message-store";
import { MoveTasks } from "./queue/move-tasks";
import { QueueMessages, queueView, type QueueView } from "./queue/queue-messages";
import { QUEUE_MIGRATIONS } from "./queue/schema";
import { Waiters } from "./queue/waiters";
import { migrate } from "./sql";

/** Retention sweeps delete in bounded chunks so one alarm never runs long. */
const EXPIRE_CHUNK = 1000;

export class QueueObject extends DurableObject<Env> {
  readonly #store: MessageStore;
  readonly #messages: QueueMessages;
  readonly #moveTasks: MoveTasks;
  readonly #waiters = new Waiters<ReceivedMessage>();
  readonly #meta: MetaTable;
  readonly #alarm: Alarm;
  /** The queue's stored state ("queue" meta row) with its settings; null while there is no queue. */
  #queue: QueueView | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new MessageStore(ctx.storage.sql);
    this.#messages = new QueueMessages(this.#store, ctx.storage.sql);
    this.#moveTasks = new MoveTasks(ctx.storage.sql, this.#store, env);
    this.#meta = new MetaTable(ctx.storage.sql);
    this.#alarm = new Alarm(ctx.storage);
    void ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage.sql, QUEUE_MIGRATIONS);
      const state = this.#meta.get<QueueState>("queue");
      this.#queue = state ? queueView(state) : null;
      await this.#alarm.load();
    });
  }

  // ---- queue lifecycle -------------------------------------------------------------------------

  /** CreateQueue: creates, or confirms an identical existing queue. Returns whether it was created. */
  async create(req: QueueCreation): Promise<Result<boolean>> {
    const now = Date.now();
    const existing = this.#queue;
    if (existing) {
      const different = firstDifferentAttribute(existing.state.attributes, req.requested);
      if (different) return fail(queueNameExists(different));
      await this.#register(existing);
      return ok(false);
    }
    const deletedAt = this.#meta.get<number>("deleted");
    const delayMs = settingsOf(this.env).sqsRecreateDelayMs;
    if (deletedAt !== undefined && now - deletedAt < delayMs) return fail(queueDeletedRecently());
    const queue = this.#save({
      account: req.account,
      region: req.region,
      name: req.name,
      incarnation: crypto.randomUUID().slice(0, 8),
      createdAt: Math.floor(now / 1000),
      lastModifiedAt: Math.floor(now / 1000),
      attributes: applyAttributes({}, req.attributes),
      tags: req.tags,
      dedupScope: req.attributes.DeduplicationScope,
    });
    await this.#register(queue);
    return ok(true);
  }

  /** DeleteQueue: unlists the queue, drops all its storage and leaves a tombstone for the 60 s rule. */
  async destroy(): Promise<Result<null>> {
    const queue = this.#queue;
    if (!queue) return fail(queueDoesNotExist());
    const { state } = queue;
    await catalogObject(this.env, state.account, state.region).unregister(state.name);
    this.#waiters.releaseAll();
    await this.ctx.storage.deleteAll();
    this.#store.forgetCount();
    this.#queue = null;
    await this.#alarm.clear();
    migrate(this.ctx.storage.sql, QUEUE_MIGRATIONS);
    this.#meta.set("deleted", Date.now());
    return ok(null);
  }

  /** The queue's state; with `counts`, its message counts too (the only part that reads messages). */
  describe(ask: { counts?: boolean } = {}): Result<QueueDescription> {
    const queue = this.#queue;
    if (!queue) return fail(queueDoesNotExist());
    if (!ask.counts) return ok({ state: queue.state });
    const now = Date.now();
    const counts = this.#store.counts(now, now - queue.settings.retentionMs, queue.settings.readDelayMs);
    return ok({ state: queue.state, counts });
  }

  async setAttributes(changes: QueueAttributes): Promise<Result<null>> {
    const current = this.#queue;
    if (!current) return fail(queueDoesNotExist());
    const queue = this.#save({
      ...current.state,
      attributes: applyAttributes(current.state.attributes, changes),
      lastModifiedAt: Math.floor(Date.now() / 1000),
    });
    if ("RedrivePolicy" in changes) await this.#register(queue);
    if ("MessageRetentionPeriod" in changes) this.#armAlarm(queue, Date.now(), true);
    // A FIFO queue's delay applies at read time: a shorter one may make waiting messages available now.
    if ("DelaySeconds" in changes && queue.settings.fifo) this.#waiters.wake(Date.now());
    if ("ReceiveMessageWaitTimeSeconds" in changes || "VisibilityTimeout" in changes || "DelaySeconds" in changes) {
      this.#scheduleWake(Date.now());
    }
    return ok(null);
  }

  purge(): Result<null> {
    const queue = this.#queue;
    if (!queue) return fail(queueDoesNotExist());
    const { state } = queue;
    const now = Date.now();
    const intervalMs = settingsOf(this.env).sqsPurgeIntervalMs;
    if (state.lastPurgeAt !== undefined && now - state.lastPurgeAt < intervalMs) {
      return fail(purgeQueueInProgress(state.name, intervalMs / 1000));
    }
    this.#transaction(() => {
      this.#messages.purge();
      this.#save({ ...state, lastPurgeAt: now });
    });
    return ok(null);
  }

  updateTags(set: Record<string, string>, remove: string[]): Result<Record<string, string>> {
    const queue = this.#queue;
    if (!queue) return fail(queueDoesNotExist());
    const tags = { ...queue.state.tags, ...set };
    for (const key of remove) delete tags[key];
    if (Object.keys(tags).length > MAX_TAGS) return fail(tooManyTags(queue.state.name));
    this.#save({ ...queue.state, tags });
    return ok(tags);
  }

  changePermission(add: Required<PermissionRequest> | null, removeLabel: string | null): Result<null> {
    const queue = this.#queue;
    if (!queue) return fail(queueDoesNotExist());
    const { state } = queue;
    const current = state.attributes.Policy;
    const policy = add ? addPermission(current, queueArn(state), add) : removePermission(current, removeLabel ?? "");
    if (!policy.ok) return policy;
    this.#save({ ...state, attributes: applyAttributes(state.attributes, { Policy: policy.value }) });
    return ok(null);
  }

  // ---- messages --------------------------------------------------------------------------------

  /** SendMessage / SendMessageBatch: stores each valid entry; a failing entry fails alone. */
  send(entries: NewMessage[], batch: boolean): Result<EntryResult<SentMessage>[]> {
    const queue = this.#queue;
    if (!queue) return fail(queueDoesNotExist());
    const now = Date.now();
    const problem = batch ? this.#messages.batchProblem(queue, entries) : undefined;
    if (problem) return fail(problem);
    const { results, visibleNow } = this.#messages.send(queue, entries, batch, now);
    this.#afterInsert(queue, now, visibleNow);
    return ok(results);
  }

  /** ReceiveMessage: claims visible messages, or waits for some until `waitMs` passes. */
  async receive(req: ReceiveRequest): Promise<Result<ReceivedMessage[]>> {
    const queue = this.#queue;
    if (!queue) return fail(queueDoesNotExist());
    const now = Date.now();
    const waitMs = (req.waitSeconds ?? queue.settings.receiveWaitSeconds) * 1000;
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
    const queue = this.#queue;
    if (!queue) return fail(queueDoesNotExist());
    return ok(this.#messages.delete(queue, refs, Date.now()));
  }

  changeVisibility(changes: VisibilityChange[]): Result<EntryResult[]> {
    const queue = this.#queue;
    if (!queue) return fail(queueDoesNotExist());
    const now = Date.now();
    const { results, released } = this.#messages.changeVisibility(queue, changes, now);
    if (released) this.#waiters.wake(now);
    this.#scheduleWake(now);
    return ok(results);
  }

  /** Receives messages moved here because they exceeded a source queue's maxReceiveCount. */
  acceptDeadLetters(messages: MovedMessage[], sourceArn: string): Result<null> {
    const queue = this.#queue;
    if (!queue) return fail(queueDoesNotExist());
    const now = Date.now();
    this.#transaction(() => {
      for (const message of messages) this.#store.insertMoved(message, sourceArn, now);
    });
    this.#afterInsert(queue, now, true, Math.min(...messages.map((m) => m.sentAt)));
    return ok(null);
  }

  /** Receives messages redriven by a move task: new messages (new id, sent now), same content. */
  acceptRedriven(messages: MovedMessage[]): Result<null> {
    const queue = this.#queue;
    if (!queue) return fail(queueDoesNotExist());
    const now = Date.now();
    this.#transaction(() => {
      for (const message of messages) this.#store.insert(message, crypto.randomUUID(), now, now);
    });
    this.#afterInsert(queue, now, true);
    return ok(null);
  }

  // ---- message move tasks (this queue as the source) ------------------------------------------

  startMoveTask(destinationArn: string | null, maxPerSecond: number | null): Result<string> {
    const queue = this.#queue;
    if (!queue) return fail(queueDoesNotExist());
    const now = Date.now();
    const aliveAfter = now - queue.settings.retentionMs;
    const started = this.#moveTasks.start(queueArn(queue.state), destinationArn, maxPerSecond, now, aliveAfter);
    if (started.ok) this.#armAlarm(queue, now);
    return started;
  }

  listMoveTasks(max: number): Result<MoveTask[]> {
    if (!this.#queue) return fail(queueDoesNotExist());
    return ok(this.#moveTasks.list(max));
  }

  cancelMoveTask(taskId: string): Result<number> {
    if (!this.#queue) return fail(queueDoesNotExist());
    return this.#moveTasks.cancel(taskId);
  }

  // ---- time ------------------------------------------------------------------------------------

  /** Retention sweep, move-task pacing, long-poll wake-up; then re-arm at the next deadline. */
  override async alarm(): Promise<void> {
    this.#alarm.fired();
    const queue = this.#queue;
    if (!queue) return;
    const now = Date.now();
    const aliveAfter = now - queue.settings.retentionMs;
    while (this.#store.expire(aliveAfter, EXPIRE_CHUNK) === EXPIRE_CHUNK) {
      // keep sweeping: chunks keep each statement short
    }
    this.#messages.fifoLedger.expire(now);
    await this.#moveTasks.run(now, aliveAfter, queue.settings.fifo);
    this.#waiters.wake(Date.now());
    // The queue may have changed (or gone) while the move task awaited its destination.
    if (this.#queue) this.#armAlarm(this.#queue, Date.now(), true);
  }

  // ---- internals -------------------------------------------------------------------------------

  #claim(req: ReceiveRequest, now: number): { messages: ReceivedMessage[]; deadLetters?: Promise<void> } {
    const queue = this.#queue;
    if (!queue) return { messages: [] };
    const { messages, deadLetters } = this.#messages.claim(queue, req, now);
    if (messages.length) this.#scheduleWake(now);
    // A remembered receive attempt expires after the deduplication interval: the alarm must cover it.
    const alarmAt = this.#alarm.at;
    if (queue.settings.fifo && req.attemptId && messages.length && (alarmAt === null || alarmAt > now + DEDUP_WINDOW_MS)) {
      this.#armAlarm(queue, now);
    }
    return { messages, deadLetters: deadLetters.length ? this.#moveToDeadLetterQueue(queue, deadLetters) : undefined };
  }

  /** Hands rows to the dead-letter queue, then deletes them here; on failure they reappear later. */
  async #moveToDeadLetterQueue(queue: QueueView, rows: MessageRow[]): Promise<void> {
    const redrive = queue.settings.redrive;
    const target = redrive && parseQueueArn(redrive.deadLetterTargetArn);
    if (!target) return;
    try {
      const result = await queueObject(this.env, target).acceptDeadLetters(rows.map(toMovedMessage), queueArn(queue.state));
      if (!result.ok) return;
      this.#store.deleteMany(rows.map((row) => row.seq));
    } catch (error) {
      console.error("dead-letter move failed; messages will be retried", error);
    }
  }

  /** After messages were stored: wake long polls, and make sure retention's alarm covers the oldest. */
  #afterInsert(queue: QueueView, now: number, visibleNow: boolean, oldestSentAt = now): void {
    if (visibleNow) this.#waiters.wake(now);
    this.#scheduleWake(now);
    // An alarm already due before these messages expire (and, FIFO, before the deduplication window
    // a send opens ends) needs no change (the common case, and it saves two queries per send).
    const { fifo, retentionMs } = queue.settings;
    const alarmAt = this.#alarm.at;
    if (alarmAt !== null && alarmAt <= Math.min(oldestSentAt + retentionMs, fifo ? now + DEDUP_WINDOW_MS : Infinity)) return;
    this.#armAlarm(queue, now);
  }

  /** Keeps an in-memory timer at the next moment a waiting long poll could be answered. */
  #scheduleWake(now: number): void {
    if (!this.#waiters.size) return this.#waiters.cancelTimer();
    const deadline = this.#waiters.nextDeadline() ?? Infinity;
    const nextVisible = this.#store.nextVisibleAt(now, this.#queue?.settings.readDelayMs ?? 0) ?? Infinity;
    const at = Math.min(deadline, nextVisible);
    if (at === Infinity) return;
    this.#waiters.schedule(at, now, () => {
      const t = Date.now();
      this.#waiters.wake(t);
      this.#scheduleWake(t);
    });
  }

  /** Arms the alarm at the earliest durable deadline; `recompute` allows moving it later. */
  #armAlarm(queue: QueueView, now: number, recompute = false): void {
    const oldest = this.#store.oldestSentAt();
    const expiry = oldest === undefined ? undefined : oldest + queue.settings.retentionMs;
    this.#alarm.arm(earliest(expiry, this.#moveTasks.nextRunAt(), this.#messages.fifoLedger.nextExpiry()), now, recompute);
  }

  async #register({ state, settings }: QueueView): Promise<void> {
    await catalogObject(this.env, state.account, state.region).register({
      name: state.name,
      createdAt: state.createdAt,
      deadLetterTarget: settings.redrive?.deadLetterTargetArn ?? null,
    });
  }

  /** A transaction whose rollback (a bug threw) also drops what memory derived from its writes. */
  #transaction(fn: () => void): void {
    try {
      this.ctx.storage.transactionSync(fn);
    } catch (error) {
      this.#store.forgetCount();
      const state = this.#meta.get<QueueState>("queue");
      this.#queue = state ? queueView(state) : null;
      throw error;
    }
  }

  /** Stores the queue's state and derives its settings: the one place both change. */
  #save(state: QueueState): QueueView {
    this.#meta.set("queue", state);
    this.#queue = queueView(state);
    return this.#queue;
  }
}
