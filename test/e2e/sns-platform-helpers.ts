/** Shared steps of the SNS mobile-push suites: platform applications and endpoints. */

import { CreatePlatformApplicationCommand, CreatePlatformEndpointCommand, type SNSClient } from "@aws-sdk/client-sns";
import { uniqueName } from "./clients";

export const ADM_CREDENTIALS = { PlatformPrincipal: "client-id", PlatformCredential: "client-secret" };

export async function createApp(
  sns: SNSClient,
  platform = "ADM",
  attributes: Record<string, string> = ADM_CREDENTIALS,
  name = uniqueName("app"),
) {
  const { PlatformApplicationArn } = await sns.send(
    new CreatePlatformApplicationCommand({ Name: name, Platform: platform, Attributes: attributes }),
  );
  return PlatformApplicationArn!;
}

export async function createEndpoint(
  sns: SNSClient,
  app: string,
  token = "token_1",
  extra: { CustomUserData?: string; Attributes?: Record<string, string> } = {},
) {
  const { EndpointArn } = await sns.send(
    new CreatePlatformEndpointCommand({ PlatformApplicationArn: app, Token: token, ...extra }),
  );
  return EndpointArn!;
}
