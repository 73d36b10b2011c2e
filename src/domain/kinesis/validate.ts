/**
 * Coral-style input checks for Kinesis: each failed constraint becomes one entry of a single
 * ValidationException (`2 validation errors detected: …; …`), in the order the members are checked,
 * at most 10 (as AWS reports). Type errors are the codec's; these are the model's constraints.
 */
import type { Problem } from "../errors";
import { validationError, type ConstraintViolation } from "./errors";

export const NAME_PATTERN = "[a-zA-Z0-9_.-]+";
export const STREAM_ARN_PATTERN = "arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+";
export const HASH_KEY_PATTERN = "0|([1-9]\\d{0,38})";
export const SEQUENCE_NUMBER_PATTERN = "0|([1-9]\\d{0,128})";

const MAX_VIOLATIONS = 10;

/** Compiled once per pattern: the data plane checks every record against the same few. */
const compiled = new Map<string, RegExp>();
function matches(pattern: string, value: string): boolean {
  let re = compiled.get(pattern);
  if (!re) compiled.set(pattern, (re = new RegExp(`^(?:${pattern})$`, "u")));
  return re.test(value);
}

/** Characters as Java counts them (UTF-16 code units), which is what AWS's length limits count. */
const lengthOf = (value: string) => value.length;

/** How Coral prints a ByteBuffer value in a violation. */
export const blobValue = (bytes: number): string => `java.nio.HeapByteBuffer[pos=0 lim=${bytes} cap=${bytes}]`;

export class Checks {
  readonly #violations: ConstraintViolation[] = [];

  #add(value: unknown, path: string, constraint: string): void {
    if (this.#violations.length < MAX_VIOLATIONS) this.#violations.push({ value, path, constraint });
  }

  required(value: unknown, path: string): this {
    if (value === undefined || value === null) this.#add(null, path, "Member must not be null");
    return this;
  }

  /** Minimum and maximum of a number. */
  range(value: unknown, path: string, min?: number, max?: number): this {
    if (typeof value !== "number") return this;
    if (min !== undefined && value < min) this.#add(value, path, `Member must have value greater than or equal to ${min}`);
    if (max !== undefined && value > max) this.#add(value, path, `Member must have value less than or equal to ${max}`);
    return this;
  }

  /** Pattern, then length, as Coral lists them for a string member. */
  string(value: unknown, path: string, rules: { pattern?: string; min?: number; max?: number }): this {
    if (typeof value !== "string") return this;
    if (rules.pattern !== undefined && !matches(rules.pattern, value))
      this.#add(value, path, `Member must satisfy regular expression pattern: ${rules.pattern}`);
    if (rules.min !== undefined && lengthOf(value) < rules.min)
      this.#add(value, path, `Member must have length greater than or equal to ${rules.min}`);
    if (rules.max !== undefined && lengthOf(value) > rules.max)
      this.#add(value, path, `Member must have length less than or equal to ${rules.max}`);
    return this;
  }

  /** StreamName, ConsumerName, ShardId: `[a-zA-Z0-9_.-]+`, 1..128. */
  name(value: unknown, path: string): this {
    return this.string(value, path, { pattern: NAME_PATTERN, min: 1, max: 128 });
  }

  /** StreamARN: 1..2048, then the pattern (the order AWS reports them in, unlike other strings). */
  streamArn(value: unknown, path: string): this {
    return this.string(value, path, { min: 1, max: 2048 }).string(value, path, { pattern: STREAM_ARN_PATTERN });
  }

  /** The size of a blob, printed as Coral prints a ByteBuffer. */
  blob(value: unknown, path: string, max: number): this {
    if (value instanceof Uint8Array && value.length > max)
      this.#add(blobValue(value.length), path, `Member must have length less than or equal to ${max}`);
    return this;
  }

  oneOf(value: unknown, path: string, values: readonly string[]): this {
    if (typeof value === "string" && !values.includes(value))
      this.#add(value, path, `Member must satisfy enum value set: [${values.join(", ")}]`);
    return this;
  }

  /** Number of entries of a list or map; `rendered` prints the value when Java's toString is not ours. */
  size(value: unknown, path: string, min?: number, max?: number, rendered?: () => string): this {
    if (value === undefined || value === null || typeof value !== "object") return this;
    const n = Array.isArray(value) ? value.length : Object.keys(value).length;
    const shown = () => (rendered ? rendered() : render(value));
    if (min !== undefined && n < min) this.#add(shown(), path, `Member must have length greater than or equal to ${min}`);
    if (max !== undefined && n > max) this.#add(shown(), path, `Member must have length less than or equal to ${max}`);
    return this;
  }

  /** Key and value lengths of a tag map (AWS words these two constraints specially). */
  tagMap(value: unknown, path: string): this {
    if (value === undefined || value === null || typeof value !== "object" || Array.isArray(value)) return this;
    const entries: [string, unknown][] = Object.entries(value);
    if (entries.some(([k]) => k.length < 1 || k.length > 128))
      this.#add(
        render(value),
        path,
        "Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1]",
      );
    if (entries.some(([, v]) => typeof v === "string" && v.length > 256))
      this.#add(
        render(value),
        path,
        "Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must have length greater than or equal to 0]",
      );
    return this;
  }

  /** Each string of a list: 1..max characters. */
  memberLengths(value: unknown, path: string, min: number, max: number): this {
    if (!Array.isArray(value)) return this;
    if (value.some((v) => typeof v === "string" && (v.length < min || v.length > max)))
      this.#add(
        render(value),
        path,
        `Member must satisfy constraint: [Member must have length less than or equal to ${max}, Member must have length greater than or equal to ${min}]`,
      );
    return this;
  }

  /** The collected ValidationException, if any (`if (problem) return fail(problem)`). */
  done(): Problem {
    return this.#violations.length ? validationError(this.#violations) : undefined;
  }
}

/** Java's toString of a list or map, as Coral prints offending collections. */
function render(value: object): string {
  if (Array.isArray(value)) return `[${value.join(", ")}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(", ")}}`;
}

export const checks = (): Checks => new Checks();

/** `value` as the member of an enum it is (once `oneOf` has refused any other), or undefined when absent. */
export const enumMember = <T extends string>(values: readonly T[], value: string | undefined): T | undefined =>
  values.find((v) => v === value);
