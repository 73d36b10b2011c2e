import { describe, expect, it } from "vitest";
import type { AttributeValue, Item } from "../../src/domain/dynamodb/contract";
import {
  typeOf,
  validateAttributeValue,
  validateIndexKeys,
  validateItem,
  validateItemKey,
  validateKey,
  type AttributeDefinition,
  type KeySchemaElement,
} from "../../src/domain/dynamodb/values";
import {
  capacityUnits,
  itemSize,
  itemSizeProblem,
  MAX_ITEM_BYTES,
  numberSize,
  utf8Length,
  valueSize,
} from "../../src/domain/dynamodb/item-size";

const bytes = (...values: number[]) => new Uint8Array(values);
const messageOf = (value: AttributeValue, placeholder?: string) =>
  validateAttributeValue(value, placeholder === undefined ? {} : { expressionAttributeValue: placeholder })?.message;
const INVALID = "One or more parameter values were invalid: ";

describe("attribute values", () => {
  it("accept every type, empty strings and binaries included", () => {
    const values: AttributeValue[] = [
      { S: "" },
      { S: "a" },
      { N: "1" },
      { B: bytes() },
      { B: bytes(1, 2) },
      { BOOL: false },
      { NULL: true },
      { M: {} },
      { L: [] },
      { SS: [""] },
      { NS: ["1", "2"] },
      { BS: [bytes()] },
      { M: { a: { L: [{ S: "" }, { NULL: true }] } } },
    ];
    for (const v of values) expect(validateAttributeValue(v), JSON.stringify(v)).toBeUndefined();
  });

  it("need exactly one type", () => {
    const empty = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
    for (const v of [{}, { a: "" }, { M: { a: {} } }, { L: [{}] }, { L: [{ a: {} }] }, { S: null }])
      expect(messageOf(v as unknown as AttributeValue)).toBe(empty);
    expect(messageOf({ S: "a", N: "1" } as unknown as AttributeValue)).toBe(
      "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
    );
    // every member is checked before the count, as AWS does
    expect(messageOf({ S: "a", N: "b" } as unknown as AttributeValue)).toBe("A value provided cannot be converted into a number");
  });

  it("refuse NULL other than true, empty sets and duplicates, with AWS's texts", () => {
    expect(messageOf({ NULL: false } as unknown as AttributeValue)).toBe(
      `${INVALID}Null attribute value types must have the value of true`,
    );
    expect(messageOf({ SS: [] })).toBe(`${INVALID}An string set  may not be empty`);
    expect(messageOf({ NS: [] })).toBe(`${INVALID}An number set  may not be empty`);
    expect(messageOf({ BS: [] })).toBe(`${INVALID}Binary sets should not be empty`);
    expect(messageOf({ SS: ["a", "a"] })).toBe(`${INVALID}Input collection [a, a] contains duplicates.`);
    expect(messageOf({ BS: [bytes(0x62), bytes(0x62)] })).toBe(
      `${INVALID}Input collection [Yg==, Yg==]of type BS contains duplicates.`,
    );
    expect(messageOf({ NS: ["1", "1"] })).toBe("Input collection contains duplicates");
    // the same number spelled twice is a duplicate
    expect(messageOf({ NS: ["1", "1.0"] })).toBe("Input collection contains duplicates");
    expect(messageOf({ NS: ["1", "b"] })).toBe("A value provided cannot be converted into a number");
    expect(messageOf({ NS: ["1", ""] })).toBe("A value provided cannot be converted into a number");
  });

  it("check numbers, nested ones too, and normalize them in place", () => {
    expect(messageOf({ N: "1e126" })).toBe(
      "Number overflow. Attempting to store a number with magnitude larger than supported range",
    );
    expect(messageOf({ M: { a: { L: [{ N: "1e-131" }] } } })).toBe(
      "Number underflow. Attempting to store a number with magnitude smaller than supported range",
    );
    expect(messageOf({ L: [{ N: "1".repeat(39) }] })).toBe("Attempting to store more than 38 significant digits in a Number");
    const value: AttributeValue = { M: { n: { N: "1.50" }, s: { NS: ["+5", "1e3"] }, l: { L: [{ N: "-0" }] } } };
    expect(validateAttributeValue(value)).toBeUndefined();
    expect(value).toEqual({ M: { n: { N: "1.5" }, s: { NS: ["5", "1000"] }, l: { L: [{ N: "0" }] } } });
  });

  it("nest 32 levels, the attribute itself the first", () => {
    const deep = (wraps: number): AttributeValue => {
      let v: AttributeValue = { S: "leaf" };
      for (let i = 0; i < wraps; i++) v = i % 2 ? { M: { n: v } } : { L: [v] };
      return v;
    };
    expect(validateAttributeValue(deep(31))).toBeUndefined();
    expect(messageOf(deep(32))).toBe(
      "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit",
    );
  });

  it("name the ExpressionAttributeValues placeholder as AWS does", () => {
    expect(messageOf({ SS: [] }, ":b")).toBe(
      `ExpressionAttributeValues contains invalid value: ${INVALID}An string set  may not be empty for key :b`,
    );
    expect(messageOf({} as AttributeValue, ":b")).toBe(
      "ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key :b",
    );
  });

  it("validateItem checks each attribute and normalizes in place", () => {
    const item: Item = { a: { S: "x" }, n: { N: "0.000" } };
    expect(validateItem(item)).toBeUndefined();
    expect(item.n).toEqual({ N: "0" });
    expect(validateItem({ a: { S: "x" }, b: { SS: [] } })?.code).toBe("ValidationException");
  });

  it("typeOf names the value's type", () => {
    expect(typeOf({ S: "" })).toBe("S");
    expect(typeOf({ NULL: true })).toBe("NULL");
    expect(typeOf({ BS: [bytes(1)] })).toBe("BS");
  });
});

describe("keys against the schema", () => {
  const hashOnly: KeySchemaElement[] = [{ AttributeName: "a", KeyType: "HASH" }];
  const composite: KeySchemaElement[] = [
    { AttributeName: "b", KeyType: "RANGE" }, // schema order does not matter; HASH is checked first
    { AttributeName: "a", KeyType: "HASH" },
  ];
  const defs: AttributeDefinition[] = [
    { AttributeName: "a", AttributeType: "S" },
    { AttributeName: "b", AttributeType: "B" },
    { AttributeName: "c", AttributeType: "N" },
  ];
  const MISMATCH = "The provided key element does not match the schema";

  it("accept exactly the key attributes, typed as declared", () => {
    expect(validateKey({ a: { S: "x" } }, hashOnly, defs)).toBeUndefined();
    expect(validateKey({ a: { S: "x" }, b: { B: bytes(1) } }, composite, defs)).toBeUndefined();
  });

  it("refuse missing, extra or wrongly typed key attributes", () => {
    const bad: Item[] = [
      {},
      { b: { S: "a" } },
      { a: { S: "a" }, b: { S: "a" } },
      { a: { B: bytes(1) } },
      { a: { N: "1" } },
      { a: { BOOL: true } },
      { a: { NULL: true } },
      { a: { SS: ["a"] } },
      { a: { M: {} } },
      { a: { L: [] } },
    ];
    for (const key of bad) expect(validateKey(key, hashOnly, defs)?.message, JSON.stringify(key)).toBe(MISMATCH);
    expect(validateKey({ a: { S: "a" } }, composite, defs)?.message).toBe(MISMATCH);
    // never a crash on a value that skipped validation
    expect(validateKey({ a: {} as AttributeValue }, hashOnly, defs)?.message).toBe(MISMATCH);
    expect(messageOf(null as unknown as AttributeValue)).toContain("Supplied AttributeValue is empty");
  });

  it("refuse empty and oversized key values (the Key parameter's wording)", () => {
    expect(validateKey({ a: { S: "" } }, hashOnly, defs)?.message).toBe(
      `${INVALID}The AttributeValue for a key attribute cannot contain an empty string value. Key: a`,
    );
    expect(validateKey({ a: { S: "a" }, b: { B: bytes() } }, composite, defs)?.message).toBe(
      `${INVALID}The AttributeValue for a key attribute cannot contain an empty binary value. Key: b`,
    );
    expect(validateKey({ a: { S: "x".repeat(2048) } }, hashOnly, defs)).toBeUndefined();
    expect(validateKey({ a: { S: "x".repeat(2049) } }, hashOnly, defs)?.message).toBe(
      `${INVALID}Size of hashkey has exceeded the maximum size limit of2048 bytes`,
    );
    // the limit is in UTF-8 bytes: 683 × "€" is 2049 bytes
    expect(validateKey({ a: { S: "€".repeat(683) } }, hashOnly, defs)?.message).toContain("Size of hashkey");
    expect(validateKey({ a: { S: "a" }, b: { B: new Uint8Array(1024) } }, composite, defs)).toBeUndefined();
    expect(validateKey({ a: { S: "a" }, b: { B: new Uint8Array(1025) } }, composite, defs)?.message).toBe(
      `${INVALID}Aggregated size of all range keys has exceeded the size limit of 1024 bytes`,
    );
  });

  it("check an item's key attributes (PutItem's wording)", () => {
    expect(validateItemKey({ a: { S: "x" }, z: { S: "" } }, hashOnly, defs)).toBeUndefined();
    expect(validateItemKey({ a: { S: "x" } }, composite, defs)?.message).toBe(`${INVALID}Missing the key b in the item`);
    expect(validateItemKey({ a: { N: "1" } }, hashOnly, defs)?.message).toBe(
      `${INVALID}Type mismatch for key a expected: S actual: N`,
    );
    expect(validateItemKey({ a: { S: "" } }, hashOnly, defs)?.message).toBe(
      "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: a",
    );
    expect(validateItemKey({ a: { S: "a" }, b: { B: bytes() } }, composite, defs)?.message).toBe(
      "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: b",
    );
    expect(validateItemKey({ a: { S: "x".repeat(2049) } }, hashOnly, defs)?.message).toContain("Size of hashkey");
  });

  it("check secondary index keys where present", () => {
    const indexes = [{ IndexName: "index1", KeySchema: [{ AttributeName: "c", KeyType: "HASH" }] }];
    expect(validateIndexKeys({ a: { S: "x" } }, indexes, defs)).toBeUndefined();
    expect(validateIndexKeys({ a: { S: "x" }, c: { N: "1" } }, indexes, defs)).toBeUndefined();
    expect(validateIndexKeys({ a: { S: "x" }, c: { S: "1" } }, indexes, defs)?.message).toBe(
      `${INVALID}Type mismatch for Index Key c Expected: N Actual: S IndexName: index1`,
    );
    const sIndex = [{ IndexName: "gsi", KeySchema: [{ AttributeName: "a", KeyType: "HASH" }] }];
    expect(validateIndexKeys({ a: { S: "" } }, sIndex, defs)?.message).toBe(
      "One or more parameter values are not valid. A value specified for a secondary index key is not supported. " +
        "The AttributeValue for a key attribute cannot contain an empty string value. IndexName: gsi, IndexKey: a",
    );
  });
});

describe("item sizes", () => {
  it("count names and strings in UTF-8", () => {
    expect(utf8Length("a€😀")).toBe(1 + 3 + 4);
    expect(utf8Length("\ud800")).toBe(3);
    expect(itemSize({ é: { S: "ab" } })).toBe(2 + 2);
  });

  it("size numbers as AWS stores them (dynalite's AWS-fitted cases)", () => {
    expect(numberSize("0")).toBe(1);
    expect(numberSize("1" + "0".repeat(125))).toBe(2);
    expect(numberSize("11" + "0".repeat(124))).toBe(2);
    expect(numberSize("11111" + "0".repeat(121))).toBe(4);
    expect(numberSize("111111" + "0".repeat(120))).toBe(4);
    expect(numberSize("1111111" + "0".repeat(119))).toBe(5);
    expect(numberSize("1".repeat(38) + "0".repeat(88))).toBe(20);
    expect(numberSize("-1")).toBe(3);
    // exponent byte + base-100 pairs aligned on the exponent: 12 is one pair, 1.2 is "01" "20"
    expect(numberSize("12")).toBe(2);
    expect(numberSize("1.2")).toBe(3);
    expect(numberSize("123")).toBe(3);
    expect(numberSize("0.5")).toBe(2);
  });

  it("size documents, sets and scalars", () => {
    expect(valueSize({ BOOL: true })).toBe(1);
    expect(valueSize({ NULL: true })).toBe(1);
    expect(valueSize({ B: bytes(1, 2, 3) })).toBe(3);
    expect(valueSize({ SS: ["ab", "c"] })).toBe(3);
    expect(valueSize({ BS: [bytes(1), bytes(1, 2)] })).toBe(3);
    expect(valueSize({ NS: ["1", "-1"] })).toBe(2 + 3);
    expect(valueSize({ L: [] })).toBe(3);
    expect(valueSize({ M: {} })).toBe(3);
    expect(valueSize({ L: [{ S: "ab" }, { BOOL: true }] })).toBe(3 + (1 + 2) + (1 + 1));
    expect(valueSize({ M: { ab: { S: "c" } } })).toBe(3 + 1 + 2 + 1);
  });

  it("allow 400 KB and no more (dynalite's boundary, fitted to AWS)", () => {
    const key = "k".repeat(10);
    const fits: Item = { a: { S: key }, b: { S: "x".repeat(MAX_ITEM_BYTES - key.length - 2) } };
    expect(itemSize(fits)).toBe(MAX_ITEM_BYTES);
    expect(itemSizeProblem(fits)).toBeUndefined();
    const over: Item = { a: { S: key }, b: { S: "x".repeat(MAX_ITEM_BYTES - key.length - 1) } };
    expect(itemSizeProblem(over)?.message).toBe("Item size has exceeded the maximum allowed size");
    expect(itemSizeProblem(over, true)?.message).toBe("Item size to update has exceeded the maximum allowed size");
  });

  it("turn sizes into capacity units", () => {
    expect(capacityUnits(0, "read")).toBe(0.5);
    expect(capacityUnits(4096, "read")).toBe(0.5);
    expect(capacityUnits(4097, "read")).toBe(1);
    expect(capacityUnits(4097, "consistent-read")).toBe(2);
    expect(capacityUnits(100, "transactional-read")).toBe(2);
    expect(capacityUnits(0, "write")).toBe(1);
    expect(capacityUnits(1025, "write")).toBe(2);
    expect(capacityUnits(1025, "transactional-write")).toBe(4);
  });
});
