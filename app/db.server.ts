import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";

import { env } from "~/config/env.server";

declare global {
  // Survives Vite's module reloads in development, so dev does not leak pools.
  var storewisePrisma: PrismaClient | undefined;
}

function createPrismaClient(): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: env().DATABASE_URL, max: 10 }) });
}

export const prisma: PrismaClient = globalThis.storewisePrisma ?? createPrismaClient();
if (env().NODE_ENV !== "production") globalThis.storewisePrisma = prisma;

export default prisma;
