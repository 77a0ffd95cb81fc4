// The comparison point for bench/webhook-intake.ts: a minimal node:http server doing the same HMAC
// check and the same enqueue as the app's webhook route, with nothing else (no Remix, no Express,
// no session lookup).
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

import { enqueue } from "~/jobs/enqueue.server";
import type { WebhookTopic } from "~/integrations/shopify/webhook-topics.server";
import { jobForWebhook } from "~/webhook-jobs.server";

const secret = process.env.SHOPIFY_API_SECRET ?? "";
const port = Number(process.env.PORT ?? 3100);

createServer((req, res) => {
  if (req.method === "GET") {
    res.writeHead(200).end("ok");
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", async () => {
    const body = Buffer.concat(chunks);
    const expected = createHmac("sha256", secret).update(body).digest();
    const given = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401).end();
      return;
    }
    try {
      const topic = String(req.headers["x-shopify-topic"]) as WebhookTopic;
      const webhookId = String(req.headers["x-shopify-webhook-id"]);
      const job = jobForWebhook(topic, {
        shop: String(req.headers["x-shopify-shop-domain"]),
        webhookId,
        payload: JSON.parse(body.toString()),
      });
      await enqueue(job.name, job.payload, { jobId: webhookId });
      res.writeHead(200).end();
    } catch {
      res.writeHead(503).end();
    }
  });
}).listen(port, "127.0.0.1", () => console.warn(`baseline listening on ${port}`));

// Exits on SIGTERM so that a profile asked for with --cpu-prof (BENCH_PROFILE) is written.
process.on("SIGTERM", () => process.exit(0));
