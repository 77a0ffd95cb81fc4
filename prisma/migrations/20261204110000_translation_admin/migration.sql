-- CreateTable
CREATE TABLE "TranslatableItem" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "keys" JSONB NOT NULL,
    "live" JSONB NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TranslatableItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TranslationScan" (
    "shopDomain" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),
    "resources" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "TranslationScan_pkey" PRIMARY KEY ("shopDomain")
);

-- CreateTable
CREATE TABLE "TranslationBulkRun" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "status" "BulkRunStatus" NOT NULL DEFAULT 'RUNNING',
    "locales" TEXT[],
    "total" INTEGER NOT NULL DEFAULT 0,
    "estimatedWords" INTEGER NOT NULL DEFAULT 0,
    "estimatedTokens" INTEGER NOT NULL DEFAULT 0,
    "estimatedCostUsd" DOUBLE PRECISION,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "TranslationBulkRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TranslationBulkRunItem" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "status" "BulkRunItemStatus" NOT NULL DEFAULT 'QUEUED',
    "startedAt" TIMESTAMP(3),
    "outcome" TEXT,
    "tokens" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TranslationBulkRunItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TranslatableItem_shopDomain_kind_idx" ON "TranslatableItem"("shopDomain", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "TranslatableItem_shopDomain_resourceId_key" ON "TranslatableItem"("shopDomain", "resourceId");

-- CreateIndex
CREATE INDEX "TranslationBulkRun_shopDomain_createdAt_idx" ON "TranslationBulkRun"("shopDomain", "createdAt");

-- CreateIndex
CREATE INDEX "TranslationBulkRunItem_runId_status_idx" ON "TranslationBulkRunItem"("runId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "TranslationBulkRunItem_runId_resourceId_key" ON "TranslationBulkRunItem"("runId", "resourceId");

-- AddForeignKey
ALTER TABLE "TranslationBulkRunItem" ADD CONSTRAINT "TranslationBulkRunItem_runId_fkey" FOREIGN KEY ("runId") REFERENCES "TranslationBulkRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

