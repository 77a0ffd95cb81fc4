// Reply overrides over HTTP, as the real SDK sees them: a matching prompt gets the dictated
// content, other prompts are untouched, counted overrides run out, echo stays within lengths.
import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { LlmEmulatorControl } from "./control-client";
import { startLlmEmulator, type LlmEmulator } from "./server";

let emu: LlmEmulator;
let control: LlmEmulatorControl;

const Copy = z.object({ descriptionHtml: z.string().max(400), metaTitle: z.string().min(10).max(30) });

beforeAll(async () => {
  emu = await startLlmEmulator();
  control = new LlmEmulatorControl(emu.url);
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

async function ask(user: string, system = "You write product pages.") {
  const client = new OpenAI({ baseURL: emu.url, apiKey: "test", maxRetries: 0 });
  const completion = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [
      { role: "system", content: system },
      { role: "user", content: user },
    ],
    response_format: zodResponseFormat(Copy, "copy"),
  });
  return JSON.parse(completion.choices[0]?.message.content ?? "null") as z.infer<typeof Copy>;
}

describe("reply overrides", () => {
  it("injects fields into replies for a matching prompt only, for `times` completions", async () => {
    await control.addOverride({ match: "token-123", times: 1, fields: { descriptionHtml: "<script>x</script>" } });
    expect(await control.overrides()).toEqual([
      { match: "token-123", times: 1, fields: { descriptionHtml: "<script>x</script>" } },
    ]);
    expect((await ask("Linen shirt")).descriptionHtml).not.toContain("<script>");
    const hit = await ask("Linen shirt token-123");
    expect(hit.descriptionHtml).toBe("<script>x</script>");
    expect(hit.metaTitle.length).toBeGreaterThanOrEqual(10);
    expect((await ask("Linen shirt token-123")).descriptionHtml).not.toContain("<script>");
    expect(await control.overrides()).toEqual([]);
  });

  it("returns a whole reply object as given", async () => {
    await control.addOverride({ match: "whole", reply: { descriptionHtml: "<p>hi</p>", metaTitle: "A title here" } });
    expect(await ask("whole reply")).toEqual({ descriptionHtml: "<p>hi</p>", metaTitle: "A title here" });
  });

  it("echoes the raw prompt into every string, within each string's lengths", async () => {
    await control.addOverride({ match: "echo-me", echo: "all" });
    const reply = await ask("Title <b>echo-me</b> https://evil.example", "SECRET SYSTEM LINE.");
    expect(reply.descriptionHtml).toContain("SECRET SYSTEM LINE.");
    expect(reply.descriptionHtml).toContain("https://evil.example");
    expect(reply.metaTitle.length).toBeGreaterThanOrEqual(10);
    expect(reply.metaTitle.length).toBeLessThanOrEqual(30);
  });

  it("refuses a malformed override, and reset clears them", async () => {
    await expect(control.addOverride({ match: "x" })).rejects.toThrow(/400/);
    await control.addOverride({ match: "x", echo: "user" });
    await control.reset();
    expect(await control.overrides()).toEqual([]);
  });
});
