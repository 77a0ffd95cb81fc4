-- AlterTable
ALTER TABLE "TranslationEntry" ADD COLUMN "pendingHash" TEXT;

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "publishedLocales" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "localesReadAt" TIMESTAMP(3);
