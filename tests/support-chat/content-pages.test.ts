// GIVEN a store whose merchant wrote policies and online-store pages WHEN the app reads them
// through its Admin client (the ContentPagesStore port, for the chat's retrieval, issue 10 §3.3)
// THEN it gets every policy in the app's words (refund, shipping) and every page, across pages of
// 50, with the merchant's HTML as written.
import { randomUUID } from "node:crypto";

import { describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { shopifyStore } from "~/integrations/shopify/shopify-store.server";
import type { StorePage } from "~/services/ports/content-pages";
import { indexStoreContent, requestStoreContentIndex } from "~/services/support/index-store-content.server";
import { adminClientFor } from "~/shopify.server";
import { LlmEmulatorControl } from "../emulators/llm/control-client";
import { emulatorControl } from "../emulators/shopify/control-client";
import { proxyPost } from "../support/app-proxy";
import { finishedRun } from "../support/job-runs";
import { seedShop } from "../support/seed";
import { withWorker } from "../support/worker-suite";

const control = emulatorControl(inject("shopifyUrl"));
const appUrl = inject("appUrl");
const llm = new LlmEmulatorControl(inject("llmUrl"));
const { waitUntil } = withWorker();

describe("the store's policies and pages through the Admin client", () => {
  it("reads every policy and every page, page after page", async () => {
    const shop = `chat-pages-${randomUUID().slice(0, 8)}.myshopify.com`;
    await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
    await control.setPolicy(shop, "REFUND_POLICY", { body: "<p>Returns within <b>30 days</b>.</p>" });
    await control.setPolicy(shop, "SHIPPING_POLICY", { body: "<p>We ship in 2 business days.</p>" });
    for (let i = 1; i <= 51; i++) {
      await control.createPage(shop, { title: `Guide ${i}`, body: `<p>Guide number ${i}</p>` });
    }
    const store = shopifyStore(adminClientFor(shop, { maxWaitMs: 5_000 }));

    const policies = await store.policies();
    expect(policies.map((policy) => [policy.kind, policy.bodyHtml])).toEqual([
      ["refund", "<p>Returns within <b>30 days</b>.</p>"],
      ["shipping", "<p>We ship in 2 business days.</p>"],
    ]);

    const pages: StorePage[] = [];
    let cursor: string | null = null;
    let reads = 0;
    do {
      const page: { pages: StorePage[]; next: string | null } = await store.pages(cursor);
      pages.push(...page.pages);
      cursor = page.next;
      reads++;
    } while (cursor);
    expect(reads).toBe(2);
    expect(pages).toHaveLength(51);
    expect(pages[0]).toMatchObject({ title: "Guide 1", handle: "guide-1", bodyHtml: "<p>Guide number 1</p>" });
    expect(pages.at(-1)?.title).toBe("Guide 51");
  });
});

describe("the chat answers from the store's policies", () => {
  it("indexes policies and pages as plain text, and gives the model the passage that answers", async () => {
    const shop = `chat-passages-${randomUUID().slice(0, 8)}.myshopify.com`;
    await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
    await control.setPolicy(shop, "REFUND_POLICY", {
      body: "<p>Unworn items can be returned within <b>45 days</b> of delivery.</p><script>alert(1)</script>",
    });
    await control.createPage(shop, { title: "Care guide", body: "<p>Linen: wash cold, hang to dry.</p>" });
    const store = shopifyStore(adminClientFor(shop, { maxWaitMs: 5_000 }));
    expect(await indexStoreContent({ db: prisma, shop, store })).toEqual({ policies: 1, pages: 1, products: 0 });
    const refund = await prisma.supportPassage.findFirstOrThrow({ where: { shopDomain: shop, kind: "policy" } });
    expect(refund.body).toBe("Unworn items can be returned within 45 days of delivery.");

    // No FAQ entry: the model answers from the refund policy the app retrieved.
    const reply = await proxyPost(
      appUrl,
      "chat",
      { shop },
      { message: "How many days do I have to return unworn items?" },
    );
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ source: "llm", action: "answer" });
    expect(String(reply.body.answer)).toContain("45 days");
    const sent = (await llm.chats()).filter((chat) => chat.schemaName === "support_reply").at(-1);
    expect(sent?.messages[0]?.text).toContain("Unworn items can be returned within 45 days of delivery.");
    // Another shop's passages never reach this shop's prompt.
    expect(sent?.messages[0]?.text).not.toContain("Guide number");

    // A page the merchant deleted leaves the index on the next run.
    const page = await prisma.supportPassage.findFirstOrThrow({ where: { shopDomain: shop, kind: "page" } });
    await control.deletePage(shop, page.sourceId);
    expect(await indexStoreContent({ db: prisma, shop, store })).toEqual({ policies: 1, pages: 0, products: 0 });
    expect(await prisma.supportPassage.count({ where: { shopDomain: shop, kind: "page" } })).toBe(0);
  });
});

describe("the support.index-content job", () => {
  it("builds the shop's passages in the worker when asked, and records the run", async () => {
    const shop = `chat-index-${randomUUID().slice(0, 8)}.myshopify.com`;
    await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
    await control.setPolicy(shop, "SHIPPING_POLICY", { body: "<p>We ship worldwide in 5 days.</p>" });
    const { jobId } = await requestStoreContentIndex({ shop });
    await waitUntil(async () => (await prisma.supportPassage.count({ where: { shopDomain: shop } })) === 1);
    expect(await prisma.supportPassage.findFirstOrThrow({ where: { shopDomain: shop } })).toMatchObject({
      kind: "policy",
      body: "We ship worldwide in 5 days.",
    });
    expect(await waitUntil(() => finishedRun(jobId))).toMatchObject({
      status: "COMPLETED",
      name: "support.index-content",
    });
  });
});
