-- Why a content version waits for the merchant whatever the shop's mode (sanitised AI output).
ALTER TABLE "ContentVersion" ADD COLUMN "reviewReason" TEXT;
