import type { Prisma } from "@prisma/client";

import {
  EMPTY_CONTRIBUTION,
  orderContribution,
  type Contribution,
  type DayRow,
  type MetricOrder,
  type ProductRow,
  type SegmentRow,
} from "~/services/insights/metrics";
import { reportTimeZone } from "~/services/insights/shop-clock.server";
import type { OrderFacts } from "~/services/ports/orders";
import { chatDialogIdOf } from "~/services/support/chat-attribution";
import type { Db } from "~/services/types";

type Tx = Prisma.TransactionClient;

interface Options {
  db: Db;
  shop: string;
  facts: OrderFacts;
  /** The store's customer id when the caller knows it; null keeps the one already recorded. */
  customerId: string | null;
  /** The keyed email hash; null when the store does not let the app see the email, undefined to keep the recorded one. */
  emailHash: string | null | undefined;
  /** The shop's IANA time zone: the rollups' days are its days (decision 029); the recorded one by default. */
  timeZone?: string;
}

export type IngestOutcome = "recorded" | "stale";

/**
 * Writes one version of an order into the order table and its rollups, in one transaction
 * (docs/decisions/018). A version older than the recorded one (by the store's updatedAt) changes
 * nothing, so a redelivered or out-of-order webhook never double counts; otherwise the order's
 * previous contribution to the rollups is subtracted and the new one added, so a version read
 * twice adds once. Orders of one shop and id are serialised by an advisory lock.
 */
export async function ingestOrder({
  db,
  shop,
  facts,
  customerId,
  emailHash,
  timeZone: givenTimeZone,
}: Options): Promise<IngestOutcome> {
  const timeZone = givenTimeZone ?? (await reportTimeZone(db, shop));
  const storeUpdatedAt = new Date(facts.updatedAt);
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${shop}|${facts.id}`}, 0))`;
    const existing = await tx.order.findUnique({
      where: { shopDomain_orderId: { shopDomain: shop, orderId: facts.id } },
    });
    if (existing && existing.storeUpdatedAt > storeUpdatedAt) return "stale";

    const customer = customerId ?? facts.customerId ?? existing?.customerId ?? null;
    if (customer)
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${shop}|customer|${customer}`}, 0))`;
    const processedAt = new Date(facts.processedAt);
    const cancelledAt = facts.cancelledAt ? new Date(facts.cancelledAt) : null;
    const firstOrder = customer ? await isFirstOrder(tx, shop, customer, { orderId: facts.id, processedAt }) : null;
    const contribution = orderContribution(
      {
        processedAt,
        cancelledAt,
        test: facts.test,
        subtotal: facts.subtotal,
        discounts: facts.discounts,
        countryCode: facts.countryCode,
        presentmentCurrency: facts.presentmentCurrencyCode,
        firstOrder,
        lines: facts.lines,
        refunds: facts.refunds.map((refund) => ({ ...refund, createdAt: new Date(refund.createdAt) })),
      },
      timeZone,
    );
    const previous = (existing?.contribution as Contribution | undefined) ?? EMPTY_CONTRIBUTION;
    await applyDelta(tx, shop, previous, contribution);

    const row = {
      name: facts.name,
      financialStatus: facts.financialStatus,
      fulfillmentStatus: facts.fulfillmentStatus,
      tracking: facts.fulfillments.flatMap((f) =>
        f.tracking.map((t) => ({ number: t.number, url: t.url, company: t.company })),
      ),
      customerId: customer,
      emailHash: emailHash === undefined ? (existing?.emailHash ?? null) : emailHash,
      currency: facts.currencyCode,
      presentmentCurrency: facts.presentmentCurrencyCode,
      countryCode: facts.countryCode,
      locale: facts.customerLocale,
      subtotal: facts.subtotal,
      discounts: facts.discounts,
      shipping: facts.shipping,
      tax: facts.tax,
      total: facts.total,
      lines: facts.lines.map((l) => ({
        productId: l.productId,
        variantId: l.variantId,
        quantity: l.quantity,
        total: l.total,
        originalTotal: l.originalTotal,
        discount: l.discount,
      })),
      // A refund's lines stay null when the store's read could not list them (an export).
      refunds: facts.refunds.map((r) => ({
        id: r.id,
        createdAt: r.createdAt,
        amount: r.amount,
        lines: r.lines,
      })) as Prisma.InputJsonValue,
      test: facts.test,
      cancelledAt,
      processedAt,
      storeCreatedAt: new Date(facts.createdAt),
      storeUpdatedAt,
      firstOrder,
      contribution: contribution as unknown as Prisma.InputJsonValue,
      chatDialogId: chatDialogIdOf(facts.attributes ?? []) ?? existing?.chatDialogId ?? null,
    } satisfies Omit<Prisma.OrderUncheckedCreateInput, "shopDomain" | "orderId">;
    await tx.order.upsert({
      where: { shopDomain_orderId: { shopDomain: shop, orderId: facts.id } },
      create: { shopDomain: shop, orderId: facts.id, ...row },
      update: row,
    });
    // An order recorded before an earlier one of its customer arrived (or one cancelled since)
    // may have been taken for the customer's first: re-decide the customer's other orders.
    if (customer) await redecideFirstOrders(tx, shop, customer, facts.id, timeZone);
    return "recorded";
  });
}

/**
 * Whether no other counted (not test, not cancelled) order of the customer came before this one:
 * processed earlier, or at the same instant with a smaller id.
 */
async function isFirstOrder(tx: Tx, shop: string, customerId: string, order: { orderId: string; processedAt: Date }) {
  const earlier = await tx.order.count({
    where: {
      shopDomain: shop,
      customerId,
      orderId: { not: order.orderId },
      test: false,
      cancelledAt: null,
      OR: [
        { processedAt: { lt: order.processedAt } },
        { processedAt: order.processedAt, orderId: { lt: order.orderId } },
      ],
    },
  });
  return earlier === 0;
}

/** Re-decides first-or-returning for the customer's other orders, moving their rollups if it changed. */
async function redecideFirstOrders(tx: Tx, shop: string, customerId: string, exceptOrderId: string, timeZone: string) {
  const others = await tx.order.findMany({
    where: { shopDomain: shop, customerId, orderId: { not: exceptOrderId } },
  });
  for (const other of others) {
    const firstOrder = await isFirstOrder(tx, shop, customerId, other);
    if (firstOrder === other.firstOrder) continue;
    const contribution = orderContribution(
      {
        processedAt: other.processedAt,
        cancelledAt: other.cancelledAt,
        test: other.test,
        subtotal: other.subtotal.toString(),
        discounts: other.discounts.toString(),
        countryCode: other.countryCode,
        presentmentCurrency: other.presentmentCurrency,
        firstOrder,
        lines: other.lines as unknown as MetricOrder["lines"],
        refunds: (
          other.refunds as unknown as Array<Omit<MetricOrder["refunds"][number], "createdAt"> & { createdAt: string }>
        ).map((refund) => ({ ...refund, createdAt: new Date(refund.createdAt) })),
      },
      timeZone,
    );
    await applyDelta(tx, shop, other.contribution as unknown as Contribution, contribution);
    await tx.order.update({
      where: { shopDomain_orderId: { shopDomain: shop, orderId: other.orderId } },
      data: { firstOrder, contribution: contribution as unknown as Prisma.InputJsonValue },
    });
  }
}

type Numeric<T> = { [K in keyof T as T[K] extends number ? K : never]: number };

/** new − old, per rollup row; rows whose every figure is unchanged are left out. */
function delta<T extends { day: string }>(
  before: T[],
  after: T[],
  key: (row: T) => string,
  fields: Array<keyof Numeric<T>>,
): T[] {
  const rows = new Map<string, T>();
  const add = (row: T, sign: 1 | -1) => {
    const k = key(row);
    const sum = rows.get(k) ?? ({ ...row, ...Object.fromEntries(fields.map((f) => [f, 0])) } as T);
    for (const field of fields) (sum[field] as number) += sign * (row[field] as number);
    rows.set(k, sum);
  };
  for (const row of before) add(row, -1);
  for (const row of after) add(row, 1);
  return [...rows.values()].filter((row) => fields.some((field) => row[field] !== 0));
}

const money = (value: number) => (value / 100).toFixed(2);

async function applyDelta(tx: Tx, shop: string, before: Contribution, after: Contribution) {
  const days = delta<DayRow>(before.days, after.days, (r) => r.day, [
    "grossSales",
    "discounts",
    "refunds",
    "orders",
    "units",
    "newCustomers",
    "returningCustomerOrders",
  ]);
  for (const r of days) {
    await tx.$executeRaw`
      INSERT INTO "SalesDay" ("shopDomain", "day", "grossSales", "discounts", "refunds", "orders", "units", "newCustomers", "returningCustomerOrders")
      VALUES (${shop}, ${r.day}::date, ${money(r.grossSales)}::numeric, ${money(r.discounts)}::numeric, ${money(r.refunds)}::numeric,
              ${r.orders}::int, ${r.units}::int, ${r.newCustomers}::int, ${r.returningCustomerOrders}::int)
      ON CONFLICT ("shopDomain", "day") DO UPDATE SET
        "grossSales" = "SalesDay"."grossSales" + EXCLUDED."grossSales",
        "discounts" = "SalesDay"."discounts" + EXCLUDED."discounts",
        "refunds" = "SalesDay"."refunds" + EXCLUDED."refunds",
        "orders" = "SalesDay"."orders" + EXCLUDED."orders",
        "units" = "SalesDay"."units" + EXCLUDED."units",
        "newCustomers" = "SalesDay"."newCustomers" + EXCLUDED."newCustomers",
        "returningCustomerOrders" = "SalesDay"."returningCustomerOrders" + EXCLUDED."returningCustomerOrders"`;
  }
  const products = delta<ProductRow>(before.products, after.products, (r) => `${r.day}|${r.productId}`, [
    "revenue",
    "units",
    "refunds",
    "refundedUnits",
  ]);
  for (const r of products) {
    await tx.$executeRaw`
      INSERT INTO "SalesDayProduct" ("shopDomain", "day", "productId", "revenue", "units", "refunds", "refundedUnits")
      VALUES (${shop}, ${r.day}::date, ${r.productId}, ${r.revenue}::int, ${r.units}::int, ${r.refunds}::int, ${r.refundedUnits}::int)
      ON CONFLICT ("shopDomain", "day", "productId") DO UPDATE SET
        "revenue" = "SalesDayProduct"."revenue" + EXCLUDED."revenue",
        "units" = "SalesDayProduct"."units" + EXCLUDED."units",
        "refunds" = "SalesDayProduct"."refunds" + EXCLUDED."refunds",
        "refundedUnits" = "SalesDayProduct"."refundedUnits" + EXCLUDED."refundedUnits"`;
  }
  const segments = delta<SegmentRow>(before.segments, after.segments, (r) => `${r.day}|${r.country}|${r.currency}`, [
    "grossSales",
    "discounts",
    "refunds",
    "orders",
  ]);
  for (const r of segments) {
    await tx.$executeRaw`
      INSERT INTO "SalesDaySegment" ("shopDomain", "day", "country", "currency", "grossSales", "discounts", "refunds", "orders")
      VALUES (${shop}, ${r.day}::date, ${r.country}, ${r.currency}, ${money(r.grossSales)}::numeric, ${money(r.discounts)}::numeric, ${money(r.refunds)}::numeric, ${r.orders}::int)
      ON CONFLICT ("shopDomain", "day", "country", "currency") DO UPDATE SET
        "grossSales" = "SalesDaySegment"."grossSales" + EXCLUDED."grossSales",
        "discounts" = "SalesDaySegment"."discounts" + EXCLUDED."discounts",
        "refunds" = "SalesDaySegment"."refunds" + EXCLUDED."refunds",
        "orders" = "SalesDaySegment"."orders" + EXCLUDED."orders"`;
  }
}
