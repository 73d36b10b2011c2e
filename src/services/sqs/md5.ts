/**
 * The MD5 digests SQS returns with every sent and received message. Clients check them (the JS SDK
 * throws "Invalid MD5 checksum on messages", the Java SDK likewise), so they must be exact.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
 */
import { createHash } from "node:crypto";
import { Buffer } from "node:buffer";

export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

export const md5Hex = (data: string | Uint8Array): string => createHash("md5").update(data).digest("hex");

/** Big-endian 4-byte length followed by the bytes. */
function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

/**
 * Attributes sorted by name; per attribute: name, data type, a transport byte (1 = string, 2 = binary)
 * and the value, each length-prefixed. Undefined when there are no attributes (AWS omits the member).
 */
export function md5OfAttributes(attributes: Record<string, AttributeValue> | undefined): string | undefined {
  const names = Object.keys(attributes ?? {}).sort();
  if (!names.length) return undefined;
  const hash = createHash("md5");
  for (const name of names) {
    const value = attributes![name]!;
    hash.update(lengthPrefixed(Buffer.from(name, "utf8")));
    hash.update(lengthPrefixed(Buffer.from(value.DataType, "utf8")));
    if (value.BinaryValue !== undefined) {
      hash.update(Uint8Array.of(2));
      hash.update(lengthPrefixed(value.BinaryValue));
    } else {
      hash.update(Uint8Array.of(1));
      hash.update(lengthPrefixed(Buffer.from(value.StringValue ?? "", "utf8")));
    }
  }
  return hash.digest("hex");
}
