/** ErrorInfo.fields: the further members a JSON error carries (TransactionCanceledException's CancellationReasons). */
import { describe, expect, it } from "vitest";
import { transactionCanceled } from "../../src/domain/dynamodb/errors";
import { errorDocument, errorResponse } from "../../src/protocol/responses";

const reasons = [{ Code: "ConditionalCheckFailed", Message: "The conditional request failed" }, { Code: "None" }];
const error = {
  ...transactionCanceled(
    "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]",
  ),
  messageField: "Message" as const,
  fields: { CancellationReasons: reasons },
};

describe("error fields", () => {
  it("merges an error's fields into its JSON document", () => {
    expect(errorDocument(error)).toEqual({
      __type: "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
      Message: "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]",
      CancellationReasons: reasons,
    });
  });

  it("leaves errors without fields as they were", () => {
    expect(errorDocument({ code: "X", message: "m" })).toEqual({ __type: "X", message: "m" });
  });

  it("writes the fields in a JSON 1.0 error response", async () => {
    const form = {
      protocol: "json" as const,
      jsonContentType: "application/x-amz-json-1.0",
      xmlNamespace: "",
      queryCompatible: false,
      errorDetail: false,
    };
    const response = errorResponse(error, "req-1", form);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { CancellationReasons: unknown }).CancellationReasons).toEqual(reasons);
  });
});
