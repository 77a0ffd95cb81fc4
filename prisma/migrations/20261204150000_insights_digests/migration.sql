-- CreateTable
CREATE TABLE "InsightsDigest" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "periodStart" DATE NOT NULL,
    "periodEnd" DATE NOT NULL,
    "trigger" TEXT NOT NULL,
    "sentences" JSONB NOT NULL,
    "recommendations" JSONB NOT NULL,
    "dropped" INTEGER NOT NULL DEFAULT 0,
    "candidates" INTEGER NOT NULL DEFAULT 0,
    "generatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InsightsDigest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "InsightsDigest_shopDomain_periodStart_key" ON "InsightsDigest"("shopDomain", "periodStart");

-- CreateIndex
CREATE INDEX "InsightsDigest_shopDomain_generatedAt_idx" ON "InsightsDigest"("shopDomain", "generatedAt");
