// The chat's fault scenario (tests/faults/chat-outage.ts) in its `npm test` size: a 20 s LLM
// outage (CHAT_OUTAGE_SECONDS to change it) instead of the 90 s, which
// `FAULTS_SCENARIOS=chat-llm-outage FAULTS_MODE=proxy npm run bench:faults` runs
// (bench/results/faults-chat.json). The bars are the same: FAQ and order answers keep working,
// every other question gets the handoff offer, and the model answers again once the LLM is back.
import { describe, expect, it } from "vitest";

import { TEST_DATABASE_URL, TEST_REDIS_URL } from "../support/test-env";
import { runChatOutage } from "./chat-outage";

const outageSeconds = Number(process.env.CHAT_OUTAGE_SECONDS ?? 20);

describe("chat during an LLM outage", () => {
  it(
    `keeps answering FAQ and order questions and offers the handoff for the rest through a ${outageSeconds} s outage`,
    { timeout: (outageSeconds + 150) * 1000 },
    async () => {
      const report = await runChatOutage({
        outageSeconds,
        databaseUrl: TEST_DATABASE_URL,
        redisUrl: TEST_REDIS_URL,
        log: (message) => process.stdout.write(`[faults:chat] ${message}\n`),
      });
      process.stdout.write(
        `[faults:chat] ${JSON.stringify({ ...report, unexpected: report.unexpected.slice(0, 5) })}\n`,
      );
      expect(report.during.faq.asked).toBeGreaterThanOrEqual(outageSeconds);
      expect.soft(report.unexpected, "turns that did not get what they should").toEqual([]);
      for (const [bar, met] of Object.entries(report.bars)) expect.soft(met, bar).toBe(true);
    },
  );
});
