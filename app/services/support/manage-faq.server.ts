import { z } from "zod";

import { logger } from "~/lib/logger.server";
import { forgetFaqMatches } from "~/services/support/faq-cache";
import { requestFaqTranslation } from "~/services/support/translate-faq.server";
import type { Db } from "~/services/types";

export const faqEntryInput = z.object({
  question: z
    .string()
    .trim()
    .min(3, "Write the question shoppers ask")
    .max(300, "Keep the question under 300 characters"),
  answer: z.string().trim().min(1, "Write the answer").max(2_000, "Keep the answer under 2,000 characters"),
  locale: z
    .string()
    .trim()
    .regex(/^(?:[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)?$/, "Use a language code such as en or fr")
    .transform((value) => value || null),
});

export type FaqEntryInput = z.infer<typeof faqEntryInput>;

/** The shop's FAQ, newest first: the admin page's list. */
export function listFaq({ db, shop }: { db: Db; shop: string }) {
  return db.supportFaq.findMany({
    where: { shopDomain: shop },
    orderBy: { createdAt: "desc" },
    select: { id: true, question: true, answer: true, locale: true, updatedAt: true },
  });
}

export async function createFaqEntry({ db, shop, entry }: { db: Db; shop: string; entry: FaqEntryInput }) {
  const created = await db.supportFaq.create({ data: { shopDomain: shop, ...entry } });
  forgetFaqMatches(shop);
  await queueTranslation(shop, created.id);
  return created;
}

/** The entry is saved either way: a queue that is down only delays its translations. */
async function queueTranslation(shop: string, faqId: string) {
  await requestFaqTranslation({ shop, faqId }).catch((error: Error) =>
    logger.warn({ shop, faqId, err: error.name }, "support FAQ translation not queued"),
  );
}

/** Updates one of the shop's entries; false when the id is not the shop's. */
export async function updateFaqEntry(options: { db: Db; shop: string; id: string; entry: FaqEntryInput }) {
  const { count } = await options.db.supportFaq.updateMany({
    where: { id: options.id, shopDomain: options.shop },
    // The stored embedding described the old text.
    data: { ...options.entry, embedding: [] },
  });
  if (count !== 1) return false;
  // The translations said the old text: the chat must not answer from them meanwhile.
  await options.db.supportFaqTranslation.deleteMany({ where: { faqId: options.id, shopDomain: options.shop } });
  forgetFaqMatches(options.shop);
  await queueTranslation(options.shop, options.id);
  return true;
}

export async function deleteFaqEntry({ db, shop, id }: { db: Db; shop: string; id: string }) {
  const { count } = await db.supportFaq.deleteMany({ where: { id, shopDomain: shop } });
  forgetFaqMatches(shop);
  return count === 1;
}
