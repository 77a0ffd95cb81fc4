import { z } from "zod";

import { loadLocaleSales, loadTranslationStates } from "~/services/insights/load-cross-capability.server";
import { languageOf, type DayRange, type TranslationState } from "~/services/insights/metrics";
import type { LoadedSalesReport } from "~/services/insights/load-sales-report.server";
import { formatFigure } from "~/services/insights/sales-table";
import { numbersVerified, type VerifiableFigure } from "~/services/insights/verify-summary";
import type { Llm } from "~/services/ports/llm";
import type { Db } from "~/services/types";

export type RecommendationKind = "translate" | "chat-interest" | "write-copy";

/** A figure a recommendation may cite: computed here, never by the model. */
export type RecommendationFigure = VerifiableFigure & { label: string };

/** What the app computed as worth doing, before the model words it. */
export interface RecommendationCandidate {
  ref: string;
  kind: RecommendationKind;
  productId: string;
  title: string;
  /** translate: the buyers' language ("fr") and the translation's state there. */
  language: string | null;
  translation: "missing" | "outdated" | null;
  figures: RecommendationFigure[];
  /** Where in the app the merchant acts on it. */
  link: string;
}

/** A recommendation as the digest keeps it: the candidate, and the model's verified sentence. */
export interface Recommendation extends Omit<RecommendationCandidate, "ref"> {
  text: string;
  metricIds: string[];
}

export const RECOMMENDATIONS_SCHEMA_NAME = "insights_recommendations";
const RecommendationsSchema = z.object({
  recommendations: z
    .array(z.object({ ref: z.string().max(8), text: z.string().max(300), metricIds: z.array(z.string()).max(4) }))
    .max(6),
});

const SYSTEM = [
  "You suggest next steps to a shop owner from candidates the app computed.",
  "Write one sentence per candidate you keep (at most 5), in plain words, naming the product as given.",
  "Each sentence gives its candidate's ref, cites in metricIds the ids of the figures it uses, and",
  "writes each figure exactly as given. Use no other numbers.",
].join(" ");

const TOP_SELLERS = 10;
const PER_KIND = 3;

export const languageName = (code: string) => {
  try {
    return new Intl.DisplayNames(["en"], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
};

interface CandidateInput {
  topSellers: Array<{ productId: string; netRevenue: number; netUnits: number }>;
  titles: ReadonlyMap<string, string>;
  /** The product's ProductContent id when it has any generated copy version; absent: none. */
  copy: ReadonlyMap<string, { contentId: string; versions: number }>;
  /** Product line sales per buyer language over the period. */
  languageSales: ReadonlyMap<string, ReadonlyMap<string, number>>;
  states: ReadonlyMap<string, TranslationState>;
  primaryLanguage: string;
  /** Conversations mentioning each product, most first. */
  chatMentions: Array<{ productId: string; dialogs: number }>;
  /** Net sales in the period of any product named above. */
  netSales: ReadonlyMap<string, number>;
}

/**
 * The candidates, pure (tested against hand-computed fixtures): best sellers not translated (or
 * outdated) into a language their buyers shop in, products shoppers ask the chat about most, and
 * best sellers with no generated copy. Each carries only figures computed here.
 */
export function buildRecommendationCandidates(input: CandidateInput): RecommendationCandidate[] {
  const out: Array<
    Omit<RecommendationCandidate, "ref" | "figures"> & {
      figures: Array<Omit<RecommendationFigure, "id"> & { key: string }>;
    }
  > = [];
  const title = (id: string) => input.titles.get(id) ?? "";
  const primary = languageOf(input.primaryLanguage);
  const sellers = input.topSellers.filter((p) => p.netRevenue > 0 && title(p.productId));

  const gaps: typeof out = [];
  for (const product of sellers) {
    for (const [language, sales] of input.languageSales.get(product.productId) ?? []) {
      if (!language || language === primary || sales <= 0) continue;
      const state = input.states.get(`${product.productId}|${language}`);
      if (state === "translated") continue;
      gaps.push({
        kind: "translate",
        productId: product.productId,
        title: title(product.productId),
        language,
        translation: state === "outdated" ? "outdated" : "missing",
        link: `/app/translations/${encodeURIComponent(product.productId)}`,
        figures: [
          {
            key: "language_sales",
            label: `Sales to ${languageName(language)}-speaking buyers`,
            unit: "money",
            value: sales,
            previous: null,
            change: null,
          },
          {
            key: "net_sales",
            label: "Product net sales",
            unit: "money",
            value: product.netRevenue,
            previous: null,
            change: null,
          },
        ],
      });
    }
  }
  gaps.sort((a, b) => (b.figures[0]!.value ?? 0) - (a.figures[0]!.value ?? 0));
  out.push(...gaps.slice(0, PER_KIND));

  for (const mention of input.chatMentions.filter((m) => m.dialogs > 0 && title(m.productId)).slice(0, PER_KIND)) {
    out.push({
      kind: "chat-interest",
      productId: mention.productId,
      title: title(mention.productId),
      language: null,
      translation: null,
      link: "/app/support/faq",
      figures: [
        {
          key: "chat_conversations",
          label: "Chat conversations asking about it",
          unit: "count",
          value: mention.dialogs,
          previous: null,
          change: null,
        },
        {
          key: "net_sales",
          label: "Product net sales",
          unit: "money",
          value: input.netSales.get(mention.productId) ?? 0,
          previous: null,
          change: null,
        },
      ],
    });
  }

  const noCopy = sellers.filter((p) => !(input.copy.get(p.productId)?.versions ?? 0)).slice(0, PER_KIND);
  for (const product of noCopy) {
    const contentId = input.copy.get(product.productId)?.contentId;
    out.push({
      kind: "write-copy",
      productId: product.productId,
      title: title(product.productId),
      language: null,
      translation: null,
      link: contentId ? `/app/content/${contentId}` : "/app/content",
      figures: [
        {
          key: "net_sales",
          label: "Product net sales",
          unit: "money",
          value: product.netRevenue,
          previous: null,
          change: null,
        },
        { key: "units", label: "Net units sold", unit: "count", value: product.netUnits, previous: null, change: null },
      ],
    });
  }

  return out.map((c, i) => {
    const ref = `r${i + 1}`;
    return { ...c, ref, figures: c.figures.map(({ key, ...f }) => ({ ...f, id: `${ref}.${key}` })) };
  });
}

/**
 * Checks the model's recommendations: each names a known candidate once, cites only that
 * candidate's figures, and every number it writes is one of them (the product's title and the
 * language's name are not figures). Anything else is dropped and counted.
 */
export function verifyRecommendations(
  replies: Array<{ ref: string; text: string; metricIds: string[] }>,
  candidates: RecommendationCandidate[],
): { kept: Recommendation[]; dropped: number } {
  const byRef = new Map(candidates.map((c) => [c.ref, c]));
  const used = new Set<string>();
  const kept: Recommendation[] = [];
  let dropped = 0;
  for (const reply of replies) {
    const candidate = byRef.get(reply.ref);
    const figures = new Map((candidate?.figures ?? []).map((f) => [f.id, f]));
    const ok =
      candidate &&
      !used.has(reply.ref) &&
      numbersVerified(reply.text, reply.metricIds, figures, [
        candidate.title,
        candidate.language ? languageName(candidate.language) : "",
      ]);
    if (!ok || !candidate) {
      dropped += 1;
      continue;
    }
    used.add(reply.ref);
    const { ref: _ref, ...rest } = candidate;
    kept.push({ ...rest, text: reply.text, metricIds: reply.metricIds });
  }
  return { kept, dropped };
}

/** Conversations in the range whose shopper messages name a product (its title, case-insensitive). */
async function loadChatMentions(db: Db, shop: string, range: DayRange) {
  const from = new Date(`${range.start}T00:00:00Z`);
  const to = new Date(Date.parse(`${range.end}T00:00:00Z`) + 86_400_000);
  return db.$queryRaw<Array<{ productId: string; dialogs: number }>>`
    SELECT pc."productId", COUNT(DISTINCT m."dialogId")::int AS "dialogs"
    FROM "SupportMessage" m
    JOIN "SupportDialog" d ON d."id" = m."dialogId"
    JOIN "ProductContent" pc ON pc."shopDomain" = d."shopDomain" AND length(pc."title") >= 3
      AND strpos(lower(m."text"), lower(pc."title")) > 0
    WHERE d."shopDomain" = ${shop} AND m."role" = 'user' AND m."createdAt" >= ${from} AND m."createdAt" < ${to}
    GROUP BY pc."productId"
    ORDER BY "dialogs" DESC, pc."productId"
    LIMIT ${PER_KIND}`;
}

/** Reads what the candidates need from the app's own tables (never raw orders into the prompt). */
export async function loadRecommendationCandidates({
  db,
  shop,
  range,
  report,
}: {
  db: Db;
  shop: string;
  range: DayRange;
  report: Pick<LoadedSalesReport, "topProductsByRevenue">;
}): Promise<RecommendationCandidate[]> {
  const topSellers = report.topProductsByRevenue.slice(0, TOP_SELLERS);
  const sellerIds = topSellers.map((p) => p.productId);
  const [localeSales, chatMentions, shopRow] = await Promise.all([
    loadLocaleSales(db, shop, range),
    loadChatMentions(db, shop, range),
    db.shop.findUnique({ where: { domain: shop }, select: { primaryLocale: true } }),
  ]);
  const productIds = [...new Set([...sellerIds, ...chatMentions.map((m) => m.productId)])];
  const [states, contents, sales] = await Promise.all([
    loadTranslationStates(db, shop, sellerIds),
    db.productContent.findMany({
      where: { shopDomain: shop, productId: { in: productIds } },
      select: { id: true, productId: true, title: true, _count: { select: { versions: true } } },
    }),
    db.salesDayProduct.groupBy({
      by: ["productId"],
      where: {
        shopDomain: shop,
        productId: { in: productIds },
        day: { gte: new Date(`${range.start}T00:00:00Z`), lte: new Date(`${range.end}T00:00:00Z`) },
      },
      _sum: { revenue: true, refunds: true },
    }),
  ]);
  const languageSales = new Map<string, Map<string, number>>();
  for (const row of localeSales) {
    if (!sellerIds.includes(row.productId)) continue;
    const language = row.locale ? languageOf(row.locale) : "";
    const byLanguage = languageSales.get(row.productId) ?? new Map<string, number>();
    byLanguage.set(language, (byLanguage.get(language) ?? 0) + row.sales);
    languageSales.set(row.productId, byLanguage);
  }
  return buildRecommendationCandidates({
    topSellers,
    titles: new Map(contents.map((c) => [c.productId, c.title])),
    copy: new Map(contents.map((c) => [c.productId, { contentId: c.id, versions: c._count.versions }])),
    languageSales,
    states,
    primaryLanguage: shopRow?.primaryLocale ?? "en",
    chatMentions,
    netSales: new Map(sales.map((s) => [s.productId, (s._sum.revenue ?? 0) - (s._sum.refunds ?? 0)])),
  });
}

/**
 * The digest's recommendations: the app computes the candidates; the model words the ones worth
 * doing, seeing only each candidate's kind, product title, language and formatted figures (no
 * order, customer or message); every number it writes is verified.
 */
export async function recommendActions({
  llm,
  shop,
  candidates,
  currency,
}: {
  llm: Pick<Llm, "generateStructured">;
  shop: string;
  candidates: RecommendationCandidate[];
  currency: string | null;
}): Promise<{ recommendations: Recommendation[]; dropped: number }> {
  if (!candidates.length) return { recommendations: [], dropped: 0 };
  const prompt = candidates.map((c) => ({
    ref: c.ref,
    kind: c.kind,
    product: c.title,
    ...(c.language ? { language: languageName(c.language), translation: c.translation } : {}),
    figures: c.figures.map((f) => ({ id: f.id, label: f.label, value: formatFigure(f.value, f.unit, currency) })),
  }));
  const { data } = await llm.generateStructured({
    shop,
    task: "insights",
    system: SYSTEM,
    user: `Candidates: ${JSON.stringify(prompt)}`,
    schema: RecommendationsSchema,
    schemaName: RECOMMENDATIONS_SCHEMA_NAME,
    temperature: 0,
  });
  const { kept, dropped } = verifyRecommendations(data.recommendations, candidates);
  return { recommendations: kept, dropped };
}
