-- The shop's IANA time zone (Shopify's shop { ianaTimezone }): sales days are its days (decision 029).
ALTER TABLE "Shop" ADD COLUMN "ianaTimezone" TEXT;
