import {
  copyBeforeAfter,
  languageOf,
  translationCoverage,
  type CopyBeforeAfter,
  type CoverageRow,
  type CrossCapabilityMetricId,
  type DayRange,
  type LocaleSalesRow,
  type TranslationState,
} from "~/services/insights/metrics";
import { loadChatAttribution, type ChatAttribution } from "~/services/insights/chat-attribution.server";
import { CHAT_ATTRIBUTION_METRICS } from "~/services/insights/metrics";
import type { Db } from "~/services/types";

/** One figure of a card: a named metric's value (cents, a count, or a 0..1 ratio). */
export interface CardFigure {
  id: CrossCapabilityMetricId | (string & {});
  label: string;
  unit: "money" | "count" | "ratio";
  value: number | null;
}

export type CardCell =
  | { kind: "text"; value: string }
  | { kind: "money" | "count" | "ratio"; value: number | null }
  | { kind: "country"; value: string }
  | { kind: "day"; value: string }
  | { kind: "language"; value: string };

/**
 * A cross-capability card on the insights page: figures, the caveats a reader must see, and the
 * table behind it. The page renders a list of these, so one more metric is one more card here.
 */
export interface MetricCard {
  id: string;
  title: string;
  description: string;
  figures: CardFigure[];
  caveats: string[];
  table: { headings: string[]; rows: CardCell[][] } | null;
  empty: string | null;
}

const DAY_MS = 86_400_000;
const dayOf = (date: Date) => date.toISOString().slice(0, 10);
const asDate = (day: string) => new Date(`${day}T00:00:00Z`);

/** First publish of the app's copy per product, within this many days. */
const COPY_LOOKBACK_DAYS = 120;
const COPY_WINDOW_DAYS = 28;
const COPY_MIN_DAYS = 7;

/** Each product's first copy publish in the lookback, and its sales rows around it. */
async function loadCopyBeforeAfter(db: Db, shop: string, now: Date) {
  const today = dayOf(now);
  const since = new Date(now.getTime() - COPY_LOOKBACK_DAYS * DAY_MS);
  const published = await db.$queryRaw<Array<{ productId: string; title: string; publishedAt: Date }>>`
    SELECT pc."productId", pc."title", MIN(v."publishedAt") AS "publishedAt"
    FROM "ContentVersion" v JOIN "ProductContent" pc ON pc."id" = v."productContentId"
    WHERE pc."shopDomain" = ${shop} AND v."publishedAt" IS NOT NULL
    GROUP BY pc."productId", pc."title"
    HAVING MIN(v."publishedAt") >= ${since}`;
  const publishes = published.map((p) => ({ productId: p.productId, publishedDay: dayOf(p.publishedAt) }));
  const backfill = await db.orderBackfill.findUnique({ where: { shopDomain: shop }, select: { windowStart: true } });
  const rows = publishes.length
    ? await db.salesDayProduct.findMany({
        where: {
          shopDomain: shop,
          productId: { in: publishes.map((p) => p.productId) },
          day: {
            gte: new Date(
              Math.min(...publishes.map((p) => asDate(p.publishedDay).getTime())) - COPY_WINDOW_DAYS * DAY_MS,
            ),
            lt: asDate(today),
          },
        },
      })
    : [];
  const result = copyBeforeAfter({
    publishes,
    rows: rows.map((r) => ({ ...r, day: dayOf(r.day) })),
    today,
    historyStart: backfill ? dayOf(backfill.windowStart) : null,
    windowDays: COPY_WINDOW_DAYS,
    minDays: COPY_MIN_DAYS,
  });
  return { result, titles: new Map(published.map((p) => [p.productId, p.title])) };
}

/**
 * Line sales per country, buyer locale and product, for orders processed in the range (test and
 * cancelled orders excluded, as everywhere). Read from the order table: the rollups keep no
 * product-by-country row. One range scan of the shop's orders, done by the database.
 */
export async function loadLocaleSales(db: Db, shop: string, range: DayRange): Promise<LocaleSalesRow[]> {
  const rows = await db.$queryRaw<Array<{ country: string; locale: string; productId: string; sales: string }>>`
    SELECT COALESCE(o."countryCode", '') AS "country", COALESCE(o."locale", '') AS "locale",
           l->>'productId' AS "productId", SUM(ROUND((l->>'total')::numeric * 100))::text AS "sales"
    FROM "Order" o CROSS JOIN LATERAL jsonb_array_elements(o."lines") AS l
    WHERE o."shopDomain" = ${shop} AND NOT o."test" AND o."cancelledAt" IS NULL
      AND o."processedAt" >= ${asDate(range.start)} AND o."processedAt" < ${new Date(asDate(range.end).getTime() + DAY_MS)}
      AND l->>'productId' IS NOT NULL
    GROUP BY 1, 2, 3`;
  return rows.map((r) => ({ ...r, sales: Number(r.sales) }));
}

/**
 * Each product's translation state per language, from the app's ledger (TranslationEntry): a
 * registered (or merchant-edited) translation is current unless the product's app-written copy was
 * published after it; a product with none in a language is missing there.
 */
export async function loadTranslationStates(
  db: Db,
  shop: string,
  productIds: string[],
): Promise<Map<string, TranslationState>> {
  const states = new Map<string, TranslationState>();
  if (!productIds.length) return states;
  const [entries, published] = await Promise.all([
    db.translationEntry.groupBy({
      by: ["resourceId", "locale"],
      where: { shopDomain: shop, resourceId: { in: productIds }, status: { in: ["TRANSLATED", "EDITED"] } },
      _max: { updatedAt: true },
    }),
    db.$queryRaw<Array<{ productId: string; publishedAt: Date }>>`
      SELECT pc."productId", MAX(v."publishedAt") AS "publishedAt"
      FROM "ContentVersion" v JOIN "ProductContent" pc ON pc."id" = v."productContentId"
      WHERE pc."shopDomain" = ${shop} AND pc."productId" = ANY(${productIds}) AND v."publishedAt" IS NOT NULL
      GROUP BY pc."productId"`,
  ]);
  const lastPublish = new Map(published.map((p) => [p.productId, p.publishedAt.getTime()]));
  for (const entry of entries) {
    const key = `${entry.resourceId}|${languageOf(entry.locale)}`;
    const translatedAt = entry._max.updatedAt?.getTime() ?? 0;
    const state: TranslationState = (lastPublish.get(entry.resourceId) ?? 0) > translatedAt ? "outdated" : "translated";
    // Several locales of one language (fr, fr-CA): current if any is.
    if (states.get(key) !== "translated") states.set(key, state);
  }
  return states;
}

export async function loadTranslationCoverage(db: Db, shop: string, range: DayRange) {
  const [rows, shopRow] = await Promise.all([
    loadLocaleSales(db, shop, range),
    db.shop.findUnique({ where: { domain: shop }, select: { primaryLocale: true } }),
  ]);
  const states = await loadTranslationStates(db, shop, [...new Set(rows.map((r) => r.productId))]);
  return { states, ...translationCoverage({ rows, primaryLanguage: shopRow?.primaryLocale ?? "en", states }) };
}

function copyCard(copy: CopyBeforeAfter, titles: Map<string, string>): MetricCard {
  return {
    id: "copy-before-after",
    title: "Sales before and after new copy",
    description:
      "Net sales of each product over the same number of whole days before and after its first Storewise copy was published (up to 28 days each side; the publish day is in neither).",
    figures: [
      { id: "copy_products_compared", label: "Products compared", unit: "count", value: copy.products.length },
      { id: "copy_sales_before", label: "Net sales before", unit: "money", value: copy.netSalesBefore },
      { id: "copy_sales_after", label: "Net sales after", unit: "money", value: copy.netSalesAfter },
      { id: "copy_sales_change", label: "Change", unit: "ratio", value: copy.change },
    ],
    caveats: [
      "A description of what happened, not proof the copy caused it: prices, promotions, stock and other changes happen in the same weeks.",
      "Seasonality: the weeks after a publish may simply be a busier or quieter time of year.",
      `Small samples: with few products or orders, one order moves these figures a lot.${copy.leftOut ? ` ${copy.leftOut} product${copy.leftOut === 1 ? " was" : "s were"} published too recently (under ${COPY_MIN_DAYS} whole days) or before your order history starts, and ${copy.leftOut === 1 ? "is" : "are"} left out.` : ""}`,
    ],
    table: copy.products.length
      ? {
          headings: ["Product", "Published", "Days each side", "Net sales before", "Net sales after"],
          rows: copy.products.map((p) => [
            { kind: "text", value: titles.get(p.productId) || "Product no longer in the catalog" },
            { kind: "day", value: p.publishedDay },
            { kind: "count", value: p.windowDays },
            { kind: "money", value: p.before.netSales },
            { kind: "money", value: p.after.netSales },
          ]),
        }
      : null,
    empty: copy.products.length
      ? null
      : "No product has had Storewise copy published for at least a week in the last 120 days yet.",
  };
}

function coverageCard(coverage: { rows: CoverageRow[]; translatedShare: number | null }): MetricCard {
  const foreign = coverage.rows.filter((r) => !r.primary);
  return {
    id: "translation-coverage",
    title: "Translation coverage of sales by market",
    description:
      "For each country and the language its buyers shopped in: the share of product sales (line sales of orders placed in this period) whose product has a current translation in that language.",
    figures: [
      {
        id: "translated_sales_share",
        label: "Sales in other languages that are translated",
        unit: "ratio",
        value: coverage.translatedShare,
      },
    ],
    caveats: [
      "Outdated: the product's copy was published after its translation was made. Sales in your store's primary language need no translation.",
    ],
    table: coverage.rows.length
      ? {
          headings: ["Country", "Language", "Sales", "Translated", "Outdated", "Not translated", "Share translated"],
          rows: coverage.rows.map((r) => [
            { kind: "country", value: r.country },
            { kind: "language", value: r.language },
            { kind: "money", value: r.sales },
            ...(r.primary || !r.language
              ? ([
                  { kind: "text", value: r.primary ? "Primary language" : "Language not recorded" },
                  { kind: "text", value: "—" },
                  { kind: "text", value: "—" },
                  { kind: "text", value: "—" },
                ] satisfies CardCell[])
              : ([
                  { kind: "money", value: r.translatedSales },
                  { kind: "money", value: r.outdatedSales },
                  { kind: "money", value: r.missingSales },
                  { kind: "ratio", value: r.translatedShare },
                ] satisfies CardCell[])),
          ]),
        }
      : null,
    empty: coverage.rows.length
      ? foreign.length
        ? null
        : "Every sale in this period was in your store's primary language."
      : "No product sales in this period.",
  };
}

/** The insights page's cross-capability cards for a range. */
export async function loadCrossCapability({
  db,
  shop,
  range,
  now = new Date(),
}: {
  db: Db;
  shop: string;
  range: DayRange;
  now?: Date;
}): Promise<MetricCard[]> {
  const [copy, coverage, chat] = await Promise.all([
    loadCopyBeforeAfter(db, shop, now),
    loadTranslationCoverage(db, shop, range),
    loadChatAttribution({ db, shop, range }),
  ]);
  return [copyCard(copy.result, copy.titles), coverageCard(coverage), chatCard(chat)];
}

/** Orders placed by chatting visitors (decision 026), the same figures as the chat's analytics tab. */
function chatCard(chat: ChatAttribution): MetricCard {
  return {
    id: "chat-attribution",
    title: "Orders after a support chat",
    description:
      "Orders whose cart carried the id of one of your store's support chats, started before the order was placed. Sales are the orders' subtotals (after discounts, before refunds, shipping and tax).",
    figures: CHAT_ATTRIBUTION_METRICS.map((metric) => ({
      id: metric.id,
      label: metric.label,
      unit: metric.unit,
      value: metric.compute(chat.totals),
    })),
    caveats: ["A chat before an order does not mean the chat made the sale: the shopper may have bought anyway."],
    table: chat.days.length
      ? {
          headings: ["Day", "Orders after a chat", "Sales after a chat"],
          rows: chat.days.map((d) => [
            { kind: "day", value: d.day },
            { kind: "count", value: d.attributedOrders },
            { kind: "money", value: d.attributedSales },
          ]),
        }
      : null,
    empty: chat.days.length ? null : "No order in this period followed a support chat.",
  };
}
