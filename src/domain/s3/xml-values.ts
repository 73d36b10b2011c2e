/**
 * Reading request documents as fast-xml-parser gives them (src/protocol/s3/xml.ts): an element is a
 * string (text, "" when empty), an object (children), or an array (the element repeated). These
 * helpers say which, so the setting readers (tagging, CORS, lifecycle…) stay short.
 */

export type XmlNode = Record<string, unknown>;

/** A repeated (or single, or absent) element as a list. */
export const listOf = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** An element with children; an empty element (`<Filter/>`) is an element with none. */
export function nodeOf(value: unknown): XmlNode | undefined {
  if (value === "") return {};
  if (value !== null && typeof value === "object" && !Array.isArray(value)) return value as XmlNode;
  return undefined;
}

/** An element's text, when it is a single text element. */
export const textOf = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** The only child named `name` (undefined when absent), or `"repeated"` when it appears more than once. */
export const singleChild = (node: XmlNode, name: string): unknown => (Array.isArray(node[name]) ? "repeated" : node[name]);

/** The root element of a parsed document, when the document's root is `root`. */
export function rootOf(document: Record<string, unknown> | undefined, root: string): XmlNode | undefined {
  if (document === undefined) return undefined;
  return nodeOf(document[root]);
}
