-- The newest products/* updated_at processed per product: older deliveries are ignored.
ALTER TABLE "ProductContent" ADD COLUMN "sourceUpdatedAt" TIMESTAMP(3);
