// Fault suite benchmark (issue 6, "The fault suite"): every scenario of tests/faults/scenarios.ts
// at benchmark size (BENCH_FAULTS_PRODUCTS, default 500 products; the full outage lengths),
// each against the REAL worker process and the emulators over HTTP.
//   npm run bench:faults                      -> bench/results/faults.json
//   FAULTS_MODE=proxy npm run bench:faults    outages through fault proxies (safe on a shared machine)
//   FAULTS_SCENARIOS=llm-outage,...           a subset;  FAULTS_SEED=n  other SIGKILL points
// FAULTS_MODE=real (the default) stops and starts the machine's real Redis and Postgres: it breaks
// every other user of them, so run it only on a machine of your own.
import { writeFileSync } from "node:fs";
import path from "node:path";

import { runChatOutage } from "../tests/faults/chat-outage";
import { runScenario, type FaultsMode, type ScenarioReport } from "../tests/faults/harness";
import { faultScenarios, SIZES } from "../tests/faults/scenarios";
import { DATABASE_URL, db, REDIS_URL } from "./support";

const ROOT = path.resolve(import.meta.dirname, "..");
const mode = (process.env.FAULTS_MODE ?? "real") as FaultsMode;
if (mode !== "real" && mode !== "proxy") throw new Error(`FAULTS_MODE must be real or proxy, not ${mode}`);
const products = Number(process.env.BENCH_FAULTS_PRODUCTS ?? SIZES.bench.products);
const seed = Number(process.env.FAULTS_SEED ?? 20261202);
const only = (process.env.FAULTS_SCENARIOS ?? "").split(",").filter(Boolean);

/** The bars: 0 lost, 0 double writes, every final failure visible with Retry, and (SPEC) every product done with no failure left shown. */
function bars(report: ScenarioReport, extra: Record<string, boolean>) {
  return {
    ...extra,
    noneLost: report.lost === 0,
    noDoubleWrites: report.writes.moreThanOne === 0,
    failuresVisibleWithRetry: report.failedInvisible === 0 && report.failedWithRetry === report.failedVisible,
    everyProductDone: report.done + report.skipped === report.expected,
    noFailedJobsShown: Object.keys(report.failureCodes).length === 0,
  };
}

// The chat's scenario (issue 10): the 90 s LLM outage, its own stack and file
// (bench/results/faults-chat.json), so running it alone keeps the product scenarios' figures.
if (!only.length || only.includes("chat-llm-outage")) {
  const chat = await runChatOutage({
    outageSeconds: SIZES.bench.llmOutageSeconds,
    databaseUrl: DATABASE_URL,
    redisUrl: REDIS_URL,
    log: (message) => console.warn(`[faults:chat] ${message}`),
  });
  const chatFile = path.join(ROOT, "bench/results/faults-chat.json");
  writeFileSync(
    chatFile,
    `${JSON.stringify({ benchmark: "faults-chat", at: new Date().toISOString(), ...chat }, null, 2)}\n`,
  );
  console.warn(`wrote ${path.relative(ROOT, chatFile)}: ${chat.passed ? "all bars met" : "bars missed"}`);
  if (only.length === 1) {
    await db.end();
    process.exit(0);
  }
}

const results: Array<ScenarioReport & { bars: Record<string, boolean> }> = [];
const errors: Array<{ scenario: string; error: string }> = [];
for (const scenario of faultScenarios("bench", seed).filter((s) => !only.length || only.includes(s.name))) {
  let report: ScenarioReport;
  try {
    report = await runScenario(scenario, {
      mode,
      products,
      databaseUrl: DATABASE_URL,
      redisUrl: REDIS_URL,
      log: (message) => console.warn(`[faults] ${message}`),
    });
  } catch (error) {
    // One broken scenario must not hide the others' figures.
    console.error(`[faults] ${scenario.name} could not run:`, error);
    errors.push({ scenario: scenario.name, error: String(error) });
    continue;
  }
  results.push({ ...report, bars: bars(report, scenario.bars?.(report) ?? {}) });
  console.warn(JSON.stringify({ ...report, lostItems: report.lostItems.length }));
}
await db.end();

const output = {
  benchmark: "faults",
  at: new Date().toISOString(),
  mode,
  products,
  seed,
  sizes: SIZES.bench,
  note:
    mode === "proxy" || products < 500
      ? "check run: outages through fault proxies and/or fewer than 500 products; not the benchmark of record"
      : undefined,
  errors,
  passed: errors.length === 0 && results.every((result) => Object.values(result.bars).every(Boolean)),
  scenarios: results,
};
const file = path.join(ROOT, "bench/results/faults.json");
writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
console.warn(`wrote ${path.relative(ROOT, file)}: ${output.passed ? "all bars met" : "bars missed"}`);
process.exit(0);
