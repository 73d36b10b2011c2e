/**
 * Minimal XML writing for query-protocol responses. SQS escapes `"` as `&quot;` and carriage returns as
 * `&#xD;` inside text nodes (a CR would otherwise be normalised away by XML parsers and break MD5 checks).
 */
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#xD;" };

export const escapeXml = (text: string): string => text.replace(/[&<>"\r]/g, (c) => ESCAPES[c]!);

export const element = (name: string, inner: string): string => `<${name}>${inner}</${name}>`;

export const XML_DECLARATION = '<?xml version="1.0"?>';
