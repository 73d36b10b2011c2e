/**
 * Per-table and per-account settings: DescribeTimeToLive / UpdateTimeToLive (stored; expiry of items
 * arrives with item storage), DescribeContinuousBackups / UpdateContinuousBackups (point-in-time
 * recovery status; no restores), DescribeLimits, DescribeEndpoints.
 */
import { fail, ok, type Result } from "../../domain/errors";
import { validation } from "../../domain/dynamodb/errors";
import type { TableSettings } from "../../domain/dynamodb/table-settings";
import type { TableView } from "../../durable/table-object";
import type { DynamoHandler, DynamoHandlers } from "./context";
import { resolveTable, tableStub, viewTable } from "./names";

const ttlDescription = (s: TableSettings) => ({
  TimeToLiveStatus: s.ttl.status,
  ...(s.ttl.attributeName ? { AttributeName: s.ttl.attributeName } : {}),
});

const backupsDescription = (s: TableSettings) => ({
  ContinuousBackupsStatus: "ENABLED",
  PointInTimeRecoveryDescription: s.pitr.enabled
    ? {
        PointInTimeRecoveryStatus: "ENABLED",
        RecoveryPeriodInDays: s.pitr.recoveryPeriodInDays,
        EarliestRestorableDateTime: new Date(s.pitr.since ?? Date.now()),
        LatestRestorableDateTime: new Date(),
      }
    : { PointInTimeRecoveryStatus: "DISABLED" },
});

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html
const updateTimeToLive: DynamoHandler<"UpdateTimeToLive"> = async (ctx, input) => {
  const ref = resolveTable(ctx, input.TableName);
  if (!ref.ok) return ref;
  const spec = input.TimeToLiveSpecification;
  const done = (await tableStub(ctx, ref.value).settings({
    kind: "ttl",
    enabled: spec.Enabled,
    attributeName: spec.AttributeName,
  })) as Result<TableView>;
  if (!done.ok) return done;
  return ok({ TimeToLiveSpecification: { Enabled: spec.Enabled, AttributeName: spec.AttributeName } });
};

const describeTimeToLive: DynamoHandler<"DescribeTimeToLive"> = async (ctx, input) => {
  const view = await viewTable(ctx, input.TableName);
  if (!view.ok) return view;
  return ok({ TimeToLiveDescription: ttlDescription(view.value.settings) });
};

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateContinuousBackups.html
const updateContinuousBackups: DynamoHandler<"UpdateContinuousBackups"> = async (ctx, input) => {
  const ref = resolveTable(ctx, input.TableName);
  if (!ref.ok) return ref;
  const spec = input.PointInTimeRecoverySpecification;
  const days = spec.RecoveryPeriodInDays ?? 35;
  if (days < 1 || days > 35) return fail(validation("RecoveryPeriodInDays must be between 1 and 35"));
  const done = (await tableStub(ctx, ref.value).settings({
    kind: "pitr",
    enabled: spec.PointInTimeRecoveryEnabled,
    recoveryPeriodInDays: days,
  })) as Result<TableView>;
  if (!done.ok) return done;
  return ok({ ContinuousBackupsDescription: backupsDescription(done.value.settings) });
};

const describeContinuousBackups: DynamoHandler<"DescribeContinuousBackups"> = async (ctx, input) => {
  const view = await viewTable(ctx, input.TableName);
  if (!view.ok) return view;
  return ok({ ContinuousBackupsDescription: backupsDescription(view.value.settings) });
};

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeLimits.html
const describeLimits: DynamoHandler<"DescribeLimits"> = async () =>
  ok({
    AccountMaxReadCapacityUnits: 80000,
    AccountMaxWriteCapacityUnits: 80000,
    TableMaxReadCapacityUnits: 40000,
    TableMaxWriteCapacityUnits: 40000,
  });

// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeEndpoints.html
const describeEndpoints: DynamoHandler<"DescribeEndpoints"> = async (ctx) =>
  ok({ Endpoints: [{ Address: new URL(ctx.origin).host, CachePeriodInMinutes: 1440 }] });

export const settingOperations: DynamoHandlers<
  | "UpdateTimeToLive"
  | "DescribeTimeToLive"
  | "UpdateContinuousBackups"
  | "DescribeContinuousBackups"
  | "DescribeLimits"
  | "DescribeEndpoints"
> = {
  UpdateTimeToLive: updateTimeToLive,
  DescribeTimeToLive: describeTimeToLive,
  UpdateContinuousBackups: updateContinuousBackups,
  DescribeContinuousBackups: describeContinuousBackups,
  DescribeLimits: describeLimits,
  DescribeEndpoints: describeEndpoints,
};
