// Translation replies over HTTP, as the real SDK sees them: a translation request (one JSON line of
// fields) is answered field by field in the target language, with tags, Liquid tokens,
// placeholders and glossary terms kept; the `translation` override breaks a reply on purpose.
import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { LlmEmulatorControl } from "./control-client";
import { startLlmEmulator, type LlmEmulator } from "./server";

let emu: LlmEmulator;
let control: LlmEmulatorControl;

const Reply = z.object({ translations: z.array(z.object({ key: z.string(), value: z.string() })) });

beforeAll(async () => {
  emu = await startLlmEmulator();
  control = new LlmEmulatorControl(emu.url);
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const BODY = "<p>Meet the ⟦1⟧ from {{ shop.name }}: a warm beanie for every day.</p><ul><li>Soft wool</li></ul>";

async function translate(targetLocale: string, glossary: unknown[] = []) {
  const client = new OpenAI({ baseURL: emu.url, apiKey: "test", maxRetries: 0 });
  const request = {
    sourceLocale: "en",
    targetLocale,
    glossary,
    fields: [
      { key: "title", value: "Warm Wool Beanie", format: "text" },
      { key: "body_html", value: BODY, format: "html" },
    ],
  };
  const completion = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [
      { role: "system", content: `You translate an online store's content into ${targetLocale}.` },
      { role: "user", content: `Translate these fields into ${targetLocale}.\n${JSON.stringify(request)}` },
    ],
    response_format: zodResponseFormat(Reply, "store_translation"),
  });
  const reply = Reply.parse(JSON.parse(completion.choices[0]?.message.content ?? "null"));
  return { values: Object.fromEntries(reply.translations.map((t) => [t.key, t.value])), usage: completion.usage };
}

describe("translation replies", () => {
  it("translates every field into the target language and keeps tags, Liquid and placeholders", async () => {
    const fr = await translate("fr");
    expect(fr.values.title).toBe("Chaleureux Laine Bonnet");
    expect(fr.values.body_html).toBe(
      "<p>Découvrez le ⟦1⟧ de {{ shop.name }}: un chaleureux bonnet pour chaque jour.</p><ul><li>Doux laine</li></ul>",
    );
    expect((await translate("de")).values.title).toBe("Warme Wolle Mütze");
    expect((await translate("es")).values.title).toBe("Cálida Lana Gorro");
    // Billed like any completion: the prompt, and the translated JSON as completion.
    expect(fr.usage?.completion_tokens).toBeGreaterThan(20);
    expect(fr.usage?.prompt_tokens).toBeGreaterThan(fr.usage?.completion_tokens ?? 0);
  });

  it("writes glossary terms as the glossary says, and keeps words it does not know", async () => {
    const fr = await translate("fr", [{ source: "beanie", target: "tuque", caseSensitive: false }]);
    expect(fr.values.title).toBe("Chaleureux Laine tuque");
    expect(fr.values.body_html).toContain("un chaleureux tuque pour");
    expect((await translate("it")).values.title).toBe("Warm Wool Beanie");
  });

  it("breaks a reply on purpose with the translation override, for `times` completions", async () => {
    await control.addOverride({ match: "Warm Wool Beanie", times: 1, translation: "break-html" });
    expect((await translate("fr")).values.body_html).toBe(
      "<p>Découvrez le ⟦1⟧ de {{ shop.name }}: un chaleureux bonnet pour chaque jour.<ul><li>Doux laine</li></ul>",
    );
    expect((await translate("fr")).values.body_html).toContain("jour.</p>");

    await control.addOverride({ match: "Warm Wool Beanie", times: 1, translation: "drop-placeholder" });
    expect((await translate("fr")).values.body_html).not.toContain("⟦1⟧");

    await control.addOverride({ match: "Warm Wool Beanie", times: 1, translation: "wrong-language" });
    expect((await translate("fr")).values).toEqual({ title: "Warm Wool Beanie", body_html: BODY });
  });

  it("refuses a translation override combined with a whole reply", async () => {
    await expect(
      control.addOverride({ match: "x", reply: { translations: [] }, translation: "break-html" }),
    ).rejects.toThrow(/400/);
  });
});
