/**
 * S3's XML: documents written from nested values (services/s3/wire.ts `XmlElement`) with S3's
 * namespace on the root, and request bodies read with fast-xml-parser.
 */
import { XMLParser } from "fast-xml-parser";
import { fail, ok, type Result } from "../../domain/errors";
import { malformedXml } from "../../domain/s3/errors";
import type { XmlElement, XmlValue } from "../../services/s3/wire";
import { escapeXml } from "../xml";

export const S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

function writeValue(name: string, value: XmlValue, out: string[]): void {
  if (value === undefined) return;
  if (Array.isArray(value)) {
    for (const item of value) writeValue(name, item, out);
    return;
  }
  if (typeof value === "object") {
    out.push(`<${name}>`);
    for (const [child, v] of Object.entries(value)) writeValue(child, v, out);
    out.push(`</${name}>`);
    return;
  }
  out.push(`<${name}>${escapeXml(String(value))}</${name}>`);
}

/** `{ Root: {...} }` as a document with the S3 namespace on Root. */
export function writeXmlDocument(document: XmlElement, namespace: string | undefined = S3_NAMESPACE): string {
  const [root, value] = Object.entries(document)[0]!;
  const out: string[] = [XML_DECLARATION, "\n"];
  const inner: string[] = [];
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [child, v] of Object.entries(value)) writeValue(child, v, inner);
  } else if (value !== undefined) {
    inner.push(escapeXml(String(value)));
  }
  out.push(namespace ? `<${root} xmlns="${namespace}">` : `<${root}>`, ...inner, `</${root}>`);
  return out.join("");
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
});

/** A request body as XML (empty: undefined); not well-formed: MalformedXML. */
export function parseXml(text: string): Result<Record<string, unknown> | undefined> {
  if (text.trim() === "") return ok(undefined);
  try {
    const parsed = parser.parse(text, true) as Record<string, unknown>;
    return ok(parsed);
  } catch {
    return fail(malformedXml());
  }
}
