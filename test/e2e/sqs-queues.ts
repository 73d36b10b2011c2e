/**
 * Queue fixtures shared by the SQS end-to-end suites, for either SDK of `protocols` (a client's
 * commands must come from its own package: JSON 1.0 or query).
 */
import type { client, Sqs } from "./clients";

type Client = ReturnType<typeof client>;

export function queueFixtures(sdk: Sqs) {
  return {
    /** Creates a queue; returns its URL and ARN. */
    async create(sqs: Client, name: string, attributes?: Record<string, string>) {
      const { QueueUrl } = await sqs.send(new sdk.CreateQueueCommand({ QueueName: name, Attributes: attributes }));
      const { Attributes } = await sqs.send(new sdk.GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
      return { url: QueueUrl!, arn: Attributes!.QueueArn! };
    },
    /** The queue's approximate counts of visible, in-flight and delayed messages. */
    async counts(sqs: Client, url: string) {
      const { Attributes } = await sqs.send(
        new sdk.GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: [
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
          ],
        }),
      );
      return {
        visible: Number(Attributes!.ApproximateNumberOfMessages),
        inFlight: Number(Attributes!.ApproximateNumberOfMessagesNotVisible),
        delayed: Number(Attributes!.ApproximateNumberOfMessagesDelayed),
      };
    },
  };
}
