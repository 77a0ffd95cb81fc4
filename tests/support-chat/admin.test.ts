// GIVEN a merchant in the admin WHEN they add chat FAQ entries and set the chat's hours THEN bad
// input gets an error beside its field, a saved entry answers shoppers at once, and another
// shop's merchant can neither see nor delete it.
import { randomUUID } from "node:crypto";

import { beforeAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { adminRequest } from "../support/admin-request";
import { proxyPost } from "../support/app-proxy";
import { seedShop } from "../support/seed";

const appUrl = inject("appUrl");
const control = emulatorControl(inject("shopifyUrl"));
const shop = `chat-admin-${randomUUID().slice(0, 8)}.myshopify.com`;
const other = `chat-admin-other-${randomUUID().slice(0, 8)}.myshopify.com`;

beforeAll(async () => {
  for (const domain of [shop, other])
    await seedShop(control, prisma, { shop: domain, accessToken: `shpat_${randomUUID()}` });
});

describe("Chat FAQ page", () => {
  it("refuses an entry without an answer, with the error beside the field", async () => {
    const refused = await adminRequest(appUrl, shop, "/app/support/faq", {
      question: "Do you gift wrap?",
      answer: " ",
      locale: "",
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain("Write the answer");
    expect(await prisma.supportFaq.count({ where: { shopDomain: shop } })).toBe(0);
  });

  it("saves an entry that the chat answers with at once, and lists it for its shop only", async () => {
    const saved = await adminRequest(appUrl, shop, "/app/support/faq", {
      question: "Do you offer gift wrapping?",
      answer: "Yes: add gift wrapping at checkout, it is free.",
      locale: "en",
    });
    expect(saved.status).toBe(200);
    const reply = await proxyPost(appUrl, "chat", { shop }, { message: "do you offer gift wrapping", locale: "en" });
    expect(reply.body).toMatchObject({ source: "faq", answer: "Yes: add gift wrapping at checkout, it is free." });

    expect((await adminRequest(appUrl, shop, "/app/support/faq")).body).toContain("Do you offer gift wrapping?");
    // The chat is in the merchant's transcripts, with its source; not in another shop's.
    // The list shows the chat's first question; searching the answer's words finds it; its detail
    // page has the answer (decision 026).
    const transcripts = await adminRequest(appUrl, shop, "/app/support/transcripts?q=checkout");
    expect(transcripts.body).toContain("do you offer gift wrapping");
    const dialog = await prisma.supportDialog.findFirstOrThrow({ where: { shopDomain: shop } });
    const detail = await adminRequest(appUrl, shop, `/app/support/transcripts/${dialog.id}`);
    expect(detail.body).toContain("Yes: add gift wrapping at checkout, it is free.");
    expect((await adminRequest(appUrl, other, `/app/support/transcripts/${dialog.id}`)).status).toBe(404);
    expect((await adminRequest(appUrl, other, "/app/support/transcripts")).body).not.toContain("gift wrapping");
    expect((await adminRequest(appUrl, other, "/app/support/faq")).body).not.toContain("Do you offer gift wrapping?");

    const entry = await prisma.supportFaq.findFirstOrThrow({ where: { shopDomain: shop } });
    const foreign = await adminRequest(appUrl, other, "/app/support/faq", { intent: "delete", id: entry.id });
    expect(foreign.status).toBe(404);
    expect(await prisma.supportFaq.count({ where: { id: entry.id } })).toBe(1);
    expect((await adminRequest(appUrl, shop, "/app/support/faq", { intent: "delete", id: entry.id })).status).toBe(200);
    expect(await prisma.supportFaq.count({ where: { id: entry.id } })).toBe(0);
  });
});

describe("Chat settings page", () => {
  const form = {
    timezone: "Europe/Paris",
    openHour: "9",
    closeHour: "18",
    openDays: "1,2,3,4,5,6",
    messagesPerMinute: "60",
  };

  it("refuses closing before opening and an unknown time zone", async () => {
    const refused = await adminRequest(appUrl, shop, "/app/support/settings", {
      ...form,
      timezone: "Mars/Olympus",
      closeHour: "8",
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain("Use a time zone such as Europe/Paris");
    expect(refused.body).toContain("Close after you open");
    expect(await prisma.supportSettings.count({ where: { shopDomain: shop } })).toBe(0);
  });

  it("saves the hours and the shop's message budget", async () => {
    expect((await adminRequest(appUrl, shop, "/app/support/settings", form)).status).toBe(200);
    expect(await prisma.supportSettings.findUniqueOrThrow({ where: { shopDomain: shop } })).toMatchObject({
      timezone: "Europe/Paris",
      openHour: 9,
      closeHour: 18,
      openDays: [1, 2, 3, 4, 5, 6],
      messagesPerMinute: 60,
    });
    expect((await adminRequest(appUrl, shop, "/app/support/settings")).body).toContain("Europe/Paris");
  });
});
