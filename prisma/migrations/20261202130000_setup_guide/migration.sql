-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "setupDone" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "setupGuideHiddenAt" TIMESTAMP(3);
