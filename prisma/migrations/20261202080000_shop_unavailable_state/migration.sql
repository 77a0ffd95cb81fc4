-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "unavailableCheckedAt" TIMESTAMP(3),
ADD COLUMN     "unavailableSince" TIMESTAMP(3),
ADD COLUMN     "unavailableState" TEXT;
