-- CreateTable
CREATE TABLE "ErasedShop" (
    "shopDomain" TEXT NOT NULL,
    "erasedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ErasedShop_pkey" PRIMARY KEY ("shopDomain")
);
