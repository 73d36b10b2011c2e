// The runtime's floor for "store a message": a Worker whose every request makes one Durable Object
// RPC that runs one SQLite INSERT, served by the same workerd binary, the same front and the same
// state disk as this service (scripts/serve.mjs with WRANGLER_CONFIG pointing here). `npm run bench`
// measures it in the same run as every other line, so each line can say what fraction of the floor
// it reaches.
import { DurableObject } from "cloudflare:workers";

export class FloorObject extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL)");
  }

  insert(body) {
    this.ctx.storage.sql.exec("INSERT INTO messages (body) VALUES (?)", body);
    return true;
  }
}

export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === "/_health") return new Response("ok");
    const body = await request.text();
    await env.FLOOR.getByName("floor").insert(body);
    return new Response("ok");
  },
};
