/**
 * Tag checks shared by AddTagsToStream, CreateStream and TagResource: characters AWS accepts in
 * keys and values (its own wording, recorded by kinesalite), and the 50-tags-per-resource quota.
 */
import type { Problem } from "../errors";
import { invalidArgument } from "./errors";

/** Unicode letters, digits, white space and `_ . / = + - % @` (kinesalite's reading of AWS). */
const INVALID_TAG_CHARACTER = /[^\u00C0-\u1FFF\u2C00-\uD7FF\w./\-=+_ @%]/;

export const MAX_TAGS_PER_RESOURCE = 50;

/**
 * InvalidArgumentException for tags AWS refuses. `%` passes the first check but is then refused
 * with the operation's own message (`action` is e.g. "add tags to", `resource` e.g. "stream s under
 * account 1").
 */
export function checkTagCharacters(strings: string[], action: string, resource: string): Problem {
  if (strings.some((s) => INVALID_TAG_CHARACTER.test(s)))
    return invalidArgument(
      "Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = + - % @.",
    );
  if (strings.some((s) => s.includes("%")))
    return invalidArgument(
      `Failed to ${action} ${resource} because some tags contained illegal characters. ` +
        "The allowed characters are Unicode letters, white-spaces, '_',',','/','=','+','-','@'.",
    );
  return undefined;
}

export const tagLimitMessage = (action: string, resource: string, kind = "stream") =>
  `Failed to ${action} ${resource} because a given ${kind} cannot have more than ${MAX_TAGS_PER_RESOURCE} tags associated with it.`;
