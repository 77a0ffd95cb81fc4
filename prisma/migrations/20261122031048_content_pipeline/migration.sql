-- CreateEnum
CREATE TYPE "CopyLength" AS ENUM ('SHORT', 'MEDIUM', 'LONG');

-- CreateEnum
CREATE TYPE "ContentStatus" AS ENUM ('PENDING', 'DRAFT', 'LIVE', 'SKIPPED', 'FAILED');

-- CreateEnum
CREATE TYPE "VersionStatus" AS ENUM ('DRAFT', 'PUBLISHING', 'LIVE', 'SUPERSEDED', 'REJECTED');

-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "brandTone" TEXT NOT NULL DEFAULT 'warm, confident and plain-spoken',
ADD COLUMN     "copyLength" "CopyLength" NOT NULL DEFAULT 'MEDIUM',
ADD COLUMN     "keywordsAvoid" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "keywordsInclude" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "outputLanguage" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "regenerateOnEdit" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "targetAudience" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "writingStyle" TEXT NOT NULL DEFAULT 'story-driven';

-- CreateTable
CREATE TABLE "ProductContent" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "status" "ContentStatus" NOT NULL DEFAULT 'PENDING',
    "factsHash" TEXT,
    "writtenDescriptionHash" TEXT,
    "skippedReason" TEXT,
    "liveVersionId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProductContent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContentVersion" (
    "id" TEXT NOT NULL,
    "productContentId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "VersionStatus" NOT NULL DEFAULT 'DRAFT',
    "descriptionHtml" TEXT NOT NULL,
    "shortDescription" TEXT NOT NULL,
    "features" TEXT[],
    "useCases" TEXT[],
    "keywords" TEXT[],
    "metaTitle" TEXT NOT NULL,
    "metaDescription" TEXT NOT NULL,
    "factsHash" TEXT NOT NULL,
    "note" TEXT,
    "model" TEXT,
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" TIMESTAMP(3),

    CONSTRAINT "ContentVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProductContent_shopDomain_status_idx" ON "ProductContent"("shopDomain", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ProductContent_shopDomain_productId_key" ON "ProductContent"("shopDomain", "productId");

-- CreateIndex
CREATE UNIQUE INDEX "ContentVersion_productContentId_version_key" ON "ContentVersion"("productContentId", "version");

-- AddForeignKey
ALTER TABLE "ContentVersion" ADD CONSTRAINT "ContentVersion_productContentId_fkey" FOREIGN KEY ("productContentId") REFERENCES "ProductContent"("id") ON DELETE CASCADE ON UPDATE CASCADE;
