// Worker memory benchmark: a shop's bulk run queues 10,000 item jobs (real catalog read through a
// Shopify bulk operation, real worker, both emulators), and the worker's RSS is sampled while it
// works through them. The bar (SPEC): RSS <= 250 MB with 10,000 queued jobs.
//   npm run bench:memory   -> bench/results/worker-memory.json
// BENCH_MEMORY_PRODUCTS (10000), BENCH_MEMORY_SECONDS (60) of sampling once the jobs are queued,
// BENCH_WORKER_NODE_OPTIONS (NODE_OPTIONS for the worker), BENCH_MEMORY_SNAPSHOT_DIR (writes a heap
// snapshot of the worker there at the end of the window; not for figures you keep: it pauses the
// worker and doubles its heap while it writes).
import { randomUUID } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { freePort } from "../tests/support/ports";
import { startWorker } from "../tests/support/processes";
import { count, cpuSeconds, db, installShop, resetStores, rssMb, sleep, startBulkRun, startStack } from "./support";

const ROOT = path.resolve(import.meta.dirname, "..");
const PRODUCTS = Number(process.env.BENCH_MEMORY_PRODUCTS ?? 10_000);
const SAMPLE_SECONDS = Number(process.env.BENCH_MEMORY_SECONDS ?? 60);
const RSS_LIMIT_MB = 250;

/** Resident memory by kind (kB -> MB): anonymous (heaps, malloc), file-backed (code, mapped files). */
function rssKindsMb(pid: number | undefined) {
  const status = pid ? readFileSync(`/proc/${pid}/status`, "utf8") : "";
  const field = (name: string) => {
    const match = new RegExp(`${name}:\\s+(\\d+) kB`).exec(status);
    return match ? Math.round(Number(match[1]) / 1024) : null;
  };
  return { anon: field("RssAnon"), file: field("RssFile"), shmem: field("RssShmem") };
}

/** The worker's own view of its memory, from its Prometheus endpoint (prom-client's defaults). */
async function workerHeapMb(port: number) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const metric = (name: string) => {
    const match = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
    return match ? Math.round(Number(match[1]) / 1024 / 1024) : null;
  };
  return {
    heapTotal: metric("nodejs_heap_size_total_bytes"),
    heapUsed: metric("nodejs_heap_size_used_bytes"),
    external: metric("nodejs_external_memory_bytes"),
  };
}

/** Asks the worker (started with --heapsnapshot-signal=SIGUSR2) for a heap snapshot and waits for the file. */
async function snapshotWorker(pid: number, dir: string): Promise<string | null> {
  const before = new Set(readdirSync(dir));
  process.kill(pid, "SIGUSR2");
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    await sleep(1_000);
    const written = readdirSync(dir).find((name) => !before.has(name) && name.endsWith(".heapsnapshot"));
    // The file is complete once its size stops changing.
    if (written) {
      const file = path.join(dir, written);
      let size = -1;
      while (size !== readFileSync(file).length) {
        size = readFileSync(file).length;
        await sleep(1_000);
      }
      return file;
    }
  }
  return null;
}

async function main() {
  await resetStores();

  const { env, control, close } = await startStack();
  const metricsPort = await freePort();
  const snapshotDir = process.env.BENCH_MEMORY_SNAPSHOT_DIR;
  if (snapshotDir) mkdirSync(snapshotDir, { recursive: true });
  const nodeOptions = [
    process.env.BENCH_WORKER_NODE_OPTIONS,
    snapshotDir ? `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshotDir}` : undefined,
  ]
    .filter(Boolean)
    .join(" ");
  const worker = await startWorker({
    ...env,
    WORKER_METRICS_PORT: String(metricsPort),
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
  });
  const pid = worker.child.pid;
  const idleRssMb = rssMb(pid);

  try {
    // A Standard shop (100 points/s): the queue stays deep for the whole sampling window.
    const shop = `bench-memory-${randomUUID().slice(0, 6)}.myshopify.com`;
    await installShop(control, shop, "standard", "REVIEW");
    for (let made = 0; made < PRODUCTS; made += 2_000) {
      await control.createProducts(shop, {
        count: Math.min(2_000, PRODUCTS - made),
        silent: true,
        template: { descriptionHtml: "" },
      });
    }
    const { runId, content, close: closeRun } = await startBulkRun(shop);

    let peakRssMb = rssMb(pid);
    const started = Date.now();
    while ((await count(`SELECT count(*) FROM "BulkRunItem" WHERE "runId" = $1`, [runId])) < PRODUCTS) {
      peakRssMb = Math.max(peakRssMb, rssMb(pid));
      if (Date.now() - started > 300_000) throw new Error("the catalog was not read within 5 minutes");
      await sleep(250);
    }
    const readSeconds = (Date.now() - started) / 1000;
    const queuedAtStart = (await content.getJobCounts("prioritized", "waiting", "delayed")) as Record<string, number>;

    const samples: number[] = [];
    let heapAtPeak = await workerHeapMb(metricsPort);
    let rssKindsAtPeak = rssKindsMb(pid);
    const processedSql = `SELECT count(*) FROM "BulkRunItem" WHERE "runId" = $1 AND status <> 'QUEUED'`;
    const processedBefore = await count(processedSql, [runId]);
    const cpuBefore = cpuSeconds(pid);
    const sampleStarted = Date.now();
    while (Date.now() - sampleStarted < SAMPLE_SECONDS * 1000) {
      const rss = rssMb(pid);
      if (rss >= Math.max(0, ...samples)) {
        heapAtPeak = await workerHeapMb(metricsPort);
        rssKindsAtPeak = rssKindsMb(pid);
      }
      samples.push(rss);
      await sleep(500);
    }
    const cpuUsed = cpuSeconds(pid) - cpuBefore;
    const sampledSeconds = (Date.now() - sampleStarted) / 1000;
    const processed = (await count(processedSql, [runId])) - processedBefore;
    const snapshot = snapshotDir && pid ? await snapshotWorker(pid, snapshotDir) : null;
    const queuedAtEnd = (await content.getJobCounts("prioritized", "waiting", "delayed")) as Record<string, number>;
    await closeRun();
    peakRssMb = Math.max(peakRssMb, ...samples);
    const sorted = [...samples].sort((a, b) => a - b);

    const report = {
      benchmark: "worker-memory",
      at: new Date().toISOString(),
      settings: { products: PRODUCTS, plan: "standard", sampleSeconds: SAMPLE_SECONDS },
      idleRssMb,
      catalogReadSeconds: Math.round(readSeconds * 10) / 10,
      queuedJobsAtStart: Object.values(queuedAtStart).reduce((sum, value) => sum + value, 0),
      queuedJobsAtEnd: Object.values(queuedAtEnd).reduce((sum, value) => sum + value, 0),
      itemsProcessedWhileSampling: processed,
      workerNodeOptions: process.env.BENCH_WORKER_NODE_OPTIONS ?? null,
      rssMb: { median: sorted[Math.floor(sorted.length / 2)] ?? 0, peak: peakRssMb },
      heapMbAtPeak: heapAtPeak,
      rssKindsMbAtPeak: rssKindsAtPeak,
      workerCpu: {
        seconds: Math.round(cpuUsed * 10) / 10,
        share: Math.round((cpuUsed / sampledSeconds) * 100) / 100,
        secondsPer1000Items: processed > 0 ? Math.round((cpuUsed / processed) * 1000 * 10) / 10 : null,
      },
      ...(snapshot ? { heapSnapshot: snapshot } : {}),
      bars: { peakRssMb: { limit: RSS_LIMIT_MB, value: peakRssMb, met: peakRssMb <= RSS_LIMIT_MB } },
    };
    // A diagnostic run (with a snapshot) keeps its report next to the snapshot.
    const file = snapshotDir
      ? path.join(snapshotDir, "worker-memory.json")
      : path.join(ROOT, "bench/results/worker-memory.json");
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.warn(`wrote ${path.relative(ROOT, file)}\n${JSON.stringify(report)}`);
  } finally {
    await worker.stop();
    await close();
    await db.end();
  }
}

await main();
process.exit(0);
