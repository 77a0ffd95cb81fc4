import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";

import { env } from "~/config/env.server";

declare global {
  // Survives Vite's module reloads in development, so dev does not leak pools.
  var storewisePrisma: PrismaClient | undefined;
}

/**
 * No database call may hang for ever (issue 6, defect 6). A pool connection that cannot be made
 * (or had, with every connection busy) fails after DB_CONNECT_TIMEOUT_MS; a query gets no answer
 * for longer than DB_QUERY_TIMEOUT_MS is abandoned by the client (pg's query_timeout, which also
 * covers a host that stopped answering), and Postgres itself cancels a statement running as long
 * (statement_timeout). TCP keep-alive notices a dead peer on idle connections. The limits are wide
 * enough for the worker's longest statements (a shop's redaction); webhook intake keeps its own,
 * much shorter, deadline on top (app/webhooks.server.ts).
 */
export const DB_CONNECT_TIMEOUT_MS = 2_000;
export const DB_QUERY_TIMEOUT_MS = 30_000;

function createPrismaClient(): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg({
      connectionString: env().DATABASE_URL,
      max: env().DATABASE_POOL_MAX,
      connectionTimeoutMillis: DB_CONNECT_TIMEOUT_MS,
      query_timeout: DB_QUERY_TIMEOUT_MS,
      statement_timeout: DB_QUERY_TIMEOUT_MS,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    }),
  });
}

export const prisma: PrismaClient = globalThis.storewisePrisma ?? createPrismaClient();
if (env().NODE_ENV !== "production") globalThis.storewisePrisma = prisma;

export default prisma;
