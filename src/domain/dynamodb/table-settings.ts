/**
 * A table's settings beside its definition: tags, Time to Live and point-in-time recovery, as the
 * table object keeps them and DescribeTimeToLive / DescribeContinuousBackups show them.
 */
export interface TimeToLiveSetting {
  status: "ENABLED" | "DISABLED" | "ENABLING" | "DISABLING";
  attributeName?: string;
}

export interface PointInTimeRecoverySetting {
  enabled: boolean;
  recoveryPeriodInDays: number;
  /** Epoch ms PITR was turned on. */
  since?: number;
}

export interface TableSettings {
  tags: Record<string, string>;
  ttl: TimeToLiveSetting;
  pitr: PointInTimeRecoverySetting;
}

export const DEFAULT_SETTINGS: TableSettings = {
  tags: {},
  ttl: { status: "DISABLED" },
  pitr: { enabled: false, recoveryPeriodInDays: 35 },
};

/** A change to a table's settings, carried to the table object and applied there in one step. */
export type SettingsChange =
  | { kind: "tag"; add: Record<string, string>; remove: string[] }
  | { kind: "ttl"; enabled: boolean; attributeName: string }
  | { kind: "pitr"; enabled: boolean; recoveryPeriodInDays: number };

export const MAX_TAGS = 50;

/** The settings after `change`, or the refusal DynamoDB answers (its code and message). */
export function applySettingsChange(
  s: TableSettings,
  change: SettingsChange,
  now: number,
): { ok: true; value: TableSettings } | { ok: false; code: "ValidationException" | "LimitExceededException"; message: string } {
  switch (change.kind) {
    case "tag": {
      const tags = { ...s.tags, ...change.add };
      for (const k of change.remove) delete tags[k];
      if (Object.keys(tags).length > MAX_TAGS)
        return {
          ok: false,
          code: "LimitExceededException",
          message: `Tag limit exceeded: the number of tags per resource is limited to ${MAX_TAGS}`,
        };
      return { ok: true, value: { ...s, tags } };
    }
    case "ttl": {
      const on = s.ttl.status === "ENABLED";
      if (change.enabled && on) return { ok: false, code: "ValidationException", message: "TimeToLive is already enabled" };
      if (!change.enabled && !on) return { ok: false, code: "ValidationException", message: "TimeToLive is already disabled" };
      if (!change.enabled && s.ttl.attributeName !== change.attributeName)
        return {
          ok: false,
          code: "ValidationException",
          message: `TimeToLive is active on a different AttributeName: current AttributeName is ${s.ttl.attributeName}`,
        };
      return {
        ok: true,
        value: {
          ...s,
          ttl: change.enabled ? { status: "ENABLED", attributeName: change.attributeName } : { status: "DISABLED" },
        },
      };
    }
    case "pitr":
      return {
        ok: true,
        value: {
          ...s,
          pitr: change.enabled
            ? { enabled: true, recoveryPeriodInDays: change.recoveryPeriodInDays, since: s.pitr.since ?? now }
            : { enabled: false, recoveryPeriodInDays: 35 },
        },
      };
  }
}
