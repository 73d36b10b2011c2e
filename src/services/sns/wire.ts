/** How SNS words malformed requests (query protocol only). */
import type { CodecErrors } from "../descriptor";
import { invalidParameter, malformedQueryString, validationError } from "../../domain/sns/errors";

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export function snsCodecErrors(): CodecErrors {
  return {
    missing(member) {
      // AWS-recorded `test_unsubscribe_wrong_arn_format`.
      if (member === "SubscriptionArn") return invalidParameter("SubscriptionArn Reason: no value for required parameter");
      return validationError(
        `1 validation error detected: Value null at '${lowerFirst(member)}' failed to satisfy constraint: Member must not be null`,
      );
    },
    invalidType(member) {
      return invalidParameter(member);
    },
    malformed(detail) {
      return malformedQueryString(detail);
    },
  };
}
