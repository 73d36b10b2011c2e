/**
 * Item sizes as DynamoDB counts them (the 400 KB item limit, the 1 MB Query/Scan page, consumed
 * capacity): each attribute's name in UTF-8 plus its value's size.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 * Numbers follow dynalite's formula, fitted to AWS's limits byte for byte (its "item is too big with
 * …number attribute" tests): numbers are stored in base 100, two digits a byte, aligned on the exponent.
 */
import type { AttributeValue, Item } from "./contract";
import { validation } from "./errors";
import type { Problem } from "../errors";
import { parseNumber } from "./numbers";

export const MAX_ITEM_BYTES = 400 * 1024;

/** UTF-8 bytes of a string without encoding it (a lone surrogate counts as U+FFFD, as TextEncoder writes it). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

export const binaryLength = (bytes: Uint8Array) => bytes.byteLength;

/**
 * A number's stored size: one byte of exponent, one per base-100 digit pair (the first pair holds one
 * digit when the exponent is even), and one terminator byte for negatives; zero is one byte.
 */
export function numberSize(text: string): number {
  const parsed = parseNumber(text);
  if (!parsed.ok) return utf8Length(text); // unvalidated input: sized as text rather than refused here
  const { sign, digits, exponent } = parsed.value;
  if (sign === 0) return 1;
  const leadingSingle = exponent % 2 === 0 ? 1 : 0;
  const pairs = Math.ceil((digits.length + leadingSingle) / 2);
  return 1 + pairs + (sign < 0 ? 1 : 0);
}

const sumOf = <T>(members: T[], size: (member: T) => number) => members.reduce((total, member) => total + size(member), 0);

/** A value's size without its attribute name. */
export function valueSize(value: AttributeValue): number {
  if ("S" in value) return utf8Length(value.S);
  if ("N" in value) return numberSize(value.N);
  if ("B" in value) return binaryLength(value.B);
  if ("BOOL" in value || "NULL" in value) return 1;
  if ("SS" in value) return sumOf(value.SS, utf8Length);
  if ("NS" in value) return sumOf(value.NS, numberSize);
  if ("BS" in value) return sumOf(value.BS, binaryLength);
  // A document costs 3 bytes whatever it holds, plus 1 byte for each element.
  if ("L" in value) return 3 + sumOf(value.L, (member) => 1 + valueSize(member));
  if ("M" in value) return 3 + sumOf(Object.entries(value.M), ([name, member]) => 1 + utf8Length(name) + valueSize(member));
  return 0;
}

export function itemSize(item: Item): number {
  return sumOf(Object.entries(item), ([name, value]) => utf8Length(name) + valueSize(value));
}

/** The 400 KB limit; UpdateItem words it for the item as updated. */
export function itemSizeProblem(item: Item, update = false): Problem {
  if (itemSize(item) <= MAX_ITEM_BYTES) return undefined;
  return validation(
    update ? "Item size to update has exceeded the maximum allowed size" : "Item size has exceeded the maximum allowed size",
  );
}

/**
 * What a read or write of `size` bytes consumes (ReturnConsumedCapacity): reads in 4 KB units (half
 * for eventually consistent reads), writes in 1 KB units, transactions twice either; never less than
 * one unit, as a read of a missing item still costs one. Query and Scan pass the sum of what they read.
 */
export type CapacityKind = "read" | "consistent-read" | "transactional-read" | "write" | "transactional-write";

export function capacityUnits(size: number, kind: CapacityKind): number {
  const isRead = kind === "read" || kind === "consistent-read" || kind === "transactional-read";
  const units = Math.max(1, Math.ceil(size / (isRead ? 4096 : 1024)));
  if (kind === "read") return units / 2;
  if (kind === "transactional-read" || kind === "transactional-write") return units * 2;
  return units;
}
