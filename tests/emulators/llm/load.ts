// Small keep-alive HTTP load generator for the throughput test and ad-hoc benchmarks.
// Uses raw node:http (not the SDK) so the client costs as little CPU as possible.
import { Agent, request } from "node:http";

export interface LoadResult {
  requests: number;
  failures: number;
  seconds: number;
  perSecond: number;
}

/** POSTs `body` to `url` `total` times with `concurrency` requests in flight; non-200s count as failures. */
export async function runLoad(
  url: string,
  body: string,
  total: number,
  concurrency: number,
  apiKey = "test",
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  let sent = 0;
  let failures = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: "POST",
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            authorization: `Bearer ${apiKey}`,
          },
        },
        (res) => {
          if (res.statusCode !== 200) failures++;
          res.resume();
          res.on("end", resolve);
        },
      );
      req.on("error", () => {
        failures++;
        resolve();
      });
      req.end(body);
    });
  const worker = async () => {
    while (sent < total) {
      sent++;
      await one();
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { requests: total, failures, seconds, perSecond: total / seconds };
}
