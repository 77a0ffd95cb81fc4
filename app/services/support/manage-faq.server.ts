import { z } from "zod";

import { forgetFaqMatches } from "~/services/support/faq-cache";
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
  return created;
}

/** Updates one of the shop's entries; false when the id is not the shop's. */
export async function updateFaqEntry(options: { db: Db; shop: string; id: string; entry: FaqEntryInput }) {
  const { count } = await options.db.supportFaq.updateMany({
    where: { id: options.id, shopDomain: options.shop },
    // The stored embedding described the old text.
    data: { ...options.entry, embedding: [] },
  });
  forgetFaqMatches(options.shop);
  return count === 1;
}

export async function deleteFaqEntry({ db, shop, id }: { db: Db; shop: string; id: string }) {
  const { count } = await db.supportFaq.deleteMany({ where: { id, shopDomain: shop } });
  forgetFaqMatches(shop);
  return count === 1;
}
