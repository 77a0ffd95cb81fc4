-- CreateEnum
CREATE TYPE "TranslationStatus" AS ENUM ('TRANSLATED', 'FAILED', 'EDITED', 'SKIPPED');

-- CreateTable
CREATE TABLE "TranslationSettings" (
    "shopDomain" TEXT NOT NULL,
    "locales" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "translateHandles" BOOLEAN NOT NULL DEFAULT false,
    "doNotTranslate" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TranslationSettings_pkey" PRIMARY KEY ("shopDomain")
);

-- CreateTable
CREATE TABLE "GlossaryTerm" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "caseSensitive" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GlossaryTerm_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TranslationEntry" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "market" TEXT NOT NULL DEFAULT '',
    "sourceDigest" TEXT NOT NULL,
    "valueHash" TEXT,
    "status" "TranslationStatus" NOT NULL,
    "failureReason" TEXT,
    "tokens" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TranslationEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TranslationRun" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "detail" TEXT,
    "tokens" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TranslationRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "GlossaryTerm_shopDomain_locale_source_key" ON "GlossaryTerm"("shopDomain", "locale", "source");

-- CreateIndex
CREATE INDEX "GlossaryTerm_shopDomain_idx" ON "GlossaryTerm"("shopDomain");

-- CreateIndex
CREATE UNIQUE INDEX "TranslationEntry_shopDomain_resourceId_key_locale_market_key" ON "TranslationEntry"("shopDomain", "resourceId", "key", "locale", "market");

-- CreateIndex
CREATE INDEX "TranslationEntry_shopDomain_status_idx" ON "TranslationEntry"("shopDomain", "status");

-- CreateIndex
CREATE INDEX "TranslationRun_shopDomain_resourceId_idx" ON "TranslationRun"("shopDomain", "resourceId");
