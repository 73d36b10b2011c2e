/**
 * The wall clock of an instant in an IANA time zone, for Firehose's S3 keys. Firehose evaluates the
 * default `yyyy/MM/dd/HH/` prefix, `!{timestamp:…}` and the key's suffix timestamp in UTC or in the
 * destination's CustomTimeZone (https://docs.aws.amazon.com/firehose/latest/dev/s3-object-name.html).
 * Intl.DateTimeFormat carries the zone rules (workerd and Node both ship the tz database), so no
 * table of offsets lives here.
 */

export const UTC = "UTC";

/** The fields a Java DateTimeFormatter can print, for one instant in one zone. */
export interface WallClock {
  /** The zone id as configured (`VV` prints it). */
  zone: string;
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** 1–366 */
  dayOfYear: number;
  /** ISO: 1 = Monday … 7 = Sunday. */
  dayOfWeek: number;
  /** 0–23 */
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Seconds east of UTC (Tokyo +32400), DST included. */
  offsetSeconds: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building one costs far more than using it, and keys are made per flush. */
function formatterOf(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether Intl knows the zone (names are matched without regard to case; see validateTimeZone). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    formatterOf(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's canonical spelling as Intl reports it (`asia/tokyo` → `Asia/Tokyo`). */
export function canonicalTimeZone(zone: string): string {
  return formatterOf(zone).resolvedOptions().timeZone;
}

/** `epochMs` as read on a clock in `zone` (UTC when absent or empty). */
export function wallClockOf(epochMs: number, zone?: string): WallClock {
  const id = zone || UTC;
  const parts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatterOf(id).formatToParts(new Date(epochMs))) {
    if (p.type in parts) parts[p.type as keyof typeof parts] = Number(p.value);
  }
  const { year, month, day, hour, minute, second } = parts;
  const millisecond = ((epochMs % 1000) + 1000) % 1000;
  // The offset is what the zone's clock reads minus what UTC reads, at whole-second precision.
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const offsetSeconds = Math.round((asUtc - (epochMs - millisecond)) / 1000);
  const midnight = Date.UTC(year, month - 1, day);
  const dayOfYear = Math.round((midnight - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
  const dayOfWeek = ((new Date(midnight).getUTCDay() + 6) % 7) + 1;
  return { zone: id, year, month, day, dayOfYear, dayOfWeek, hour, minute, second, millisecond, offsetSeconds };
}
