/**
 * Amazon DynamoDB (API version 2012-08-10) as the Worker sees it: AWS JSON 1.0 (`DynamoDB_20120810.*`)
 * behind Amazon's Coral front end, SigV4 service `dynamodb`; errors typed
 * `com.amazonaws.dynamodb.v20120810#<Code>` (validation: `com.amazon.coral.validate#ValidationException`).
 */
import { unknownOperationError } from "../../domain/coral-errors";
import { invoker, type ServiceDescriptor } from "../descriptor";
import { dynamoContext, type DynamoContext } from "./context";
import { dynamodbOperations } from "./operations";
import { dynamodbModel } from "./shapes/model";
import type { DynamoDBOperations } from "./shapes/types";

export const dynamodb: ServiceDescriptor = {
  name: "dynamodb",
  signingName: "dynamodb",
  model: dynamodbModel,
  json: { targetPrefix: "DynamoDB_20120810", contentType: "application/x-amz-json-1.0" },
  coral: true,
  unknownOperation: unknownOperationError,
  invoke: invoker<DynamoDBOperations, DynamoContext>(dynamodbOperations, dynamoContext),
};
