/**
 * How filter policies compare numbers and IP addresses. Shared by validation (which rejects what cannot be
 * compared) and matching, so both agree on the same limits and rounding.
 */

/** AWS: numeric matching works from -10^9 to 10^9 (subscription-filter-policy-constraints.html). */
export const NUMERIC_LIMIT = 1e9;

/** The rule engine's complaint about a number outside that range (Java prints the bounds as -1.0E9 and 1.0E9). */
export const numericRangeError = "Value must be between -1.0E9 and 1.0E9, inclusive";

export const inNumericRange = (value: number): boolean => value >= -NUMERIC_LIMIT && value <= NUMERIC_LIMIT;

/**
 * The number as AWS's rule engine compares it: shifted positive and cut to six decimal places. Two numbers
 * closer than that compare equal (`301.5` and `3.015e2` match; so do `1.0000001` and `1`).
 */
export const comparable = (value: number): number => Math.trunc(1e6 * (NUMERIC_LIMIT + value));

export const sameNumber = (a: number, b: number): boolean =>
  a === b || (inNumericRange(a) && inNumericRange(b) && comparable(a) === comparable(b));

/** An address as bytes: 4 for IPv4, 16 for IPv6. */
export type IpBytes = number[];

const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

/** Only strings shaped like addresses count as addresses; AWS never resolves names. */
const looksLikeIp = (text: string): boolean => IPV4_SHAPE.test(text) || IPV6_SHAPE.test(text);

function parseIpv4(text: string): IpBytes | undefined {
  const parts = text.split(".").map(Number);
  return parts.every((part) => part <= 255) ? parts : undefined;
}

function parseIpv6(text: string): IpBytes | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): string[] => (half ? half.split(":") : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<string>(Math.max(missing, 0)).fill("0"), ...tail];
  if (!all.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  const bytes = all.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
  // Java turns IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) into plain IPv4 ones.
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.slice(12) : bytes;
}

type IpParse = { kind: "ip"; bytes: IpBytes } | { kind: "notIp" } | { kind: "invalid" };

function parseIp(text: string): IpParse {
  if (!looksLikeIp(text)) return { kind: "notIp" };
  const bytes = IPV4_SHAPE.test(text) ? parseIpv4(text) : parseIpv6(text);
  return bytes ? { kind: "ip", bytes } : { kind: "invalid" };
}

/** The address in `text`, if it is one. */
export function ipAddress(text: string): IpBytes | undefined {
  const parsed = parseIp(text);
  return parsed.kind === "ip" ? parsed.bytes : undefined;
}

export interface IpRange {
  low: IpBytes;
  high: IpBytes;
}

/** Java's String.split drops trailing empty strings ("10.0.0.0/24/" has two parts). */
function javaSplit(text: string, separator: string): string[] {
  if (!text.includes(separator)) return [text];
  const parts = text.split(separator);
  while (parts.length > 0 && parts.at(-1) === "") parts.pop();
  return parts;
}

/** Java's Integer.parseInt: optional sign, ASCII digits, 32-bit range. */
function javaParseInt(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= -(2 ** 31) && value < 2 ** 31 ? value : undefined;
}

/**
 * Parses a `cidr` operand, or returns AWS's complaint about it (these texts carry no JSON location).
 *
 * The range runs from the address as written to that address with every host bit set: AWS does not clear the
 * host bits, so `10.0.0.5/24` covers 10.0.0.5–10.0.0.255, and a full-length mask is refused.
 */
export function parseCidr(text: string): IpRange | string {
  const parts = javaSplit(text, "/");
  if (parts.length !== 2) return "Malformed CIDR, one '/' required";
  const [address = "", maskText = ""] = parts;
  const mask = javaParseInt(maskText);
  if (mask === undefined) return "Malformed CIDR, mask bits must be an integer";
  if (mask < 0) return "Malformed CIDR, mask bits must not be negative";
  const parsed = parseIp(address);
  if (parsed.kind === "notIp") return `Nonstandard IP address: ${address}`;
  if (parsed.kind === "invalid") return `Invalid IP address: ${address}`;
  const low = parsed.bytes;
  if (low.length === 4 && mask > 31) return "IPv4 mask bits must be < 32";
  if (low.length === 16 && mask > 127) return "IPv6 mask bits must be < 128";
  let hostBits = low.length * 8 - mask;
  const high = [...low];
  for (let i = high.length - 1; i >= 0 && hostBits > 0; i--, hostBits -= 8) {
    high[i] = high[i]! | (hostBits >= 8 ? 0xff : (1 << hostBits) - 1);
  }
  return { low, high };
}

const compareBytes = (a: IpBytes, b: IpBytes): number => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
};

export const inIpRange = (address: IpBytes, range: IpRange): boolean =>
  address.length === range.low.length && compareBytes(address, range.low) >= 0 && compareBytes(address, range.high) <= 0;

export const sameIp = (a: IpBytes, b: IpBytes): boolean => a.length === b.length && compareBytes(a, b) === 0;
