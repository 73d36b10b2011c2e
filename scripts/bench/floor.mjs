// The floor line: the same workerd binary, front and state disk as this service, serving a Worker
// whose every request is one Durable Object RPC with one SQLite INSERT (floor/worker.js). Measured with
// the same load client and concurrency as the other lines, so "× floor" compares like with like.
import { loadClient } from "./http.mjs";

const BODY = JSON.stringify({ MessageBody: "x".repeat(8) }); // 24 bytes, as the wrk floor

export async function floorWorkload(endpoint, { messages, workers }) {
  const client = loadClient(endpoint, {
    signingName: "sqs",
    headers: () => ({ "content-type": "application/x-amz-json-1.0" }),
    encode: () => BODY,
    decode: (text) => text,
  });
  try {
    const count = Math.max(workers * 10, messages);
    let next = 0;
    const run = (total) =>
      Promise.all(
        Array.from({ length: workers }, async () => {
          while (next < total) {
            next++;
            await client.send("Insert", {});
          }
        }),
      );
    await run(Math.min(500, count)); // warm up (JIT, the object's first wake)
    next = 0;
    const t0 = performance.now();
    await run(count);
    return { "floor: 1 DO RPC + 1 SQLite INSERT (req/s)": count / ((performance.now() - t0) / 1000) };
  } finally {
    client.close();
  }
}
