-- CreateTable
CREATE TABLE "Order" (
    "shopDomain" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "financialStatus" TEXT,
    "fulfillmentStatus" TEXT NOT NULL,
    "tracking" JSONB NOT NULL,
    "customerId" TEXT,
    "emailHash" TEXT,
    "currency" TEXT NOT NULL,
    "presentmentCurrency" TEXT NOT NULL,
    "countryCode" TEXT,
    "locale" TEXT,
    "subtotal" DECIMAL(14,2) NOT NULL,
    "discounts" DECIMAL(14,2) NOT NULL,
    "shipping" DECIMAL(14,2) NOT NULL,
    "tax" DECIMAL(14,2) NOT NULL,
    "total" DECIMAL(14,2) NOT NULL,
    "lines" JSONB NOT NULL,
    "refunds" JSONB NOT NULL,
    "test" BOOLEAN NOT NULL,
    "cancelledAt" TIMESTAMP(3),
    "processedAt" TIMESTAMP(3) NOT NULL,
    "storeCreatedAt" TIMESTAMP(3) NOT NULL,
    "storeUpdatedAt" TIMESTAMP(3) NOT NULL,
    "firstOrder" BOOLEAN,
    "contribution" JSONB NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("shopDomain","orderId")
);

-- CreateTable
CREATE TABLE "SalesDay" (
    "shopDomain" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "grossSales" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "discounts" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "refunds" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "orders" INTEGER NOT NULL DEFAULT 0,
    "units" INTEGER NOT NULL DEFAULT 0,
    "newCustomers" INTEGER NOT NULL DEFAULT 0,
    "returningCustomerOrders" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "SalesDay_pkey" PRIMARY KEY ("shopDomain","day")
);

-- CreateTable
CREATE TABLE "SalesDayProduct" (
    "shopDomain" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "productId" TEXT NOT NULL,
    "revenue" INTEGER NOT NULL DEFAULT 0,
    "units" INTEGER NOT NULL DEFAULT 0,
    "refunds" INTEGER NOT NULL DEFAULT 0,
    "refundedUnits" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "SalesDayProduct_pkey" PRIMARY KEY ("shopDomain","day","productId")
);

-- CreateTable
CREATE TABLE "SalesDaySegment" (
    "shopDomain" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "country" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "grossSales" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "discounts" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "refunds" DECIMAL(16,2) NOT NULL DEFAULT 0,
    "orders" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "SalesDaySegment_pkey" PRIMARY KEY ("shopDomain","day","country","currency")
);

-- CreateTable
CREATE TABLE "OrderBackfill" (
    "shopDomain" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "windowEnd" TIMESTAMP(3) NOT NULL,
    "exportId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'running',
    "ordersRecorded" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "OrderBackfill_pkey" PRIMARY KEY ("shopDomain")
);

-- CreateIndex
CREATE INDEX "Order_shopDomain_customerId_processedAt_idx" ON "Order"("shopDomain", "customerId", "processedAt");

-- CreateIndex
CREATE INDEX "Order_shopDomain_name_idx" ON "Order"("shopDomain", "name");


-- CreateIndex
CREATE INDEX "SalesDayProduct_report_idx" ON "SalesDayProduct"("shopDomain", "day", "productId", "revenue", "units", "refunds", "refundedUnits");
