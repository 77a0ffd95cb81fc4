import type { Prisma } from "@prisma/client";

import type { Db } from "~/services/types";

/** The customer a compliance request is about, as Shopify identifies them. */
export interface CustomerRef {
  id: string | null;
  email: string | null;
  phone: string | null;
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
  // Staff sessions and shop configuration hold nothing about customers.
  tables: ["Session", "Shop", "ShopSettings", "JobRun", "LlmUsage"],
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
  // Earlier data-request exports about this customer contain their data: clear them.
  async redactCustomer({ db, shopDomain, customer }) {
    if (!customer.id) return 0;
    const cleared = await db.complianceRequest.updateMany({
      where: { shopDomain, customerRef: customer.id, topic: "CUSTOMERS_DATA_REQUEST" },
      data: { export: { redacted: true } },
    });
    return cleared.count;
  },
  async redactShop({ db, shopDomain }) {
    const cleared = await db.complianceRequest.updateMany({
      where: { shopDomain, topic: "CUSTOMERS_DATA_REQUEST" },
      data: { export: { redacted: true } },
    });
    return cleared.count;
  },
};

const productContent: DataOwner = {
  name: "content",
  // Generated product copy is about products, never about customers.
  tables: ["ProductContent", "ContentVersion", "BackfillRun", "BackfillItem"],
  exportCustomer: async () => [],
  redactCustomer: async () => 0,
  async redactShop({ db, shopDomain }) {
    // Versions cascade from their product row, bulk run items from their run.
    const deleted = await db.$transaction([
      db.productContent.deleteMany({ where: { shopDomain } }),
      db.backfillRun.deleteMany({ where: { shopDomain } }),
    ]);
    return deleted.reduce((sum, result) => sum + result.count, 0);
  },
};

export const dataOwners: DataOwner[] = [shopAndSessions, complianceExports, productContent];
