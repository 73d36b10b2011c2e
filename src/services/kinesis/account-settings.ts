/**
 * DescribeAccountSettings / UpdateAccountSettings: the account's MinimumThroughputBillingCommitment
 * (state only; nothing is billed), kept per (account, region) in the catalog.
 */
import { catalogObject } from "../../durable/names";
import { fail, ok } from "../../domain/errors";
import type { KinesisContext, KinesisHandler, KinesisHandlers } from "./context";
import type { DescribeAccountSettingsOutput } from "./shapes/types";
import { checks } from "../../domain/kinesis/validate";

/** MinimumThroughputBillingCommitment as stored in the catalog (epoch ms). */
interface Commitment {
  status: "ENABLED" | "DISABLED" | "ENABLED_UNTIL_EARLIEST_ALLOWED_END";
  startedAt?: number;
  endedAt?: number;
  earliestAllowedEndAt?: number;
}

const COMMITMENT_KEY = "minimumThroughputBillingCommitment";
/** A commitment runs for at least a day once enabled. */
const COMMITMENT_MINIMUM_MS = 24 * 3_600_000;

function commitmentOutput(c: Commitment | undefined, now: number): DescribeAccountSettingsOutput {
  let current = c ?? { status: "DISABLED" as const };
  if (current.status === "ENABLED_UNTIL_EARLIEST_ALLOWED_END" && (current.endedAt ?? 0) <= now)
    current = { ...current, status: "DISABLED" };
  const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));
  return {
    MinimumThroughputBillingCommitment: {
      Status: current.status,
      StartedAt: date(current.startedAt),
      EndedAt: date(current.endedAt),
      EarliestAllowedEndAt: date(current.earliestAllowedEndAt),
    },
  };
}

async function readCommitment(ctx: KinesisContext): Promise<Commitment | undefined> {
  const text = await catalogObject(ctx.env, ctx.account, ctx.region).kinesisSetting(COMMITMENT_KEY);
  return text === undefined ? undefined : (JSON.parse(text) as Commitment);
}

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeAccountSettings.html
const describeAccountSettings: KinesisHandler<"DescribeAccountSettings"> = async (ctx) =>
  ok(commitmentOutput(await readCommitment(ctx), ctx.now));

// https://docs.aws.amazon.com/kinesis/latest/APIReference/API_UpdateAccountSettings.html
const updateAccountSettings: KinesisHandler<"UpdateAccountSettings"> = async (ctx, input) => {
  const wanted = input.MinimumThroughputBillingCommitment.Status;
  const problem = checks().oneOf(wanted, "minimumThroughputBillingCommitment.status", ["ENABLED", "DISABLED"]).done();
  if (problem) return fail(problem);
  const current = await readCommitment(ctx);
  const active = current && current.status !== "DISABLED" && (current.endedAt === undefined || current.endedAt > ctx.now);
  let next: Commitment;
  if (wanted === "ENABLED") {
    next =
      active && current.status === "ENABLED"
        ? current
        : { status: "ENABLED", startedAt: ctx.now, earliestAllowedEndAt: ctx.now + COMMITMENT_MINIMUM_MS };
  } else if (!active) {
    next = current ?? { status: "DISABLED" };
  } else if ((current.earliestAllowedEndAt ?? 0) > ctx.now) {
    // Ending a commitment early keeps it until its earliest allowed end.
    next = { ...current, status: "ENABLED_UNTIL_EARLIEST_ALLOWED_END", endedAt: current.earliestAllowedEndAt };
  } else {
    next = { ...current, status: "DISABLED", endedAt: ctx.now };
  }
  await catalogObject(ctx.env, ctx.account, ctx.region).setKinesisSetting(COMMITMENT_KEY, JSON.stringify(next));
  return ok(commitmentOutput(next, ctx.now));
};

export const accountSettingOperations: KinesisHandlers<"DescribeAccountSettings" | "UpdateAccountSettings"> = {
  DescribeAccountSettings: describeAccountSettings,
  UpdateAccountSettings: updateAccountSettings,
};
