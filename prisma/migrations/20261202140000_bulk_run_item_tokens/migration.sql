-- AlterTable
ALTER TABLE "BackfillItem" ADD COLUMN     "tokens" INTEGER NOT NULL DEFAULT 0;
