-- Translated store passages sit beside their source text: one row per language.
ALTER TABLE "SupportPassage" ADD COLUMN "locale" TEXT NOT NULL DEFAULT '';
DROP INDEX "SupportPassage_shopDomain_kind_sourceId_key";
CREATE UNIQUE INDEX "SupportPassage_shopDomain_kind_sourceId_locale_key" ON "SupportPassage"("shopDomain", "kind", "sourceId", "locale");

-- A guest's tickets are found by the keyed hash of their email (customers/redact, data_request).
ALTER TABLE "SupportTicket" ADD COLUMN "emailHash" TEXT;
CREATE INDEX "SupportTicket_shopDomain_emailHash_idx" ON "SupportTicket"("shopDomain", "emailHash");

-- The FAQ in the shop's other published languages.
CREATE TABLE "SupportFaqTranslation" (
    "id" TEXT NOT NULL,
    "faqId" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "embedding" REAL[],
    "sourceHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SupportFaqTranslation_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "SupportFaqTranslation_faqId_locale_key" ON "SupportFaqTranslation"("faqId", "locale");
CREATE INDEX "SupportFaqTranslation_shopDomain_idx" ON "SupportFaqTranslation"("shopDomain");
ALTER TABLE "SupportFaqTranslation" ADD CONSTRAINT "SupportFaqTranslation_faqId_fkey" FOREIGN KEY ("faqId") REFERENCES "SupportFaq"("id") ON DELETE CASCADE ON UPDATE CASCADE;
