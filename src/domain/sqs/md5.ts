/**
 * The MD5 digests SQS returns with every sent and received message. Clients check them (the JS SDK
 * throws "Invalid MD5 checksum on messages", the Java SDK likewise), so they must be exact.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
 */
import { md5 } from "@noble/hashes/legacy.js";
import { bytesToHex } from "@noble/hashes/utils.js";

// @noble/hashes (audited, dependency-free) rather than node:crypto: for the short inputs SQS hashes,
// its JIT-compiled MD5 costs a fraction of node:crypto's per-call overhead inside workerd.
const utf8 = new TextEncoder();

export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

export const md5Hex = (data: string | Uint8Array): string => bytesToHex(md5(typeof data === "string" ? utf8.encode(data) : data));

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
  const hash = md5.create();
  for (const name of names) {
    const value = attributes![name]!;
    hash.update(lengthPrefixed(utf8.encode(name)));
    hash.update(lengthPrefixed(utf8.encode(value.DataType)));
    if (value.BinaryValue !== undefined) {
      hash.update(Uint8Array.of(2));
      hash.update(lengthPrefixed(value.BinaryValue));
    } else {
      hash.update(Uint8Array.of(1));
      hash.update(lengthPrefixed(utf8.encode(value.StringValue ?? "")));
    }
  }
  return bytesToHex(hash.digest());
}
