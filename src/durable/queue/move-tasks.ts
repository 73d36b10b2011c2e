/**
 * Message move tasks (StartMessageMoveTask & co.) with this queue, a dead-letter queue, as the source.
 * A task is a row; the queue's alarm runs it once per second, moving up to its rate of visible messages
 * to the destination (or back to each message's original source queue), as new messages.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import { invalidParameterValue, resourceNotFound } from "../../domain/sqs/errors";
import { parseQueueArn } from "../../domain/sqs/queue-names";
import { queueObject } from "../names";
import { toMovedMessage, type MessageStore, type MessageRow } from "./message-store";
import type { MoveTask } from "../../domain/sqs/contract";

/** "System optimised" rate when the caller gives none; AWS's documented maximum. */
const DEFAULT_RATE = 500;
const TICK_MS = 1000;
/** Messages being moved stay hidden this long; if a move fails they become visible again. */
const HOLD_MS = 60_000;

type TaskRow = {
  task_id: string;
  status: MoveTask["status"];
  source_arn: string;
  destination_arn: string | null;
  max_per_second: number | null;
  moved: number;
  to_move: number;
  started_at: number;
  next_run_at: number | null;
  failure_reason: string | null;
};

const toTask = (r: TaskRow): MoveTask => ({
  taskId: r.task_id,
  status: r.status,
  sourceArn: r.source_arn,
  destinationArn: r.destination_arn,
  maxPerSecond: r.max_per_second,
  moved: r.moved,
  toMove: r.to_move,
  startedAt: r.started_at,
  failureReason: r.failure_reason,
});

export class MoveTasks {
  constructor(
    private readonly sql: SqlStorage,
    private readonly store: MessageStore,
    private readonly env: Env,
  ) {}

  start(
    sourceArn: string,
    destinationArn: string | null,
    maxPerSecond: number | null,
    now: number,
    aliveAfter: number,
  ): Result<string> {
    const active = this.sql.exec("SELECT 1 FROM move_tasks WHERE status IN ('RUNNING', 'CANCELLING')").toArray();
    if (active.length) {
      return fail(
        invalidParameterValue(
          "There is already a task running. Only one active task is allowed for a source queue arn at a given time.",
        ),
      );
    }
    const taskId = crypto.randomUUID();
    this.sql.exec(
      `INSERT INTO move_tasks (task_id, status, source_arn, destination_arn, max_per_second, to_move, started_at, next_run_at)
       VALUES (?, 'RUNNING', ?, ?, ?, ?, ?, ?)`,
      taskId,
      sourceArn,
      destinationArn,
      maxPerSecond,
      this.store.countVisible(now, aliveAfter),
      now,
      now,
    );
    return ok(taskId);
  }

  /** The most recent tasks first, as ListMessageMoveTasks returns them. */
  list(max: number): MoveTask[] {
    return this.sql
      .exec<TaskRow>("SELECT * FROM move_tasks ORDER BY started_at DESC, rowid DESC LIMIT ?", max)
      .toArray()
      .map(toTask);
  }

  cancel(taskId: string): Result<number> {
    const row = this.sql.exec<TaskRow>("SELECT * FROM move_tasks WHERE task_id = ?", taskId).toArray()[0];
    if (!row) return fail(resourceNotFound("Task does not exist."));
    if (row.status !== "RUNNING") return fail(invalidParameterValue("Only active tasks can be cancelled."));
    this.sql.exec("UPDATE move_tasks SET status = 'CANCELLED', next_run_at = NULL WHERE task_id = ?", taskId);
    return ok(row.moved);
  }

  nextRunAt(): number | undefined {
    return (
      this.sql.exec<{ t: number | null }>("SELECT MIN(next_run_at) AS t FROM move_tasks WHERE status = 'RUNNING'").one().t ??
      undefined
    );
  }

  /** Runs every due task for one tick; `fifo` tells whether this, the source queue, is a FIFO queue. */
  async run(now: number, aliveAfter: number, fifo: boolean): Promise<void> {
    const due = this.sql.exec<TaskRow>("SELECT * FROM move_tasks WHERE status = 'RUNNING' AND next_run_at <= ?", now).toArray();
    for (const task of due) await this.#tick(task, now, aliveAfter, fifo);
  }

  async #tick(task: TaskRow, now: number, aliveAfter: number, fifo: boolean): Promise<void> {
    const remaining = task.to_move - task.moved;
    const limit = Math.min(remaining, task.max_per_second ?? DEFAULT_RATE);
    // FIFO: in queue order, each group from its first message and held while one is in flight, so
    // the destination receives every group in order (visibility order would put a released message last).
    const rows =
      remaining <= 0
        ? []
        : fifo
          ? this.store.fifoCandidates(now, aliveAfter, 0, limit)
          : this.store.visible(now, aliveAfter, limit);
    if (!rows.length) {
      this.#finish(task.task_id, "COMPLETED", null);
      return;
    }
    this.store.hideMany(
      rows.map((row) => row.seq),
      now + HOLD_MS,
    );

    const byDestination = new Map<string, MessageRow[]>();
    for (const row of rows) {
      const destination = task.destination_arn ?? row.dead_letter_source;
      if (!destination) {
        this.#release(rows, now);
        this.#finish(task.task_id, "FAILED", "CouldNotDetermineMessageSource");
        return;
      }
      byDestination.set(destination, [...(byDestination.get(destination) ?? []), row]);
    }

    let moved = 0;
    for (const [arn, batch] of byDestination) {
      const ref = parseQueueArn(arn);
      const result = ref ? await queueObject(this.env, ref).acceptRedriven(batch.map(toMovedMessage)) : undefined;
      if (!result?.ok) {
        this.#release(batch, now);
        this.sql.exec("UPDATE move_tasks SET moved = moved + ? WHERE task_id = ?", moved, task.task_id);
        this.#finish(
          task.task_id,
          "FAILED",
          result && !result.ok ? result.error.code : "AWS.SimpleQueueService.NonExistentQueue",
        );
        return;
      }
      this.store.deleteMany(batch.map((row) => row.seq));
      moved += batch.length;
    }
    // A cancel that arrived while messages were in transit wins; the moved count still grows.
    this.sql.exec("UPDATE move_tasks SET moved = moved + ? WHERE task_id = ?", moved, task.task_id);
    const current = this.sql.exec<TaskRow>("SELECT * FROM move_tasks WHERE task_id = ?", task.task_id).one();
    if (current.status !== "RUNNING") return;
    if (current.moved >= current.to_move) this.#finish(task.task_id, "COMPLETED", null);
    else this.sql.exec("UPDATE move_tasks SET next_run_at = ? WHERE task_id = ?", now + TICK_MS, task.task_id);
  }

  #release(rows: MessageRow[], now: number): void {
    this.store.hideMany(
      rows.map((row) => row.seq),
      now,
    );
  }

  #finish(taskId: string, status: MoveTask["status"], reason: string | null): void {
    this.sql.exec(
      "UPDATE move_tasks SET status = ?, failure_reason = ?, next_run_at = NULL WHERE task_id = ? AND status = 'RUNNING'",
      status,
      reason,
      taskId,
    );
  }
}
