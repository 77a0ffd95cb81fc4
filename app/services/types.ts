import type { PrismaClient } from "@prisma/client";

/** Services take their dependencies explicitly so web routes and workers share them. */
export type Db = PrismaClient;
