// The fault suite in its `npm test` size (tests/faults/scenarios.ts): each scenario runs the real
// worker against its own emulators, with Redis and Postgres behind fault proxies so the outages
// touch nobody else. The bars of issue 6: nothing lost, nothing written twice, and every final
// failure shown in admin with a working Retry.
// FAULTS_SCENARIOS=redis-outage,llm-outage runs a subset.
import { describe, expect, it } from "vitest";

import { TEST_DATABASE_URL, TEST_REDIS_URL } from "../support/test-env";
import { runScenario } from "./harness";
import { faultScenarios } from "./scenarios";

const only = (process.env.FAULTS_SCENARIOS ?? "").split(",").filter(Boolean);
const scenarios = faultScenarios("test").filter((scenario) => !only.length || only.includes(scenario.name));

describe("fault suite: nothing lost, nothing written twice", () => {
  for (const scenario of scenarios) {
    it(`${scenario.name}: ${scenario.products} products in auto-publish end done or visibly failed, each written once`, { timeout: scenario.timeoutMs + 60_000 }, async () => {
      const report = await runScenario(scenario, {
        mode: "proxy",
        databaseUrl: TEST_DATABASE_URL,
        redisUrl: TEST_REDIS_URL,
        log: (message) => console.log(`[faults] ${message}`),
      });
      console.log(`[faults] ${JSON.stringify(report)}`);
      expect(report.expected).toBe(scenario.products);
      expect({ lost: report.lost, lostItems: report.lostItems }).toEqual({ lost: 0, lostItems: [] });
      expect({ moreThanOne: report.writes.moreThanOne, max: report.writes.max }).toEqual({
        moreThanOne: 0,
        max: report.done > 0 ? 1 : 0,
      });
      // Every final failure is on the merchant's home page, and its Retry button works.
      expect(report.failedInvisible).toBe(0);
      expect(report.failedWithRetry).toBe(report.failedVisible);
      expect(report.done + report.skipped + report.failedWithRetry).toBe(report.expected);
    });
  }
});
