-- AlterTable
ALTER TABLE "Order" ADD COLUMN "chatDialogId" TEXT;

-- CreateIndex
CREATE INDEX "Order_shopDomain_chatDialogId_idx" ON "Order"("shopDomain", "chatDialogId");

-- CreateTable
CREATE TABLE "SupportFaqSuggestionDismissal" (
    "shopDomain" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "dismissedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SupportFaqSuggestionDismissal_pkey" PRIMARY KEY ("shopDomain","key")
);
