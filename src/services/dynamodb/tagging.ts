/**
 * TagResource, UntagResource, ListTagsOfResource on tables (by table ARN): 50 tags per table.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TagResource.html
 */
import { fail, ok, type Result } from "../../domain/errors";
import { validation } from "../../domain/dynamodb/errors";
import type { TableView } from "../../durable/table-object";
import type { DynamoHandler, DynamoHandlers } from "./context";
import { resolveResourceArn, tableStub } from "./names";

/** Tags of CreateTable or TagResource, with DynamoDB's rules on keys and values. */
export function tagsOf(tags: { Key: string; Value: string }[]): Result<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of tags) {
    if (t.Key.length < 1 || t.Key.length > 128)
      return fail(validation("One or more parameter values were invalid: Tag key length must be between 1 and 128"));
    if (t.Value.length > 256)
      return fail(validation("One or more parameter values were invalid: Tag value length must be between 0 and 256"));
    if (t.Key.startsWith("aws:"))
      return fail(validation("One or more parameter values were invalid: Tag key cannot start with the reserved prefix aws:"));
    out[t.Key] = t.Value;
  }
  return ok(out);
}

const tagResource: DynamoHandler<"TagResource"> = async (ctx, input) => {
  const ref = resolveResourceArn(ctx, input.ResourceArn);
  if (!ref.ok) return ref;
  if (!input.Tags.length)
    return fail(
      validation(
        "1 validation error detected: Value '[]' at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1",
      ),
    );
  const tags = tagsOf(input.Tags);
  if (!tags.ok) return tags;
  const done = (await tableStub(ctx, ref.value).settings({ kind: "tag", add: tags.value, remove: [] })) as Result<TableView>;
  return done.ok ? ok({}) : done;
};

const untagResource: DynamoHandler<"UntagResource"> = async (ctx, input) => {
  const ref = resolveResourceArn(ctx, input.ResourceArn);
  if (!ref.ok) return ref;
  const done = (await tableStub(ctx, ref.value).settings({ kind: "tag", add: {}, remove: input.TagKeys })) as Result<TableView>;
  return done.ok ? ok({}) : done;
};

const listTagsOfResource: DynamoHandler<"ListTagsOfResource"> = async (ctx, input) => {
  const ref = resolveResourceArn(ctx, input.ResourceArn);
  if (!ref.ok) return ref;
  const view = (await tableStub(ctx, ref.value).settings()) as Result<TableView>;
  if (!view.ok) return view;
  return ok({ Tags: Object.entries(view.value.settings.tags).map(([Key, Value]) => ({ Key, Value })) });
};

export const tagOperations: DynamoHandlers<"TagResource" | "UntagResource" | "ListTagsOfResource"> = {
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsOfResource: listTagsOfResource,
};
