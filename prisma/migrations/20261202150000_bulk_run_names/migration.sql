-- One name per concept (issue 7, C6): a merchant's copy run over the catalog is a "bulk run", as
-- the admin has always called it. Renames only: no data changes but the recorded job names.
ALTER TYPE "BackfillScope" RENAME TO "BulkRunScope";
ALTER TYPE "BackfillStatus" RENAME TO "BulkRunStatus";
ALTER TYPE "BackfillItemStatus" RENAME TO "BulkRunItemStatus";
ALTER TABLE "BackfillRun" RENAME TO "BulkRun";
ALTER TABLE "BackfillItem" RENAME TO "BulkRunItem";
ALTER TABLE "BulkRun" RENAME CONSTRAINT "BackfillRun_pkey" TO "BulkRun_pkey";
ALTER TABLE "BulkRunItem" RENAME CONSTRAINT "BackfillItem_pkey" TO "BulkRunItem_pkey";
ALTER TABLE "BulkRunItem" RENAME CONSTRAINT "BackfillItem_runId_fkey" TO "BulkRunItem_runId_fkey";
ALTER INDEX "BackfillRun_shopDomain_createdAt_idx" RENAME TO "BulkRun_shopDomain_createdAt_idx";
ALTER INDEX "BackfillItem_runId_status_idx" RENAME TO "BulkRunItem_runId_status_idx";
ALTER INDEX "BackfillItem_runId_productId_key" RENAME TO "BulkRunItem_runId_productId_key";
-- Job audit rows keep their history under the jobs' new names.
UPDATE "JobRun" SET name = 'bulk-run.read' WHERE name = 'backfill.read';
UPDATE "JobRun" SET name = 'bulk-run.item' WHERE name = 'backfill.item';
