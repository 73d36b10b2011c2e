// SNS at scale: how long Publish takes with 1, 10 and 100 matching SQS subscriptions (AWS's Publish
// returns once the message is stored, whatever the topic's width), and the large/small ratio.
import { snsClient } from "./sns.mjs";
import { sqsClient } from "./sqs.mjs";

const tag = (xml, name) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function topicWith(sns, sqs, subscriptions) {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const TopicArn = tag(await sns.send("CreateTopic", { Name: `scale-${id}` }), "TopicArn");
  for (let i = 0; i < subscriptions; i++) {
    const { QueueUrl } = await sqs.send("CreateQueue", { QueueName: `scale-${id}-${i}` });
    const { Attributes } = await sqs.send("GetQueueAttributes", { QueueUrl, AttributeNames: ["QueueArn"] });
    await sns.send("Subscribe", { TopicArn, Protocol: "sqs", Endpoint: Attributes.QueueArn });
  }
  return TopicArn;
}

export async function snsScaleWorkload(endpoint, { scaleSamples = 40 } = {}) {
  const sns = snsClient(endpoint);
  const sqs = sqsClient(endpoint);
  const results = {};
  try {
    for (const subscriptions of [1, 10, 100]) {
      const TopicArn = await topicWith(sns, sqs, subscriptions);
      const times = [];
      for (let i = 0; i < scaleSamples; i++) {
        const t0 = performance.now();
        await sns.send("Publish", { TopicArn, Message: `scale ${i}` });
        times.push(performance.now() - t0);
        // One at a time, after the previous fan-out had time to finish: the cost of Publish itself.
        await new Promise((r) => setTimeout(r, 5 + 4 * subscriptions));
      }
      results[`Publish, ${subscriptions} subscription${subscriptions > 1 ? "s" : ""} (ms p50)`] = median(times);
    }
    const small = results["Publish, 1 subscription (ms p50)"];
    results["Publish, 100 / 1 subscriptions (ratio)"] = results["Publish, 100 subscriptions (ms p50)"] / small;
  } finally {
    sns.close();
    sqs.close();
  }
  return results;
}
