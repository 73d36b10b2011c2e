/**
 * Tags and resource policies of a stream and of its consumers, over the stream's storage. A consumer
 * is named by its ARN (TagResource, PutResourcePolicy…) and must exist in the consumers table.
 */
import { fail, ok, type ErrorInfo, type Result } from "../../domain/errors";
import { invalidArgument, resourceNotFound } from "../../domain/kinesis/errors";
import { MAX_TAGS_PER_RESOURCE } from "../../domain/kinesis/tag-rules";
import type { StreamStore } from "./store";

/** The stream (null) or the consumer (its name) a call names; not found when either is missing. */
export function tagTarget(store: StreamStore, consumerArn: string | undefined, notFound: () => ErrorInfo): Result<string | null> {
  if (!store.state) return fail(notFound());
  if (consumerArn === undefined) return ok(null);
  const consumer = store.consumerByArn(consumerArn);
  return consumer === undefined ? fail(resourceNotFound(`Consumer ${consumerArn} not found.`)) : ok(consumer);
}

export const readTags = (store: StreamStore, consumer: string | null): Record<string, string> =>
  consumer === null ? store.tags() : store.consumerTags(consumer);

/** Adds and removes tags; at most 50 per resource afterwards (`limitMessage`: the operation's wording). */
export function writeTags(
  store: StreamStore,
  consumer: string | null,
  change: { set: Record<string, string>; remove: string[]; limitMessage: string },
): Result<null> {
  const after = new Set([...Object.keys(readTags(store, consumer)), ...Object.keys(change.set)]);
  for (const key of change.remove) after.delete(key);
  if (after.size > MAX_TAGS_PER_RESOURCE) return fail(invalidArgument(change.limitMessage));
  if (consumer === null) store.setTags(change.set, change.remove);
  else store.setConsumerTags(consumer, change.set, change.remove);
  return ok(null);
}

/** Reads, replaces or (with `policy: undefined`) deletes the policy of the stream or a consumer. */
export function resourcePolicy(
  store: StreamStore,
  consumer: string | null,
  update?: { policy: string | undefined },
): string | undefined {
  const state = store.state!;
  const key = consumer ?? "";
  if (update) {
    const policies = { ...(state.policies ?? {}) };
    if (update.policy === undefined) delete policies[key];
    else policies[key] = update.policy;
    store.save({ ...state, policies });
  }
  return store.state!.policies?.[key];
}
