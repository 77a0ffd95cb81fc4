-- Support chat (issue 10): FAQ, dialogs and their messages, handoff tickets, chat settings.
-- FAQ matching uses Postgres full-text search, trigram similarity and unaccent (decision 019).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- CreateEnum
CREATE TYPE "SupportTicketStatus" AS ENUM ('OPEN', 'RESOLVED');

-- CreateTable
CREATE TABLE "SupportFaq" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "locale" TEXT,
    "embedding" REAL[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SupportFaq_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SupportDialog" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "visitorKey" TEXT NOT NULL,
    "customerId" TEXT,
    "locale" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastMessageAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SupportDialog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SupportMessage" (
    "id" TEXT NOT NULL,
    "dialogId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "source" TEXT,
    "action" TEXT,
    "locale" TEXT,
    "latencyMs" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SupportMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SupportTicket" (
    "id" TEXT NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "dialogId" TEXT,
    "customerId" TEXT,
    "email" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "locale" TEXT,
    "transcript" JSONB NOT NULL,
    "status" "SupportTicketStatus" NOT NULL DEFAULT 'OPEN',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "SupportTicket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SupportSettings" (
    "shopDomain" TEXT NOT NULL,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "openHour" INTEGER NOT NULL DEFAULT 9,
    "closeHour" INTEGER NOT NULL DEFAULT 17,
    "openDays" INTEGER[] DEFAULT ARRAY[1, 2, 3, 4, 5]::INTEGER[],
    "messagesPerMinute" INTEGER NOT NULL DEFAULT 120,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SupportSettings_pkey" PRIMARY KEY ("shopDomain")
);

-- CreateIndex
CREATE INDEX "SupportFaq_shopDomain_idx" ON "SupportFaq"("shopDomain");

-- CreateIndex
CREATE INDEX "SupportDialog_shopDomain_lastMessageAt_idx" ON "SupportDialog"("shopDomain", "lastMessageAt");

-- CreateIndex
CREATE INDEX "SupportDialog_shopDomain_customerId_idx" ON "SupportDialog"("shopDomain", "customerId");

-- CreateIndex
CREATE INDEX "SupportMessage_dialogId_createdAt_idx" ON "SupportMessage"("dialogId", "createdAt");

-- CreateIndex
CREATE INDEX "SupportTicket_shopDomain_status_createdAt_idx" ON "SupportTicket"("shopDomain", "status", "createdAt");

-- CreateIndex
CREATE INDEX "SupportTicket_shopDomain_customerId_idx" ON "SupportTicket"("shopDomain", "customerId");

-- AddForeignKey
ALTER TABLE "SupportMessage" ADD CONSTRAINT "SupportMessage_dialogId_fkey" FOREIGN KEY ("dialogId") REFERENCES "SupportDialog"("id") ON DELETE CASCADE ON UPDATE CASCADE;
