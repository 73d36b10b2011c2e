/**
 * The real @aws-sdk/client-dynamodb against the Worker, and the wait the DynamoDB suites share:
 * until a table and all its global secondary indexes are ACTIVE (as the SDK's waiter and KCL 3 poll).
 */
import * as ddb from "@aws-sdk/client-dynamodb";
import { credentials, endpoint } from "./clients";
import { sleep } from "./helpers";

export function dynamoClient(options: { accessKeyId?: string; region?: string; endpoint?: string } = {}) {
  return new ddb.DynamoDBClient({
    endpoint: options.endpoint ?? endpoint(),
    region: options.region ?? "us-east-1",
    credentials: { ...credentials, accessKeyId: options.accessKeyId ?? credentials.accessKeyId },
    maxAttempts: 1,
  });
}

export async function waitActive(client: ddb.DynamoDBClient, TableName: string): Promise<ddb.TableDescription> {
  for (let i = 0; i < 50; i++) {
    const { Table } = await client.send(new ddb.DescribeTableCommand({ TableName }));
    if (Table!.TableStatus === "ACTIVE" && (Table!.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === "ACTIVE"))
      return Table!;
    await sleep(50);
  }
  throw new Error(`${TableName} did not become ACTIVE`);
}
