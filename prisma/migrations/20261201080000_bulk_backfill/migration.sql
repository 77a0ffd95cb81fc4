-- CreateEnum
CREATE TYPE "BackfillScope" AS ENUM ('ALL', 'MISSING_DESCRIPTION', 'COLLECTION', 'TAG');

-- CreateEnum
CREATE TYPE "BackfillStatus" AS ENUM ('READING', 'RUNNING', 'COMPLETED', 'CANCELED', 'FAILED');

-- CreateEnum
CREATE TYPE "BackfillItemStatus" AS ENUM ('QUEUED', 'DONE', 'SKIPPED', 'FAILED', 'CANCELED');

-- CreateTable
CREATE TABLE "BackfillRun" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "scope" "BackfillScope" NOT NULL,
    "scopeValue" TEXT,
    "scopeLabel" TEXT,
    "status" "BackfillStatus" NOT NULL DEFAULT 'READING',
    "exportId" TEXT,
    "total" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "queuedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "BackfillRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BackfillItem" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "status" "BackfillItemStatus" NOT NULL DEFAULT 'QUEUED',
    "outcome" TEXT,
    "errorCode" TEXT,
    "error" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BackfillItem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BackfillRun_shopDomain_createdAt_idx" ON "BackfillRun"("shopDomain", "createdAt");

-- CreateIndex
CREATE INDEX "BackfillItem_runId_status_idx" ON "BackfillItem"("runId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "BackfillItem_runId_productId_key" ON "BackfillItem"("runId", "productId");

-- AddForeignKey
ALTER TABLE "BackfillItem" ADD CONSTRAINT "BackfillItem_runId_fkey" FOREIGN KEY ("runId") REFERENCES "BackfillRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

