/**
 * Jackson (the Java SDK's CBOR writer, also the KCL's and KPL's) writes text longer than ~4,000
 * characters as an indefinite-length (chunked) string, which cborg does not read. This rewrites every
 * chunked byte or text string of a CBOR item as one definite-length string, copying everything else
 * byte for byte; undefined when the bytes are not well-formed CBOR.
 */

/** A position past the input or a malformed head: the walk stops. */
const MALFORMED = -1;

export function joinChunkedStrings(bytes: Uint8Array): Uint8Array | undefined {
  const out: Uint8Array[] = [];
  /** The head at `pos`: major type, additional info, its argument and where the content starts. */
  const head = (pos: number) => {
    if (pos >= bytes.length) return undefined;
    const first = bytes[pos]!;
    const major = first >> 5;
    const info = first & 31;
    if (info < 24) return { major, info, arg: info, next: pos + 1 };
    if (info === 31) return { major, info, arg: 0, next: pos + 1 };
    if (info > 27) return undefined; // reserved additional information
    const size = 1 << (info - 24);
    if (pos + size >= bytes.length) return undefined;
    let arg = 0;
    for (let i = 1; i <= size; i++) arg = arg * 256 + bytes[pos + i]!;
    return { major, info, arg, next: pos + 1 + size };
  };
  const isBreak = (pos: number) => pos < bytes.length && bytes[pos] === 0xff;
  /** Copies the item at `pos` and returns where the next one starts, or MALFORMED. */
  const copy = (pos: number): number => {
    const item = head(pos);
    if (!item) return MALFORMED;
    const { major, info, arg, next } = item;
    if (major === 2 || major === 3) {
      if (info !== 31) {
        if (next + arg > bytes.length) return MALFORMED;
        out.push(bytes.subarray(pos, next + arg));
        return next + arg;
      }
      const chunks: Uint8Array[] = [];
      let p = next;
      while (!isBreak(p)) {
        const chunk = head(p);
        if (!chunk || chunk.major !== major || chunk.info === 31 || chunk.next + chunk.arg > bytes.length) return MALFORMED;
        chunks.push(bytes.subarray(chunk.next, chunk.next + chunk.arg));
        p = chunk.next + chunk.arg;
      }
      out.push(
        definiteHead(
          major,
          chunks.reduce((n, c) => n + c.length, 0),
        ),
        ...chunks,
      );
      return p + 1;
    }
    out.push(bytes.subarray(pos, next));
    if (major === 4 || major === 5) {
      let p = next;
      if (info === 31) {
        while (!isBreak(p)) {
          p = copy(p);
          if (p === MALFORMED) return MALFORMED;
        }
        out.push(Uint8Array.of(0xff));
        return p + 1;
      }
      for (let i = 0; i < arg * (major === 5 ? 2 : 1) && p !== MALFORMED; i++) p = copy(p);
      return p;
    }
    if (major === 6) return copy(next);
    if (major === 7 && info === 31) return MALFORMED; // a break outside an indefinite-length item
    return next;
  };
  let pos = 0;
  while (pos < bytes.length) {
    pos = copy(pos);
    if (pos === MALFORMED) return undefined;
  }
  const joined = new Uint8Array(out.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of out) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
}

function definiteHead(major: number, length: number): Uint8Array {
  if (length < 24) return Uint8Array.of((major << 5) | length);
  if (length < 0x100) return Uint8Array.of((major << 5) | 24, length);
  if (length < 0x10000) return Uint8Array.of((major << 5) | 25, length >> 8, length & 0xff);
  return Uint8Array.of((major << 5) | 26, length >>> 24, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff);
}
