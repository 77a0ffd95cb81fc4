-- CreateTable
CREATE TABLE "SupportPassage" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SupportPassage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SupportPassage_shopDomain_idx" ON "SupportPassage"("shopDomain");

-- CreateIndex
CREATE UNIQUE INDEX "SupportPassage_shopDomain_kind_sourceId_key" ON "SupportPassage"("shopDomain", "kind", "sourceId");
