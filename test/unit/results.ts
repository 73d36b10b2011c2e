/** Reading Results in tests: the value of a success, or the failure's error as the wire carries it. */
import { completeError, type ErrorInfo, type Result } from "../../src/domain/errors";

export function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result.value;
}

export function failure(result: Result<unknown>): Required<ErrorInfo> {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  return completeError(result.error);
}
