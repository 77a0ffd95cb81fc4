// GIVEN a logged-in customer who chatted and filed a handoff ticket WHEN Shopify sends
// customers/data_request and then customers/redact THEN the export holds their chats and ticket,
// and the redact deletes them while another customer's chats stay.
import { randomUUID } from "node:crypto";

import { describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { proxyPost } from "../support/app-proxy";
import { seedShop } from "../support/seed";
import { withWorker } from "../support/worker-suite";

const appUrl = inject("appUrl");
const control = emulatorControl(inject("shopifyUrl"));
const { waitUntil } = withWorker();

describe("the support chat's customer data", () => {
  it("is exported on customers/data_request and deleted on customers/redact", async () => {
    const shop = `chat-gdpr-${randomUUID().slice(0, 8)}.myshopify.com`;
    await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
    await prisma.supportFaq.create({
      data: { shopDomain: shop, question: "Do you gift wrap?", answer: "Yes, for free.", locale: "en" },
    });
    const customerId = String(Math.floor(Math.random() * 1e12) + 1e12);
    const otherCustomer = String(Number(customerId) + 1);
    const mine = await proxyPost(appUrl, "chat", { shop, customerId }, { message: "Do you gift wrap?" });
    expect(mine.status).toBe(200);
    await proxyPost(
      appUrl,
      "chat",
      { shop, customerId },
      { handoff: { email: "gift@example.com", question: "Gift wrap two parcels?" }, dialogId: mine.body.dialogId },
    );
    const theirs = await proxyPost(
      appUrl,
      "chat",
      { shop, customerId: otherCustomer },
      { message: "Do you gift wrap?" },
    );

    const customer = { id: Number(customerId), email: "gift@example.com", phone: null };
    await control.triggerWebhook(shop, "customers/data_request", {
      shop_id: 1,
      shop_domain: shop,
      orders_requested: [],
      customer,
      data_request: { id: 91 },
    });
    const exported = await waitUntil(() =>
      prisma.complianceRequest.findFirst({
        where: { shopDomain: shop, topic: "CUSTOMERS_DATA_REQUEST", status: "completed" },
      }),
    );
    const support = (exported.export as { sections: { support: { kind: string }[] } }).sections.support;
    expect(support.map((entry) => entry.kind).sort()).toEqual(["chat", "support ticket"]);
    expect(JSON.stringify(support)).toContain("Gift wrap two parcels?");

    await control.triggerWebhook(shop, "customers/redact", {
      shop_id: 1,
      shop_domain: shop,
      customer,
      orders_to_redact: [],
    });
    await waitUntil(() =>
      prisma.complianceRequest.findFirst({
        where: { shopDomain: shop, topic: "CUSTOMERS_REDACT", status: "completed" },
      }),
    );
    expect(await prisma.supportDialog.count({ where: { shopDomain: shop, customerId } })).toBe(0);
    expect(await prisma.supportMessage.count({ where: { dialogId: mine.body.dialogId as string } })).toBe(0);
    expect(await prisma.supportTicket.count({ where: { shopDomain: shop } })).toBe(0);
    expect(await prisma.supportDialog.count({ where: { id: theirs.body.dialogId as string } })).toBe(1);
  });

  it("finds a guest's handoff ticket and its dialog by the email's hash, for export and redact", async () => {
    const shop = `chat-gdpr-guest-${randomUUID().slice(0, 8)}.myshopify.com`;
    await seedShop(control, prisma, { shop, accessToken: `shpat_${randomUUID()}` });
    // A guest (no logged-in customer) asks for a person with their email; another guest too.
    const first = await proxyPost(appUrl, "chat", { shop }, { message: "Can you engrave a bracelet?" });
    const guest = await proxyPost(
      appUrl,
      "chat",
      { shop },
      {
        handoff: { email: "Robin.Guest@example.com", question: "Engrave ROBIN on the bracelet?" },
        dialogId: first.body.dialogId,
        visitorToken: first.body.visitorToken,
      },
    );
    expect(guest.status).toBe(200);
    const other = await proxyPost(
      appUrl,
      "chat",
      { shop },
      { handoff: { email: "someone.else@example.com", question: "Gift wrap?" } },
    );
    expect(other.status).toBe(200);
    const ticket = await prisma.supportTicket.findFirstOrThrow({
      where: { shopDomain: shop, dialogId: first.body.dialogId as string },
    });
    // The hash, not the email, is what a compliance job can match on.
    expect(ticket.emailHash).toMatch(/^[0-9a-f]{64}$/);

    // Shopify names the customer by an id the chat never saw, and by the email (any case).
    const customer = { id: 990001, email: "robin.guest@EXAMPLE.com", phone: null };
    await control.triggerWebhook(shop, "customers/data_request", {
      shop_id: 1,
      shop_domain: shop,
      orders_requested: [],
      customer,
      data_request: { id: 92 },
    });
    const exported = await waitUntil(() =>
      prisma.complianceRequest.findFirst({
        where: { shopDomain: shop, topic: "CUSTOMERS_DATA_REQUEST", status: "completed" },
      }),
    );
    const support = (exported.export as { sections: { support: { kind: string }[] } }).sections.support;
    expect(support.map((entry) => entry.kind).sort()).toEqual(["chat", "support ticket"]);
    expect(JSON.stringify(support)).toContain("Engrave ROBIN on the bracelet?");
    expect(JSON.stringify(support)).toContain("Can you engrave a bracelet?");
    expect(JSON.stringify(support)).not.toContain("Gift wrap?");

    await control.triggerWebhook(shop, "customers/redact", {
      shop_id: 1,
      shop_domain: shop,
      customer,
      orders_to_redact: [],
    });
    await waitUntil(() =>
      prisma.complianceRequest.findFirst({
        where: { shopDomain: shop, topic: "CUSTOMERS_REDACT", status: "completed" },
      }),
    );
    expect(await prisma.supportTicket.count({ where: { shopDomain: shop, emailHash: ticket.emailHash } })).toBe(0);
    expect(await prisma.supportDialog.count({ where: { id: first.body.dialogId as string } })).toBe(0);
    expect(await prisma.supportMessage.count({ where: { dialogId: first.body.dialogId as string } })).toBe(0);
    // The other guest's ticket and dialog stay.
    expect(await prisma.supportTicket.count({ where: { shopDomain: shop } })).toBe(1);
    expect(await prisma.supportDialog.count({ where: { id: other.body.dialogId as string } })).toBe(1);
  });
});
