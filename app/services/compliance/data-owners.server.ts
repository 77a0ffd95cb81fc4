import type { Prisma } from "@prisma/client";

import { removeDigestSchedule } from "~/jobs/digest-schedule.server";
import type { Db } from "~/services/types";

/**
 * The customer a compliance request is about, by Shopify's ids only. The webhook's email and
 * phone never enter a job (app/jobs/definitions.ts), so no queue, failed job or row keeps them;
 * the app stores nothing about customers that an id does not find.
 */
export interface CustomerRef {
  id: string | null;
  /** Keyed hash of the customer's email (services/orders/email-hash.ts), when the request named one. */
  emailHash?: string | null;
  orderIds: string[];
}

interface ShopScope {
  db: Db;
  shopDomain: string;
}

interface CustomerScope extends ShopScope {
  customer: CustomerRef;
}

/**
 * Each capability that stores data declares here what it holds about a customer and a shop.
 * `tables` names the Prisma models it covers; tests/compliance fail when a model is owned by no one,
 * so a new table cannot forget GDPR.
 */
export interface DataOwner {
  name: string;
  tables: Prisma.ModelName[];
  exportCustomer(scope: CustomerScope): Promise<unknown[]>;
  redactCustomer(scope: CustomerScope): Promise<number>;
  redactShop(scope: ShopScope): Promise<number>;
}

const shopAndSessions: DataOwner = {
  name: "shop",
  // Staff sessions and shop configuration hold nothing about customers. ErasedShop is the
  // tombstone shop/redact leaves (the shop's public domain only), so it is kept, not deleted.
  tables: ["Session", "Shop", "ShopSettings", "JobRun", "LlmUsage", "ErasedShop"],
  exportCustomer: async () => [],
  redactCustomer: async () => 0,
  async redactShop({ db, shopDomain }) {
    const deleted = await db.$transaction([
      db.session.deleteMany({ where: { shop: shopDomain } }),
      db.jobRun.deleteMany({ where: { shopDomain } }),
      db.llmUsage.deleteMany({ where: { shopDomain } }),
      // Settings cascade from the shop row.
      db.shop.deleteMany({ where: { domain: shopDomain } }),
    ]);
    return deleted.reduce((sum, result) => sum + result.count, 0);
  },
};

const complianceExports: DataOwner = {
  name: "compliance",
  tables: ["ComplianceRequest"],
  exportCustomer: async () => [],
  // A data request keeps the customer's id (the merchant needs to know whose export it is) until
  // the customer or the shop is redacted; then its export and the id go. Redact requests never
  // record the id (record-request.server.ts), so afterwards nothing here points at the customer.
  async redactCustomer({ db, shopDomain, customer }) {
    if (!customer.id) return 0;
    const cleared = await db.complianceRequest.updateMany({
      where: { shopDomain, customerRef: customer.id },
      data: { export: { redacted: true }, customerRef: null },
    });
    return cleared.count;
  },
  async redactShop({ db, shopDomain }) {
    const cleared = await db.complianceRequest.updateMany({
      where: { shopDomain, OR: [{ customerRef: { not: null } }, { topic: "CUSTOMERS_DATA_REQUEST" }] },
      data: { export: { redacted: true }, customerRef: null },
    });
    return cleared.count;
  },
};

const productContent: DataOwner = {
  name: "content",
  // Generated product copy is about products, never about customers.
  tables: ["ProductContent", "ContentVersion", "BulkRun", "BulkRunItem"],
  exportCustomer: async () => [],
  redactCustomer: async () => 0,
  async redactShop({ db, shopDomain }) {
    // Versions cascade from their product row, bulk run items from their run.
    const deleted = await db.$transaction([
      db.productContent.deleteMany({ where: { shopDomain } }),
      db.bulkRun.deleteMany({ where: { shopDomain } }),
    ]);
    return deleted.reduce((sum, result) => sum + result.count, 0);
  },
};

const translations: DataOwner = {
  name: "translations",
  // The ledger, settings and glossary are about the shop's catalog, never about customers.
  tables: ["TranslationSettings", "GlossaryTerm", "TranslationEntry", "TranslationRun"],
  exportCustomer: async () => [],
  redactCustomer: async () => 0,
  async redactShop({ db, shopDomain }) {
    const deleted = await db.$transaction([
      db.translationEntry.deleteMany({ where: { shopDomain } }),
      db.translationRun.deleteMany({ where: { shopDomain } }),
      db.glossaryTerm.deleteMany({ where: { shopDomain } }),
      db.translationSettings.deleteMany({ where: { shopDomain } }),
    ]);
    return deleted.reduce((sum, result) => sum + result.count, 0);
  },
};

// The translations admin's scan and bulk translations (docs/decisions/024): catalog names and
// counts, never customers.
const translationAdmin: DataOwner = {
  name: "translation-admin",
  tables: ["TranslatableItem", "TranslationScan", "TranslationBulkRun", "TranslationBulkRunItem"],
  exportCustomer: async () => [],
  redactCustomer: async () => 0,
  async redactShop({ db, shopDomain }) {
    const deleted = await db.$transaction([
      db.translatableItem.deleteMany({ where: { shopDomain } }),
      db.translationScan.deleteMany({ where: { shopDomain } }),
      // Items go with their run (onDelete: Cascade).
      db.translationBulkRunItem.deleteMany({ where: { run: { shopDomain } } }),
      db.translationBulkRun.deleteMany({ where: { shopDomain } }),
    ]);
    return deleted.reduce((sum, result) => sum + result.count, 0);
  },
};

/** The customer's orders: by their customer id, or the order ids the request names. */
const ordersOf = ({ shopDomain, customer }: CustomerScope): Prisma.OrderWhereInput => ({
  shopDomain,
  OR: [
    ...(customer.id ? [{ customerId: customer.id }] : []),
    ...(customer.orderIds.length ? [{ orderId: { in: customer.orderIds } }] : []),
  ],
});

const orders: DataOwner = {
  name: "orders",
  // The order table holds a customer id and a keyed email hash (decision 018). The daily rollups
  // are sums over many orders and name no one, so a customer's redact leaves them: the shop's sales
  // figures do not change because a buyer asked to be forgotten.
  tables: ["Order", "SalesDay", "SalesDayProduct", "SalesDaySegment", "OrderBackfill"],
  async exportCustomer(scope) {
    if (!scope.customer.id && !scope.customer.orderIds.length) return [];
    const rows = await scope.db.order.findMany({
      where: ordersOf(scope),
      orderBy: [{ processedAt: "asc" }, { name: "asc" }],
      select: {
        orderId: true,
        name: true,
        financialStatus: true,
        fulfillmentStatus: true,
        tracking: true,
        customerId: true,
        currency: true,
        presentmentCurrency: true,
        countryCode: true,
        locale: true,
        subtotal: true,
        discounts: true,
        shipping: true,
        tax: true,
        total: true,
        lines: true,
        refunds: true,
        cancelledAt: true,
        processedAt: true,
        // Whether an email hash is kept, not the hash: it is a key-dependent value, not the customer's data.
        emailHash: true,
      },
    });
    return rows.map(({ emailHash, subtotal, discounts, shipping, tax, total, ...row }) => ({
      kind: "order",
      ...row,
      subtotal: subtotal.toString(),
      discounts: discounts.toString(),
      shipping: shipping.toString(),
      tax: tax.toString(),
      total: total.toString(),
      emailHashKept: emailHash !== null,
    }));
  },
  async redactCustomer(scope) {
    if (!scope.customer.id && !scope.customer.orderIds.length) return 0;
    return (await scope.db.order.deleteMany({ where: ordersOf(scope) })).count;
  },
  async redactShop({ db, shopDomain }) {
    const deleted = await db.$transaction([
      db.order.deleteMany({ where: { shopDomain } }),
      db.salesDay.deleteMany({ where: { shopDomain } }),
      db.salesDayProduct.deleteMany({ where: { shopDomain } }),
      db.salesDaySegment.deleteMany({ where: { shopDomain } }),
      db.orderBackfill.deleteMany({ where: { shopDomain } }),
    ]);
    return deleted.reduce((sum, result) => sum + result.count, 0);
  },
};

/** The customer's tickets: by customer id, or (a guest's) by the keyed hash of the email. */
function supportTicketsOf(shopDomain: string, customer: CustomerRef): Prisma.SupportTicketWhereInput {
  const match = [
    ...(customer.id ? [{ customerId: customer.id }] : []),
    ...(customer.emailHash ? [{ emailHash: customer.emailHash }] : []),
  ];
  // No id and no email: nothing points at anyone (an empty OR would match every row).
  return { shopDomain, OR: match.length ? match : [{ id: { in: [] } }] };
}

/** The customer's dialogs: bound to their customer id, or the ones their tickets were filed from. */
function supportDialogsOf(
  shopDomain: string,
  customer: CustomerRef,
  tickets: Array<{ dialogId: string | null }>,
): Prisma.SupportDialogWhereInput {
  const dialogIds = tickets.map((ticket) => ticket.dialogId).filter((id): id is string => id !== null);
  const match = [
    ...(customer.id ? [{ customerId: customer.id }] : []),
    ...(dialogIds.length ? [{ id: { in: dialogIds } }] : []),
  ];
  return { shopDomain, OR: match.length ? match : [{ id: { in: [] } }] };
}

const supportChat: DataOwner = {
  name: "support",
  // A customer's chats are found by the signed customer id they were bound to. A guest's chats
  // carry only an anonymous visitor token, so a guest is found through the handoff tickets they
  // filed (by the keyed hash of their email), and through those, the dialogs the tickets came from.
  tables: [
    "SupportFaq",
    "SupportDialog",
    "SupportMessage",
    "SupportTicket",
    "SupportSettings",
    "SupportPassage",
    "SupportFaqTranslation",
    "SupportFaqSuggestionDismissal",
  ],
  async exportCustomer({ db, shopDomain, customer }) {
    const tickets = await db.supportTicket.findMany({
      where: supportTicketsOf(shopDomain, customer),
      select: { dialogId: true, email: true, question: true, transcript: true, status: true, createdAt: true },
      orderBy: { createdAt: "asc" },
    });
    const dialogs = await db.supportDialog.findMany({
      where: supportDialogsOf(shopDomain, customer, tickets),
      include: { messages: { orderBy: { createdAt: "asc" }, select: { role: true, text: true, createdAt: true } } },
      orderBy: { createdAt: "asc" },
    });
    return [
      ...dialogs.map((dialog) => ({ kind: "chat", startedAt: dialog.createdAt, messages: dialog.messages })),
      ...tickets.map(({ dialogId: _dialogId, ...ticket }) => ({ kind: "support ticket", ...ticket })),
    ];
  },
  async redactCustomer({ db, shopDomain, customer }) {
    const tickets = await db.supportTicket.findMany({
      where: supportTicketsOf(shopDomain, customer),
      select: { dialogId: true },
    });
    // Messages cascade from their dialog.
    const deleted = await db.$transaction([
      db.supportTicket.deleteMany({ where: supportTicketsOf(shopDomain, customer) }),
      db.supportDialog.deleteMany({ where: supportDialogsOf(shopDomain, customer, tickets) }),
    ]);
    return deleted.reduce((sum, result) => sum + result.count, 0);
  },
  async redactShop({ db, shopDomain }) {
    // The dialogs' live state in Redis expires within 30 minutes, and erasing the shop's Redis
    // keys (redact-shop) sweeps its rate counters.
    const deleted = await db.$transaction([
      db.supportTicket.deleteMany({ where: { shopDomain } }),
      db.supportDialog.deleteMany({ where: { shopDomain } }),
      db.supportFaqTranslation.deleteMany({ where: { shopDomain } }),
      db.supportFaq.deleteMany({ where: { shopDomain } }),
      db.supportSettings.deleteMany({ where: { shopDomain } }),
      db.supportPassage.deleteMany({ where: { shopDomain } }),
      // Normalised questions only (redacted, no customer id): nothing to erase per customer.
      db.supportFaqSuggestionDismissal.deleteMany({ where: { shopDomain } }),
    ]);
    return deleted.reduce((sum, result) => sum + result.count, 0);
  },
};

const insightsDigests: DataOwner = {
  name: "insights",
  // Digests hold figures, product titles and verified sentences, never a customer (decision 028).
  tables: ["InsightsDigest"],
  exportCustomer: async () => [],
  redactCustomer: async () => 0,
  async redactShop({ db, shopDomain }) {
    // The weekly scheduler goes too, so no job for the erased shop is produced again.
    await removeDigestSchedule(shopDomain);
    return (await db.insightsDigest.deleteMany({ where: { shopDomain } })).count;
  },
};

export const dataOwners: DataOwner[] = [
  shopAndSessions,
  complianceExports,
  productContent,
  translations,
  supportChat,
  orders,
  insightsDigests,
  translationAdmin,
];
