/**
 * The `aws-chunked` content encoding, decoded as it streams: each chunk is
 * `<hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n`, the last has size 0 and is followed by
 * trailing headers (`x-amz-checksum-crc32:<base64>\r\n`, optionally `x-amz-trailer-signature:<sig>`)
 * and an empty line. The decoder passes chunk bytes through as views of what arrived (never
 * buffering the body), checks chunk signatures when given a signing context, and records what went
 * wrong instead of throwing at the reader: the service asks `finish()` after the body was consumed.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { fail, ok, type Result } from "../../domain/errors";
import { incompleteBody, invalidChunkEncoding, signatureDoesNotMatch, type S3ErrorInfo } from "../../domain/s3/errors";
import { constantTimeEqual } from "../sigv4";
import { chunkSignature, trailerSignature, type SigningContext } from "./signature";

/** Longest chunk header or trailer line accepted (a size, an extension, a signature: far less). */
const MAX_LINE = 4096;

export interface ChunkSigning {
  context: SigningContext;
  /** The request's own signature: the first chunk's chains from it. */
  seed: string;
  accessKeyId: string;
}

type State = "header" | "data" | "data-end" | "trailer" | "done";

export class AwsChunkedDecoder {
  #state: State = "header";
  #line: number[] = [];
  #remaining = 0;
  #chunkSignature: string | undefined;
  #hash: ReturnType<typeof sha256.create> | undefined;
  #previous: string;
  #problem: S3ErrorInfo | undefined;
  readonly #trailers = new Map<string, string>();
  #trailerText = "";
  #trailerSignature: string | undefined;
  decoded = 0;

  constructor(
    private readonly signing: ChunkSigning | undefined,
    private readonly decodedLength: number | undefined,
  ) {
    this.#previous = signing?.seed ?? "";
  }

  /**
   * Decodes the next bytes of the body; `emit` receives views of `bytes` (copy them, or be done with
   * them, before `bytes` is reused). Returns the problem once the framing or a signature is wrong.
   */
  push(bytes: Uint8Array, emit: (view: Uint8Array) => void): S3ErrorInfo | undefined {
    return this.#push(bytes, emit);
  }

  /** The body ended: whether the framing was complete. */
  end(): S3ErrorInfo | undefined {
    return this.#end();
  }

  /** After the stream ended (or failed): the trailers, or what was wrong with the body. */
  finish(): Result<Map<string, string>> {
    if (this.#problem) return fail(this.#problem);
    if (this.#state !== "done") return fail(incompleteBody());
    return ok(this.#trailers);
  }

  #fail(problem: S3ErrorInfo): S3ErrorInfo {
    this.#problem ??= problem;
    return this.#problem;
  }

  #push(bytes: Uint8Array, emit: (view: Uint8Array) => void): S3ErrorInfo | undefined {
    if (this.#problem) return this.#problem;
    let i = 0;
    while (i < bytes.length) {
      if (this.#state === "data") {
        const n = Math.min(this.#remaining, bytes.length - i);
        const view = bytes.subarray(i, i + n);
        this.#hash?.update(view);
        this.decoded += n;
        if (this.decodedLength !== undefined && this.decoded > this.decodedLength) return this.#fail(incompleteBody());
        emit(view);
        this.#remaining -= n;
        i += n;
        if (this.#remaining === 0) {
          const problem = this.#chunkDone();
          if (problem) return problem;
          this.#state = "data-end";
        }
        continue;
      }
      if (this.#state === "done") {
        // Bytes after the final empty line: not aws-chunked.
        return this.#fail(invalidChunkEncoding());
      }
      const byte = bytes[i++]!;
      this.#line.push(byte);
      if (this.#line.length > MAX_LINE) return this.#fail(invalidChunkEncoding());
      const n = this.#line.length;
      if (n >= 2 && this.#line[n - 2] === 0x0d && this.#line[n - 1] === 0x0a) {
        const line = String.fromCharCode(...this.#line.slice(0, n - 2));
        this.#line = [];
        const problem = this.#lineDone(line);
        if (problem) return problem;
      }
    }
    return undefined;
  }

  #lineDone(line: string): S3ErrorInfo | undefined {
    if (this.#state === "data-end") {
      if (line !== "") return this.#fail(invalidChunkEncoding());
      this.#state = "header";
      return undefined;
    }
    if (this.#state === "header") {
      const [sizeText, ...extensions] = line.split(";");
      if (!sizeText || !/^[0-9a-fA-F]{1,16}$/.test(sizeText.trim())) return this.#fail(invalidChunkEncoding());
      const size = parseInt(sizeText.trim(), 16);
      this.#chunkSignature = extensions
        .map((e) => e.trim())
        .find((e) => e.startsWith("chunk-signature="))
        ?.slice(16);
      if (this.signing && !this.#chunkSignature) return this.#fail(signatureDoesNotMatch(this.signing.accessKeyId));
      this.#hash = this.signing ? sha256.create() : undefined;
      if (size === 0) {
        const problem = this.#chunkDone();
        if (problem) return problem;
        this.#state = "trailer";
        return undefined;
      }
      this.#remaining = size;
      this.#state = "data";
      return undefined;
    }
    // Trailer section: header lines until an empty one.
    if (line === "") return this.#trailersDone();
    const colon = line.indexOf(":");
    if (colon <= 0) return this.#fail(invalidChunkEncoding());
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "x-amz-trailer-signature") this.#trailerSignature = value;
    else {
      this.#trailers.set(name, value);
      this.#trailerText += `${name}:${value}\n`;
    }
    return undefined;
  }

  #chunkDone(): S3ErrorInfo | undefined {
    if (!this.signing || !this.#hash) return undefined;
    const expected = chunkSignature(this.signing.context, this.#previous, bytesToHex(this.#hash.digest()));
    if (!constantTimeEqual(expected, this.#chunkSignature ?? ""))
      return this.#fail(signatureDoesNotMatch(this.signing.accessKeyId));
    this.#previous = expected;
    return undefined;
  }

  #trailersDone(): S3ErrorInfo | undefined {
    if (this.signing && this.#trailers.size > 0) {
      const expected = trailerSignature(this.signing.context, this.#previous, this.#trailerText);
      if (!constantTimeEqual(expected, this.#trailerSignature ?? ""))
        return this.#fail(signatureDoesNotMatch(this.signing.accessKeyId));
    }
    if (this.decodedLength !== undefined && this.decoded !== this.decodedLength) return this.#fail(incompleteBody());
    this.#state = "done";
    return undefined;
  }

  #end(): S3ErrorInfo | undefined {
    if (this.#problem) return this.#problem;
    // Some clients end the final chunk without the empty line (no trailers): accept that one lapse.
    if (this.#state === "trailer" && this.#line.length === 0 && this.#trailers.size === 0) {
      const problem = this.#trailersDone();
      if (problem) return problem;
    }
    if (this.#state !== "done") return this.#fail(incompleteBody());
    return undefined;
  }
}
