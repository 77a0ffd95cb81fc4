-- AlterTable
ALTER TABLE "ContentVersion" ADD COLUMN     "claimedAt" TIMESTAMP(3);

