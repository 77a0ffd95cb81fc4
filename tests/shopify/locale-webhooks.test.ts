// A language added to the shop, published or unpublished reaches the app as locales/create or
// locales/update (WebhookSubscriptionTopic LOCALES_CREATE / LOCALES_UPDATE: "Occurs whenever a shop
// locale is updated, such as published or unpublished"), delivered by the emulator like Shopify
// does, and is queued as the shop.locale-changed job carrying the locale's code.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { prisma } from "~/db.server";
import { closeQueues } from "~/jobs/queues.server";
import { closeSharedRedis } from "~/lib/redis.server";
import { emulatorControl } from "../emulators/shopify/control-client";
import { eventually } from "../support/eventually";
import { queueInspector } from "../support/queues";
import { seedShop } from "../support/seed";

const control = emulatorControl(inject("shopifyUrl"));
const queues = queueInspector();
const shop = `locales-${randomUUID().slice(0, 8)}.myshopify.com`;

beforeAll(() =>
  seedShop(control, prisma, {
    shop,
    accessToken: `shpat_${randomUUID()}`,
    locales: [
      { locale: "en", primary: true },
      { locale: "fr", published: false },
    ],
  }),
);
afterAll(async () => {
  await queues.close();
  await closeQueues();
  await closeSharedRedis();
  await prisma.$disconnect();
});

const localeJobs = (locale: string) =>
  queues.jobs((job) => job.name === "shop.locale-changed" && job.data.shop === shop && job.data.locale === locale);

describe("locale webhooks", () => {
  it("publishing a locale queues shop.locale-changed for it, once per delivery", async () => {
    await control.setLocale(shop, "fr", true);
    const [job] = await eventually(async () => ((await localeJobs("fr")).length ? localeJobs("fr") : null));
    expect(job?.data).toEqual({ shop, locale: "fr" });
    const delivered = await eventually(async () => {
      const log = await control.webhookLog({ shop, topic: "locales/update" });
      return log.deliveries.every((delivery) => delivery.state === "delivered") ? log.deliveries : null;
    });
    expect(delivered).toHaveLength(1);
    expect(job?.id).toBe(delivered[0]?.webhookId);
  });

  it("adding a locale queues it too (locales/create)", async () => {
    await control.setLocale(shop, "it", false);
    const jobs = await eventually(async () => ((await localeJobs("it")).length ? localeJobs("it") : null));
    expect(jobs).toHaveLength(1);
  });
});
